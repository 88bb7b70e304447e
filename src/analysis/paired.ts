import { thresholdForP, tSf } from './pvalue';

/** Coverage of the confidence intervals reported. */
export const CI_LEVEL = 0.95;

export interface PairedStats {
  readonly n: number;
  /** Mean of post - pre. */
  readonly mean: number;
  /** Sample SD of post - pre (n - 1). */
  readonly sd: number;
  readonly t: number;
  readonly df: number;
  /** Two-sided p of the paired t-test (scipy.stats.ttest_rel). */
  readonly p: number;
  /** Cohen's d_z: mean / sd of the differences. */
  readonly dz: number;
  /** 95% CI of the mean difference. */
  readonly ci95: [number, number];
}

export interface GroupComparison {
  readonly groups: [string, string];
  readonly n: [number, number];
  readonly means: [number, number];
  /** Welch's t-test of the changes (scipy.stats.ttest_ind with equal_var=False). */
  readonly t: number;
  readonly df: number;
  readonly p: number;
  /** Difference of mean changes (first - second) and its 95% CI (Welch). */
  readonly difference: number;
  readonly ci95: [number, number];
}

function mean(x: readonly number[]): number {
  return x.reduce((a, b) => a + b, 0) / x.length;
}

function variance(x: readonly number[], m = mean(x)): number {
  return x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1);
}

/** Two-sided critical t for the CI level. */
function tCritical(df: number): number {
  return thresholdForP(1 - CI_LEVEL, true, df);
}

/** Paired t-test of post against pre (pairs with a non-finite value are the caller's to drop). */
export function pairedStats(pre: readonly number[], post: readonly number[]): PairedStats | null {
  if (pre.length !== post.length) throw new Error('pre and post need the same number of subjects');
  const d = post.map((v, i) => v - pre[i]!);
  const n = d.length;
  if (n < 2) return null;
  const m = mean(d);
  const sd = Math.sqrt(variance(d, m));
  const se = sd / Math.sqrt(n);
  const df = n - 1;
  const t = m / se;
  const half = tCritical(df) * se;
  return { n, mean: m, sd, t, df, p: 2 * tSf(Math.abs(t), df), dz: m / sd, ci95: [m - half, m + half] };
}

/** Welch's comparison of two groups' changes. */
export function compareGroups(
  names: [string, string],
  a: readonly number[],
  b: readonly number[],
): GroupComparison | null {
  if (a.length < 2 || b.length < 2) return null;
  const [ma, mb] = [mean(a), mean(b)];
  const [va, vb] = [variance(a, ma) / a.length, variance(b, mb) / b.length];
  const se = Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const t = (ma - mb) / se;
  const half = tCritical(df) * se;
  return {
    groups: names,
    n: [a.length, b.length],
    means: [ma, mb],
    t,
    df,
    p: 2 * tSf(Math.abs(t), df),
    difference: ma - mb,
    ci95: [ma - mb - half, ma - mb + half],
  };
}
