import type { GlmCluster, GlmMaps } from '../../analysis/glm/inference';
import type { Excluded } from '../../analysis/group/design';
import type { Connectivity } from '../../compute/engine';
import type { Volume } from '../../nifti';
import { intentKind, INTENT_FTEST, INTENT_TTEST } from '../../nifti/intent';
import type { GlmRun } from '../../worker/group-glm';
import { designView, type DesignView } from './design-view';

/** Within this share, a permutation's maximum ties the data's own (as `siglens group`'s text counts it: float32 maps). */
const MAX_TIE = 1e-6;

/** One contrast or F-test of a finished model run, as the panel's table lists it. */
export interface GlmTestSummary {
  readonly kind: 't' | 'F';
  /** 1-based per kind, as randomise numbers tstatN and fstatN. */
  readonly index: number;
  readonly name: string;
  /** randomise's stem of its maps: tstat1, fstat1. */
  readonly stem: string;
  readonly df1: number;
  readonly df2: number;
  readonly permutation: 'sign-flip' | 'permutation';
  readonly count: number;
  readonly exhaustive: boolean;
  /** The cluster-forming threshold in the statistic's units (t or F). */
  readonly threshold: number;
  /** The largest statistic in the map (the data's own maximum), and its FWE p against the max-statistic null. */
  readonly maxStat: number;
  readonly pMax: number;
  readonly clusters: readonly GlmCluster[];
}

export interface GlmSummary {
  readonly kind: 'glm';
  readonly design: 'one-sample' | 'paired';
  readonly n: number;
  readonly rank: number;
  readonly df: number;
  readonly maskVoxels: number;
  readonly thresholdZ: number;
  readonly connectivity: Connectivity;
  readonly seed: number;
  readonly model: DesignView;
  readonly tests: readonly GlmTestSummary[];
  readonly excluded: readonly Excluded[];
  readonly engine: string;
  readonly seconds: number;
}

/** FWE p of the data's own maximum: the share of permutations (the data's own first) whose maximum reaches it. */
export function maxStatP(maxStat: readonly number[]): number {
  const top = maxStat[0] ?? NaN;
  return maxStat.filter((x) => x >= top * (1 - MAX_TIE)).length / maxStat.length;
}

export function glmSummary(run: GlmRun, seconds: number): GlmSummary {
  const r = run.result;
  return {
    kind: 'glm',
    design: run.design,
    n: r.n,
    rank: r.rank,
    df: r.df,
    maskVoxels: r.maskVoxels,
    thresholdZ: r.thresholdZ,
    connectivity: r.connectivity,
    seed: r.seed,
    model: designView(r.model, r.subjects),
    tests: r.tests.map((t) => ({
      kind: t.kind,
      index: t.index,
      name: t.name,
      stem: `${t.kind === 't' ? 'tstat' : 'fstat'}${t.index}`,
      df1: t.df1,
      df2: t.df,
      permutation: t.permutation,
      count: t.plan.count,
      exhaustive: t.plan.exhaustive,
      threshold: t.threshold.stat,
      maxStat: t.nulls.maxStat[0] ?? NaN,
      pMax: maxStatP(t.nulls.maxStat),
      clusters: t.clusters,
    })),
    excluded: r.excluded,
    engine: run.engine,
    seconds,
  };
}

/** A test's maps in the order the viewer opens them, named as randomise writes them (PREFIX_tstat1, PREFIX_vox_corrp_tstat1 ...). */
const OUTPUTS: readonly (readonly [keyof GlmMaps, string])[] = [
  ['stat', ''],
  ['vox_corrp', 'vox_corrp_'],
  ['clustere_corrp', 'clustere_corrp_'],
  ['clusterm_corrp', 'clusterm_corrp_'],
  ['tfce_corrp', 'tfce_corrp_'],
];

/** The k-th test's maps (t-contrasts first, then F-tests, as the run lists them) as volumes on the study's grid. */
export function glmVolumes(run: GlmRun, k: number, prefix: string): Volume[] {
  const { grid, result } = run;
  const t = result.tests[k];
  if (!t) return [];
  const stem = `${t.kind === 't' ? 'tstat' : 'fstat'}${t.index}`;
  const size = grid.dims[0] * grid.dims[1] * grid.dims[2];
  const out: Volume[] = [];
  for (const [key, infix] of OUTPUTS) {
    const values = t.maps[key];
    if (!values) continue;
    const data = new Float32Array(size);
    for (let j = 0; j < result.voxelIndex.length; j++) data[result.voxelIndex[j]!] = values[j]!;
    const code = key === 'stat' ? (t.kind === 't' ? INTENT_TTEST : INTENT_FTEST) : 0;
    out.push({
      name: `${prefix}_${infix}${stem}.nii`,
      dims: [...grid.dims],
      frames: 1,
      frame: 0,
      pixdim: [grid.pixdim[0]!, grid.pixdim[1]!, grid.pixdim[2]!],
      affine: [...grid.affine],
      affineSource: 'sform',
      datatype: { code: 16, name: 'float32', bytes: 4 },
      intent: {
        code,
        kind: intentKind(code),
        name: '',
        p1: key !== 'stat' ? 0 : t.kind === 't' ? t.df : t.df1,
        p2: key === 'stat' && t.kind === 'F' ? t.df : 0,
        p3: 0,
      },
      description: `siglens group ${infix}${stem}: ${t.name}`,
      data,
    });
  }
  return out;
}
