import { betaFraction, lgamma } from '../compute/beta';
import { normalSf } from './normal';

export { betaFraction, lgamma };

/** Regularised incomplete beta I_x(a, b) by its continued fraction (Numerical Recipes' betacf), float64. */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  return (Math.exp(lnFront) * betaFraction(x, a, b)) / a;
}

/**
 * Upper tail of Student's t with df degrees of freedom, P(T > t). Near t = 0 the beta's argument
 * df / (df + t^2) rounds towards 1, so where the tail is large (>= 1/4, no cancellation to fear) it
 * comes from the complement's argument, t^2 / (df + t^2).
 */
export function tSf(t: number, df: number): number {
  const t2 = t * t;
  let tail = 0.5 * incompleteBeta(df / (df + t2), df / 2, 0.5);
  if (tail >= 0.25) tail = 0.5 * (1 - incompleteBeta(t2 / (df + t2), 0.5, df / 2));
  return t >= 0 ? tail : 1 - tail;
}

/**
 * Upper tail of Fisher's F with (df1, df2) degrees of freedom, P(F > f) = I_{df2/(df2 + df1 f)}(df2/2, df1/2):
 * the beta's small argument is the upper tail itself, so deep tails keep their relative precision.
 */
export function fSf(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f)) return NaN;
  if (f <= 0) return 1;
  // As tSf: a large tail (f near 0) from the complement's argument, which does not round towards 1.
  const tail = incompleteBeta(df2 / (df2 + df1 * f), df2 / 2, df1 / 2);
  return tail < 0.5 ? tail : 1 - incompleteBeta((df1 * f) / (df2 + df1 * f), df1 / 2, df2 / 2);
}

/** The F value whose upper tail is p (scipy.stats.f.isf). */
export function fIsf(p: number, df1: number, df2: number): number {
  return inverseSf(p, (f) => fSf(f, df1, df2));
}

/** The t value whose upper tail is p (scipy.stats.t.isf). */
export function tIsf(p: number, df: number): number {
  return inverseSf(p, (t) => tSf(t, df));
}

/** The value whose upper tail is p, by bisection on a monotone survival function (float64, to 1e-12). */
export function inverseSf(p: number, sf: (x: number) => number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be between 0 and 1, not ${p}`);
  let lo = -1;
  let hi = 1;
  while (sf(lo) < p) lo *= 2;
  while (sf(hi) > p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, Math.abs(hi)); i++) {
    const mid = (lo + hi) / 2;
    if (sf(mid) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The map threshold for a voxelwise p: z for a z-map, t through the map's df for a t-map.
 * Two-sided splits p between the tails.
 */
export function thresholdForP(p: number, twoSided: boolean, df?: number): number {
  const tail = twoSided ? p / 2 : p;
  return df === undefined ? inverseSf(tail, normalSf) : inverseSf(tail, (t) => tSf(t, df));
}

/** The voxelwise p of a threshold (inverse of thresholdForP). */
export function pForThreshold(t: number, twoSided: boolean, df?: number): number {
  const tail = df === undefined ? normalSf(t) : tSf(t, df);
  return twoSided ? 2 * tail : tail;
}
