import { describeStatistic, statisticP, thresholdForStatistic, type MapStatistic } from './statistic';

/** Voxelwise height control, as nilearn's threshold_stats_img: `fdr` (Benjamini-Hochberg q), `bonferroni`, `fpr` (uncorrected p). */
export type HeightMethod = 'fdr' | 'bonferroni' | 'fpr';
export const HEIGHT_METHODS: readonly HeightMethod[] = ['fdr', 'bonferroni', 'fpr'];

export interface HeightControl {
  readonly method: HeightMethod;
  /** Q for fdr, A for bonferroni, P for fpr. */
  readonly alpha: number;
  /** The height in the map's own units (z, t or F), or null when FDR finds no k. */
  readonly threshold: number | null;
  /** m: the voxels tested (finite and non-zero). */
  readonly voxels: number;
  /** Tested voxels at or beyond the threshold (|value| two-sided). */
  readonly survivors: number;
  readonly twoSided: boolean;
  /** The statistic p went through, e.g. "t, df 262". */
  readonly statistic: string;
}

/** `fdr:0.05` and the like into a method and its alpha; undefined when the text is not one. */
export function parseHeight(text: string): { method: HeightMethod; alpha: number } | undefined {
  const m = /^(fdr|bonferroni|fpr):(.+)$/.exec(text.trim());
  const alpha = m ? Number(m[2]) : NaN;
  return m && alpha > 0 && alpha < 1 ? { method: m[1] as HeightMethod, alpha } : undefined;
}

/**
 * The height that controls the voxelwise error of a map (SPEC "Study statistics"). p_v is the upper
 * tail of the map's statistic at v (twice that of |v| two-sided) over the finite non-zero voxels, m of
 * them. FDR: the largest k with p_(k) <= Q k / m gives the threshold |value| of p_(k); Bonferroni: the
 * value whose p is A / m; fpr: the value whose p is P. Throws UnknownDfError while df is unknown.
 */
export function heightControl(
  data: ArrayLike<number>,
  stat: MapStatistic,
  method: HeightMethod,
  alpha: number,
  twoSided: boolean,
): HeightControl {
  const tested = testedValues(data, twoSided);
  const m = tested.length;
  const base = { method, alpha, voxels: m, twoSided, statistic: describeStatistic(stat) };
  if (m === 0) return { ...base, threshold: null, survivors: 0 };
  const threshold =
    method === 'fdr'
      ? fdrThreshold(tested, stat, alpha, twoSided)
      : thresholdForStatistic(method === 'bonferroni' ? alpha / m : alpha, stat, twoSided);
  let survivors = 0;
  if (threshold !== null) for (let i = 0; i < m; i++) if (tested[i]! >= threshold) survivors++;
  return { ...base, threshold, survivors };
}

/** The tested voxels' values (|value| two-sided), in float64. */
function testedValues(data: ArrayLike<number>, twoSided: boolean): Float64Array {
  let m = 0;
  for (let i = 0; i < data.length; i++) if (Number.isFinite(data[i]!) && data[i] !== 0) m++;
  const out = new Float64Array(m);
  for (let i = 0, j = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isFinite(v) && v !== 0) out[j++] = twoSided ? Math.abs(v) : v;
  }
  return out;
}

/**
 * Benjamini-Hochberg. Only voxels with p <= Q can satisfy p_(k) <= Q k / m, so p is computed just for
 * those (values from a little below the value whose p is Q, to be safe from rounding), largest k first.
 */
function fdrThreshold(tested: Float64Array, stat: MapStatistic, q: number, twoSided: boolean): number | null {
  const m = tested.length;
  const atQ = thresholdForStatistic(q, stat, twoSided);
  const floor = atQ - 1e-9 * Math.max(1, Math.abs(atQ));
  const candidates = tested.filter((v) => v >= floor).sort();
  const n = candidates.length;
  // Descending order: candidates[n - k] is the k-th largest value, whose p is the k-th smallest.
  for (let k = n; k >= 1; k--) {
    const v = candidates[n - k]!;
    if (statisticP(v, stat, twoSided) <= (q * k) / m) return v;
  }
  return null;
}
