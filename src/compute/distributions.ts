import { betaFraction, lgamma } from './beta';
import { normalSf } from './normal';

/**
 * Tails in log space and z from them (../shared/SPEC.md: z keeps the one-sided p), float64: the
 * analysis' z from t (src/analysis/group/zt.ts) and the engines' z from F for TFCE on an F-test
 * (as randomise) share them.
 */

/**
 * -log B(a, b) of the last two (a, b) asked: a map's voxels share one df, and three lgamma per voxel
 * were most of the z-map's time. Two, as I_x(a, b) asks for (b, a) too (the far side of its mode):
 * a z-map alternates between them, and one entry missed at each turn.
 */
let lastBeta = { a: NaN, b: NaN, value: NaN };
let otherBeta = lastBeta;

function lnBetaInverse(a: number, b: number): number {
  if (a !== lastBeta.a || b !== lastBeta.b) {
    const other = otherBeta;
    otherBeta = lastBeta;
    lastBeta = a === other.a && b === other.b ? other : { a, b, value: lgamma(a + b) - lgamma(a) - lgamma(b) };
  }
  return lastBeta.value;
}

/** log I_x(a, b), with y = 1 - x given exactly (Numerical Recipes' continued fraction, in logs). */
export function logIncompleteBeta(x: number, y: number, a: number, b: number): number {
  if (x <= 0) return -Infinity;
  if (y <= 0) return 0;
  if (x > (a + 1) / (a + b + 2)) return Math.log1p(-Math.exp(logIncompleteBeta(y, x, b, a)));
  const lnFront = lnBetaInverse(a, b) + a * Math.log(x) + b * Math.log(y);
  return lnFront + Math.log(betaFraction(x, a, b)) - Math.log(a);
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** log(1 - Phi(z)): the float64 tail below z = 5, the Mills ratio's continued fraction above. */
export function logNormalSf(z: number): number {
  if (z < 5) return Math.log(normalSf(z));
  // R(z) = 1 / (z + 1 / (z + 2 / (z + 3 / ...))), evaluated from the back: 60 terms are exact at z >= 5.
  let r = z;
  for (let k = 60; k >= 1; k--) r = z + k / r;
  return -0.5 * z * z - LOG_SQRT_2PI - Math.log(r);
}

/**
 * Newton's error squares at each step (times about 1/z), so after a step this small (relative) the
 * next would be below 1e-16: float64's own rounding of the tail being inverted, which is good to
 * about 1e-14 against mpmath. Stopping there spares every voxel of a map a confirming step (a third
 * of its z's time); Acklam's start is within 1.2e-9, so one step usually does.
 */
const NEWTON_LAST_STEP = 1e-8;

/** The z whose log upper tail is lp (lp < 0): a starting guess, then Newton steps on log(1 - Phi). */
export function zFromLogSf(lp: number): number {
  if (lp === -Infinity) return Infinity;
  // Above p 0.5 (z < 0: an F near 0) the plain tail is exact enough to start from: Phi^-1(1 - p).
  let z =
    lp >= Math.log(0.5)
      ? inverseNormalCdf(1 - Math.exp(lp))
      : lp > -700
        ? -inverseNormalCdf(Math.exp(lp))
        : Math.sqrt(-2 * lp - Math.log(-2 * lp) - 2 * LOG_SQRT_2PI);
  for (let i = 0; i < 8; i++) {
    const ls = logNormalSf(z);
    // d/dz log(1 - Phi(z)) = -phi(z) / (1 - Phi(z))
    const slope = -Math.exp(-0.5 * z * z - LOG_SQRT_2PI - ls);
    const step = (ls - lp) / slope;
    z -= step;
    if (Math.abs(step) <= NEWTON_LAST_STEP * Math.max(1, Math.abs(z))) break;
  }
  return z;
}

/** Acklam's rational approximation of Phi^-1 (1e-9 relative), a start for Newton. */
function inverseNormalCdf(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - lo) return -inverseNormalCdf(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** log P(F > f) under Fisher's F with (df1, df2) degrees of freedom: log I_x(df2/2, df1/2), x = df2 / (df2 + df1 f). */
export function logFSf(f: number, df1: number, df2: number): number {
  if (!(f > 0)) return 0;
  if (f === Infinity) return -Infinity;
  const d = df2 + df1 * f;
  return logIncompleteBeta(df2 / d, (df1 * f) / d, df2 / 2, df1 / 2);
}

/** z from F keeping the (one-sided) p, as randomise converts an F map for TFCE and for display; F <= 0 gives -Infinity. */
export function zFromF(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f)) return NaN;
  if (!(f > 0)) return -Infinity;
  return zFromLogSf(logFSf(f, df1, df2));
}

/** The F whose one-sided p is the z's: the cluster-forming threshold of an F-test. */
export function fForZ(z: number, df1: number, df2: number): number {
  if (!(z > 0)) throw new RangeError(`the cluster-forming threshold must be above 0, not ${z}`);
  const target = Math.log(normalSf(z));
  let lo = 0;
  let hi = 1;
  while (logFSf(hi, df1, df2) > target) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (logFSf(mid, df1, df2) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
