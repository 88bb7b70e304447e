import type { VolumeStats } from './stats';
import type { MapStatistic } from './statistic';
import type { Volume } from '../nifti';
import { INTENT_FTEST, INTENT_TTEST, INTENT_ZSCORE } from '../nifti/intent';

/** What a map is, as far as the page's defaults go. */
export type MapKind =
  | 'z'
  | 't'
  | 'f'
  | 'p'
  | 'one-minus-p'
  | 'tfce'
  | 'effect'
  | 'weights'
  | 'label'
  | 'anatomy'
  | 'other';

export const MAP_KINDS: readonly MapKind[] = [
  'z',
  't',
  'f',
  'p',
  'one-minus-p',
  'tfce',
  'effect',
  'weights',
  'label',
  'anatomy',
  'other',
];

/** Where the kind was read, in the order it is looked for. */
export type KindSource = 'intent' | 'descrip' | 'afni' | 'name' | 'values' | 'user';

export interface MapKindInfo {
  readonly kind: MapKind;
  readonly source: KindSource;
  /** t: df; F: numerator df. Undefined while not known. */
  readonly df?: number;
  /** F: denominator df. */
  readonly df2?: number;
}

const INTENT_PVAL = 22;
const INTENT_ESTIMATE = 1001;
const INTENT_LABEL = 1002;
const INTENT_NEURONAME = 1003;

/**
 * File names FSL, SPM and BIDS give their outputs, most specific first (FSL's tfce_corrp_tstat1 is
 * a 1 - p map, not a t-map; varcope is a variance, not an effect).
 */
const NAME_RULES: readonly [RegExp, MapKind][] = [
  [/corrp|_1-?p\b|[_-]stat-1mp/i, 'one-minus-p'],
  // randomise's tfce_tstat1 is a TFCE score, not a t-map (its corrp is caught above).
  [/(^|[^a-z])tfce(_?[tf]stat\d*)?\b|(^|[^a-z])tfce[_-]/i, 'tfce'],
  [/varcope/i, 'other'],
  // A pattern's weights (CANlab's SIIPS1 nonnoc_v11_4_*, PINES' Rating_Weights_*, NPS): signed, but no statistic.
  [
    /(^|[_-])weights?([_.-]|$)|weighted_mean|(^|[_-])signature([_.-]|$)|siips|nonnoc_v\d|(^|[_-])(pines|nps)([_.-]|$)/i,
    'weights',
  ],
  [/(^|[_-])stat-z|(^|[^a-z])z?f?zstat\d*|zmap|z_?score|zfstat/i, 'z'],
  [/(^|[_-])stat-t\b|(^|[_-])stat-t[_.]|^spmT_|(^|[^a-z])tstat\d*/i, 't'],
  [/(^|[_-])stat-F\b|(^|[_-])stat-F[_.]|^spmF_|(^|[^a-z])fstat\d*/, 'f'],
  [/(^|[_-])stat-p[_.]|(^|[_-])p_?vals?\b|_pvalue/i, 'p'],
  [/(^|[^a-z])(cope\d+|con_\d+|beta_\d+|pe\d+)|(^|[_-])stat-(effect|beta)|_effect_size/i, 'effect'],
  [/(^|[_-])dseg\b|_dseg[_.]|atlas|(^|[^a-z])aal|aseg|aparc|harvard-?oxford|(^|[_-])label/i, 'label'],
  [
    /(^|[^a-z])t[12]w?(\b|_)|template|mni152|icbm|(^|[_-])anat|brain|mean_func|example_func|meanfunc|_bold_ref|_boldref/i,
    'anatomy',
  ],
];

/** A label atlas has few whole-number values (region codes); a statistic has many. */
const MAX_ATLAS_LABELS = 4096;

/**
 * The kind of a map: its intent (or SPM's descrip, as src/nifti reads it), then its file name, then
 * its values. The df comes from the intent when the map says it.
 */
export function guessKind(v: Pick<Volume, 'name' | 'intent' | 'datatype' | 'data'>, stats: VolumeStats): MapKindInfo {
  const i = v.intent;
  // AFNI names each frame's statistic in its header extension: the frame's intent comes from there.
  const source: KindSource = i.source === 'descrip' ? 'descrip' : i.source === 'afni' ? 'afni' : 'intent';
  const pos = (n: number): number | undefined => (Number.isFinite(n) && n > 0 ? n : undefined);
  if (i.code === INTENT_ZSCORE) return { kind: 'z', source };
  if (i.code === INTENT_TTEST) return { kind: 't', source, df: pos(i.p1) };
  if (i.code === INTENT_FTEST) return { kind: 'f', source, df: pos(i.p1), df2: pos(i.p2) };
  if (i.code === INTENT_PVAL) return { kind: 'p', source };
  if (i.code === INTENT_ESTIMATE) return { kind: 'effect', source };
  if (i.code === INTENT_LABEL || i.code === INTENT_NEURONAME) return { kind: 'label', source };
  const base = v.name.replace(/\.(nii|hdr|img)(\.gz)?$/i, '');
  for (const [re, kind] of NAME_RULES) if (re.test(base)) return { kind, source: 'name' };
  if (looksLikeLabels(v, stats)) return { kind: 'label', source: 'values' };
  // Signed values are read as z, as nilearn does for a map that names no statistic.
  if (stats.finiteCount && stats.min < 0) return { kind: 'z', source: 'values' };
  return { kind: 'other', source: 'values' };
}

/** Integer storage, non-negative whole numbers, and few distinct ones. */
function looksLikeLabels(v: Pick<Volume, 'datatype' | 'data'>, stats: VolumeStats): boolean {
  if (!/int/i.test(v.datatype.name) || !(stats.min >= 0) || stats.max > 65535) return false;
  const seen = new Set<number>();
  const d = v.data;
  // A stride keeps this cheap on a 1 mm map; atlases' regions span thousands of voxels.
  const step = Math.max(1, Math.floor(d.length / 200_000));
  for (let k = 0; k < d.length; k += step) {
    const x = d[k]!;
    if (x !== Math.floor(x)) return false;
    seen.add(x);
    if (seen.size > MAX_ATLAS_LABELS) return false;
  }
  return seen.size > 2;
}

/** What the user reads in the map list. */
export function kindLabel(k: MapKindInfo): string {
  switch (k.kind) {
    case 'z':
      return 'z';
    case 't':
      return `t (df ${k.df ?? 'unknown'})`;
    case 'f':
      return k.df === undefined || k.df2 === undefined ? 'F (df unknown)' : `F (${k.df}, ${k.df2})`;
    case 'p':
      return 'p';
    case 'one-minus-p':
      return '1 − p';
    case 'tfce':
      return 'TFCE score';
    case 'effect':
      return 'effect';
    case 'weights':
      return 'signature weights';
    case 'label':
      return 'label atlas';
    case 'anatomy':
      return 'anatomy';
    case 'other':
      return 'other';
  }
}

/** Whether the kind is a map that is thresholded into clusters (anatomy and atlases never are). */
export function isStatKind(k: MapKind): boolean {
  return k !== 'label' && k !== 'anatomy';
}

/** Whether a voxelwise p can be turned into a threshold on this kind (given its df). */
export function pThresholdable(k: MapKind): boolean {
  return k === 'z' || k === 't' || k === 'f' || k === 'one-minus-p';
}

/** The statistic for p-values (z, t or F), or null for kinds without a distribution. */
export function kindStatistic(k: MapKindInfo): MapStatistic | null {
  if (k.kind === 'z') return { kind: 'z', assumed: k.source === 'values' };
  if (k.kind === 't') return { kind: 't', df: k.df };
  if (k.kind === 'f')
    return {
      kind: 'f',
      df1: k.df === undefined || k.df2 === undefined ? undefined : k.df,
      df2: k.df === undefined || k.df2 === undefined ? undefined : k.df2,
    };
  return null;
}

/** The short name of a map's values in the threshold controls: "z", "t", "F", "1 − p", "value". */
export function statName(k: MapKind): string {
  return k === 'z'
    ? 'z'
    : k === 't'
      ? 't'
      : k === 'f'
        ? 'F'
        : k === 'one-minus-p'
          ? '1 − p'
          : k === 'tfce'
            ? 'TFCE'
            : k === 'p'
              ? 'p'
              : 'value';
}

/**
 * The kind's label where a threshold is in force: a 1 - p map at 0.95 reads "1 − p (p < 0.05)",
 * the p its threshold means (colour bar titles).
 */
export function thresholdedKindLabel(k: MapKindInfo, threshold: number): string {
  if (k.kind !== 'one-minus-p' || !(threshold > 0 && threshold < 1)) return kindLabel(k);
  return `1 − p (p < ${+(1 - threshold).toPrecision(3)})`;
}
