import type { Connectivity } from '../compute/engine';
import {
  DEFAULT_CLUSTER_ALPHA,
  DEFAULT_CONNECTIVITY,
  DEFAULT_Z_THRESHOLD,
  ONE_MINUS_P_THRESHOLD,
  TFCE_DEFAULT_SHARE,
} from './constants';
import { thresholdForStatistic } from './statistic';
import { kindStatistic, pThresholdable, type MapKind, type MapKindInfo } from './map-kind';
import type { MapStatistic } from './statistic';
import type { ClusterOptions, Extent } from './clusters';
import { grfClusterPHolds, parseFwhm, parseResels } from './cluster-grf';
import { GRF_MIN_CLUSTER_Z } from './constants';
import { zConvertible, zEquivalent } from './z-equivalent';

export type ExtentKind = 'none' | 'voxels' | 'mm3' | 'grf';

/** What the threshold controls say. */
export interface ThresholdSettings {
  /**
   * 'z': value is the map threshold itself (z or t); 'p': value is an uncorrected voxelwise p converted
   * through the df; 'fdr' / 'bonferroni': value is q / alpha over the whole map (src/app/page/height.ts).
   */
  readonly mode: 'z' | 'p' | 'fdr' | 'bonferroni';
  readonly value: number;
  readonly twoSided: boolean;
  readonly connectivity: Connectivity;
  readonly extent: ExtentKind;
  /** Voxels, mm^3, or alpha, by extent kind. */
  readonly extentValue: number;
  /** Show sub-threshold voxels faintly under the thresholded map. */
  readonly faint: boolean;
  /**
   * Where GRF's smoothness comes from: estimated from the map (FSL smoothest; absent means this), or
   * SPM's numbers typed in: FWHM in mm ("8" or "8, 8, 8") or the search volume in resels
   * (`smoothnessText`, kept as typed so a wrong value is refused with its reason).
   */
  readonly smoothness?: SmoothnessSource;
  readonly smoothnessText?: string;
}

export type SmoothnessSource = 'estimate' | 'fwhm' | 'resels';

/** The smoothness the settings give, or why they give none. */
export function smoothnessOption(s: ThresholdSettings): ClusterOptions['smoothness'] | string {
  if (!s.smoothness || s.smoothness === 'estimate') return { kind: 'estimate' };
  const text = s.smoothnessText ?? '';
  if (s.smoothness === 'fwhm') {
    const mm = parseFwhm(text);
    return typeof mm === 'string' ? `The ${mm}.` : { kind: 'fwhm', mm };
  }
  const r = parseResels(text);
  return typeof r === 'string' ? `The search volume in ${r}.` : { kind: 'resels', resels: r };
}

export const DEFAULT_SETTINGS: ThresholdSettings = {
  mode: 'z',
  value: DEFAULT_Z_THRESHOLD,
  twoSided: false,
  connectivity: DEFAULT_CONNECTIVITY,
  extent: 'none',
  extentValue: DEFAULT_CLUSTER_ALPHA,
  faint: false,
};

/** Maps whose thresholds are on one scale: z, t, F and effects share one; a 1 − p map and a TFCE score each have their own. */
type ThresholdScale = 'one-minus-p' | 'tfce' | 'statistic';
const scaleOf = (k: MapKind | undefined): ThresholdScale => (k === 'one-minus-p' || k === 'tfce' ? k : 'statistic');

/**
 * The settings when another map is shown: a threshold on one scale means nothing on another (a t of
 * 2.6 on a 1 − p map hides every voxel), so a change of scale starts from the new scale's default:
 * 1 − p at 0.95 (p < 0.05), one-sided; a TFCE score above a share of its largest; z 2.3 back on a
 * statistic. Within a scale (z to t) the user's threshold stays. `maxAbs`: the new map's largest |value|.
 */
export function settingsForShown(
  s: ThresholdSettings,
  from: MapKind | undefined,
  to: MapKind,
  maxAbs: number,
): ThresholdSettings {
  const scale = scaleOf(to);
  if (from !== undefined && scaleOf(from) === scale) return s;
  if (from === undefined && scale === 'statistic') return s;
  if (scale === 'one-minus-p')
    return {
      ...s,
      mode: 'z',
      value: ONE_MINUS_P_THRESHOLD,
      twoSided: false,
      extent: s.extent === 'grf' ? 'none' : s.extent,
    };
  if (scale === 'tfce')
    return {
      ...s,
      mode: 'z',
      value: +(TFCE_DEFAULT_SHARE * maxAbs).toPrecision(3) || 1,
      extent: s.extent === 'grf' ? 'none' : s.extent,
    };
  return { ...s, mode: 'z', value: DEFAULT_Z_THRESHOLD };
}

/** What the threshold is read against: the shown map's kind (and df). */
export type ThresholdTarget = MapKindInfo | undefined;

/**
 * The map threshold the settings mean for a map of this kind: the value itself, or a voxelwise p
 * through the map's statistic (z, t(df), F(df1, df2)); on a 1 - p map, 1 - p. A map of no known
 * kind is read as z. Throws when thresholdProblem would say why not; FDR and Bonferroni need the
 * map's values (src/app/page/height.ts).
 */
export function mapThreshold(s: ThresholdSettings, target: ThresholdTarget): number {
  if (s.mode === 'fdr' || s.mode === 'bonferroni')
    throw new Error('an FDR or Bonferroni threshold depends on the map: use pageHeight');
  if (s.mode === 'z') return s.value;
  if (target?.kind === 'one-minus-p') return 1 - s.value;
  const stat = targetStatistic(target);
  if (!stat)
    throw new RangeError(
      `a${target?.kind === 'effect' ? 'n' : ''} ${target?.kind} map has no distribution to turn p into a threshold`,
    );
  return thresholdForStatistic(s.value, stat, s.twoSided);
}

/** The statistic p-values are read through: the kind's, z for a map of no known kind, null for kinds without one. */
export function targetStatistic(target: ThresholdTarget): MapStatistic | null {
  return target ? kindStatistic(target) : { kind: 'z', assumed: true };
}

/** `threshold`: the height FDR or Bonferroni gave (src/app/page/height.ts), for those modes. */
export function clusterOptions(
  s: ThresholdSettings,
  target: ThresholdTarget,
  threshold = mapThreshold(s, target),
): ClusterOptions {
  const sm = smoothnessOption(s);
  const extent: Extent =
    s.extent === 'voxels'
      ? { kind: 'voxels', min: s.extentValue }
      : s.extent === 'mm3'
        ? { kind: 'mm3', min: s.extentValue }
        : s.extent === 'grf'
          ? { kind: 'grf', alpha: s.extentValue }
          : { kind: 'none' };
  return {
    threshold,
    twoSided: s.twoSided,
    connectivity: s.connectivity,
    extent,
    // Cluster p-values need the smoothness: SPM's FWHM or resels when typed, else estimated from the map
    // as FSL does for a z-map (a t- or F-map through its z-equivalent; none without its df or for kinds
    // without a statistic).
    // A refused FWHM or resels value gives no p (the panel says why), never another smoothness.
    smoothness: typeof sm === 'string' ? { kind: 'none' } : sm,
    statistic: targetStatistic(target),
  };
}

/**
 * Why the settings cannot threshold this map, in words for the threshold panel, or null when they
 * can. A wrong value is never silently ignored: the panel says this and the table is withdrawn.
 */
export function thresholdProblem(s: ThresholdSettings, target: ThresholdTarget, mapName = 'this map'): string | null {
  if (!Number.isFinite(s.value)) return 'Enter a threshold: the box is empty or not a number.';
  if (s.value <= 0) return `The threshold must be above 0 (got ${s.value}); use two-sided for negative values.`;
  if (s.mode !== 'z') {
    const what = s.mode === 'fdr' ? 'An FDR q' : s.mode === 'bonferroni' ? 'A Bonferroni α' : 'A p-value';
    if (s.value >= 1) return `${what} is between 0 and 1 (got ${s.value}).`;
    const k = target?.kind;
    // FDR and Bonferroni need p at every voxel, through the map's own statistic: a 1 - p map has none here.
    if (k === 'one-minus-p' && s.mode !== 'p')
      return `${mapName} is a 1 − p map: FDR and Bonferroni need a z-, t- or F-map. Threshold it by value or by voxelwise p.`;
    if (k && !pThresholdable(k))
      return `${mapName} is ${k === 'p' ? 'a p' : k === 'effect' ? 'an effect' : k === 'weights' ? 'a signature weights' : `an ${k}`} map: it has no distribution to turn p into a threshold. Threshold it by value, or set its kind in the map list.`;
    if (k === 't' && target?.df === undefined)
      return `${mapName} is a t-map that does not say its degrees of freedom: enter its df in the map list before thresholding by p, FDR or Bonferroni.`;
    if (k === 'f' && (target?.df === undefined || target.df2 === undefined))
      return `${mapName} is an F-map that does not say its degrees of freedom: enter df1 and df2 in the map list before thresholding by p, FDR or Bonferroni.`;
    if (k === 'f' && s.twoSided) return 'An F-map has one tail: p is never two-sided.';
  }
  if (target?.kind === 'p')
    return `${mapName} holds p-values (small is significant), which clusters above a threshold cannot use: open its 1 − p or z map, or set its kind.`;
  if (s.extent === 'grf' && !(s.extentValue > 0 && s.extentValue < 1))
    return `The cluster α must be between 0 and 1, exclusive (got ${Number.isFinite(s.extentValue) ? s.extentValue : 'nothing'}).`;
  if (s.extent === 'grf' && target && target.kind !== 'z' && target.kind !== 't' && target.kind !== 'f')
    return `GRF cluster p-values need a z-, t- or F-map; ${mapName} is ${target.kind === 'one-minus-p' ? 'a 1 − p' : target.kind === 'effect' ? 'an effect' : `a${target.kind === 'other' ? 'n' : ''} ${target.kind}`} map.`;
  if (s.extent === 'grf' && target?.kind === 't' && target.df === undefined)
    return `GRF cluster p-values on a t-map go through its z-equivalent, which needs its degrees of freedom: ${mapName} does not say them (df unknown); enter its df in the map list.`;
  if (s.extent === 'grf' && target?.kind === 'f' && (target.df === undefined || target.df2 === undefined))
    return `GRF cluster p-values on an F-map go through its z-equivalent, which needs its degrees of freedom: ${mapName} does not say them (df unknown); enter df1 and df2 in the map list.`;
  const low = lowGrfThreshold(s, target);
  if (low !== null)
    return `A "GRF p < α" extent needs a cluster-forming threshold of at least z ${GRF_MIN_CLUSTER_Z}, where GRF's cluster p holds: ${mapName} at this threshold is z ${low.toFixed(2)}. Raise the threshold or choose another extent.`;
  const sm = smoothnessOption(s);
  if (typeof sm === 'string') return sm;
  if ((s.extent === 'voxels' || s.extent === 'mm3') && !(s.extentValue > 0))
    return `The minimum cluster size must be above 0 (got ${Number.isFinite(s.extentValue) ? s.extentValue : 'nothing'}).`;
  return null;
}

/**
 * The settings the map is still drawn with while the typed smoothness (SPM's FWHM or resels) is
 * refused, or a "GRF p < α" extent is asked where GRF withholds its cluster p (a cluster-forming
 * threshold below GRF_MIN_CLUSTER_Z), and nothing else is wrong: the same height, no GRF p
 * (clusterOptions gives no smoothness), and no extent where it was "GRF p < α". Null otherwise.
 */
export function drawableWithoutGrf(
  s: ThresholdSettings,
  target: ThresholdTarget,
  mapName?: string,
): ThresholdSettings | null {
  // A GRF extent at a threshold where GRF withholds its p is dropped the same way: the map stays drawn.
  if (typeof smoothnessOption(s) !== 'string' && lowGrfThreshold(s, target) === null) return null;
  const extent = s.extent === 'grf' ? { extent: 'none' as const } : {};
  const rest = { ...s, ...extent };
  return thresholdProblem({ ...rest, smoothness: 'estimate' }, target, mapName) === null ? rest : null;
}

/**
 * The cluster-forming threshold as z when a GRF extent is asked below GRF_MIN_CLUSTER_Z, where GRF
 * withholds its cluster p (cluster-grf.ts); null otherwise, and where the data set the height (FDR,
 * Bonferroni) or the df are unknown (other checks say so).
 */
function lowGrfThreshold(s: ThresholdSettings, target: ThresholdTarget): number | null {
  if (s.extent !== 'grf' || s.mode === 'fdr' || s.mode === 'bonferroni' || !(s.value > 0)) return null;
  if (s.mode !== 'z' && !(s.value < 1)) return null;
  const stat = zConvertible(targetStatistic(target));
  if (typeof stat === 'string') return null;
  const z = zEquivalent(mapThreshold(s, target), stat);
  return grfClusterPHolds(z) ? null : z;
}

/** Whether the settings can be used as they are (the form may hold a half-typed number). */
export function validSettings(s: ThresholdSettings, target?: ThresholdTarget): boolean {
  return thresholdProblem(s, target) === null;
}
