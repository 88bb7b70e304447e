import { fForZ, logFSf, logIncompleteBeta, logNormalSf, zFromF, zFromLogSf } from '../../compute/distributions';
import { normalSf } from '../normal';
import { lgamma, thresholdForP } from '../pvalue';

export { fForZ, logFSf, logIncompleteBeta, logNormalSf, zFromF, zFromLogSf };

/**
 * z from t keeping the one-sided p (../shared/SPEC.md): z = Phi^-1(1 - T_df(t)), sign kept, in log
 * space so the far tails stay finite and accurate (t = 40 at df 9 is z 7.2, t = 1e40 is finite too).
 */
export function zFromT(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  if (t === 0) return 0;
  const z = zFromLogSf(logTSf(Math.abs(t), df));
  return t < 0 ? -z : z;
}

/** The t whose one-sided p is the z's: the cluster-forming threshold in t units. */
export function tForZ(z: number, df: number): number {
  if (!(z > 0)) throw new RangeError(`the cluster-forming threshold must be above 0, not ${z}`);
  return thresholdForP(normalSf(z), false, df);
}

/** log P(T > t) for t >= 0 under Student's t with df degrees of freedom. */
export function logTSf(t: number, df: number): number {
  if (t === Infinity) return -Infinity;
  if (t > 1e100) {
    // x = df / t^2 would underflow: I_x(a, 1/2) ~ x^a Gamma(a + 1/2) / (Gamma(a) Gamma(1/2) a) there.
    const a = df / 2;
    return (
      Math.log(0.5) + lgamma(a + 0.5) - lgamma(a) - lgamma(0.5) + a * (Math.log(df) - 2 * Math.log(t)) - Math.log(a)
    );
  }
  const t2 = t * t;
  // P(T > t) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2), and 1 - x computed without cancellation.
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  return Math.log(0.5) + logIncompleteBeta(x, y, df / 2, 0.5);
}
