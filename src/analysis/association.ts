import { fSf, tSf } from './pvalue';

/** Pearson's r with its two-sided p (scipy.stats.pearsonr). */
export interface PearsonResult {
  readonly r: number;
  readonly p: number;
}

/** Spearman's rho with its two-sided p (scipy.stats.spearmanr: average ranks for ties, p through t(n - 2)). */
export interface SpearmanResult {
  readonly rho: number;
  readonly p: number;
}

/** One-way ANOVA (scipy.stats.f_oneway). */
export interface Anova {
  readonly F: number;
  readonly df1: number;
  readonly df2: number;
  readonly p: number;
}

const mean = (x: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
};

/** Ranks from 1, ties given the average of the ranks they span (scipy.stats.rankdata 'average'). */
export function averageRanks(x: readonly number[]): number[] {
  const order = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const ranks = new Array<number>(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]!] === x[order[i]!]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

/** The two-sided p of a correlation r over n pairs: t = r sqrt((n - 2) / (1 - r^2)) on n - 2 df. */
function correlationP(r: number, n: number): number {
  if (Math.abs(r) >= 1) return 0;
  const t = Math.abs(r) * Math.sqrt((n - 2) / ((1 - r) * (1 + r)));
  return Math.min(1, 2 * tSf(t, n - 2));
}

/** Pearson's r and p; null with fewer than 3 pairs or a constant variable (r undefined). */
export function pearson(x: readonly number[], y: readonly number[]): PearsonResult | null {
  if (x.length !== y.length) throw new Error('x and y need the same length');
  const n = x.length;
  if (n < 3) return null;
  const [mx, my] = [mean(x), mean(y)];
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const [dx, dy] = [x[i]! - mx, y[i]! - my];
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  return { r, p: correlationP(r, n) };
}

/** Spearman's rho (Pearson over average ranks) and p; null as pearson. */
export function spearman(x: readonly number[], y: readonly number[]): SpearmanResult | null {
  const r = pearson(averageRanks(x), averageRanks(y));
  return r && { rho: r.r, p: r.p };
}

/**
 * One-way ANOVA of k >= 2 groups: F = (SS between / (k - 1)) / (SS within / (N - k)), p from F(k - 1, N - k).
 * Null when a group is empty, N <= k, or every group is constant (F undefined).
 */
export function oneWayAnova(groups: readonly (readonly number[])[]): Anova | null {
  const k = groups.length;
  const N = groups.reduce((a, g) => a + g.length, 0);
  if (k < 2 || groups.some((g) => g.length === 0) || N <= k) return null;
  const grand = mean(groups.flat());
  let between = 0;
  let within = 0;
  for (const g of groups) {
    const m = mean(g);
    between += g.length * (m - grand) ** 2;
    for (const v of g) within += (v - m) ** 2;
  }
  if (within === 0) return null;
  const [df1, df2] = [k - 1, N - k];
  const F = between / df1 / (within / df2);
  return { F, df1, df2, p: fSf(F, df1, df2) };
}
