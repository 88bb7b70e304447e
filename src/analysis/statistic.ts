import { INTENT_FTEST, INTENT_TTEST, INTENT_ZSCORE, type Intent } from '../nifti/intent';
import { normalSf } from './normal';
import { fSf, inverseSf, tSf } from './pvalue';

/**
 * The statistic a map's values follow, as far as p-values are concerned. A map that names no
 * statistic is read as z (`assumed`), as nilearn's threshold_stats_img does; a t-map whose df is
 * not known has `df: undefined`, and every p through it is refused until it is given.
 */
export type MapStatistic =
  | { readonly kind: 'z'; readonly assumed: boolean }
  | { readonly kind: 't'; readonly df: number | undefined }
  | { readonly kind: 'f'; readonly df1: number | undefined; readonly df2: number | undefined };

/** p through a statistic whose df is not known. */
export class UnknownDfError extends Error {
  override readonly name = 'UnknownDfError';
}

const positive = (n: number): boolean => Number.isFinite(n) && n > 0;

/**
 * The statistic of a map from its intent (the header's, or SPM's descrip as src/nifti reads it);
 * `df` (one number for t, [df1, df2] for F) overrides what the map says, and one number makes a map
 * that names no statistic a t-map.
 */
export function mapStatistic(intent: Intent, df?: number | readonly [number, number]): MapStatistic {
  if (df !== undefined) {
    const ok = typeof df === 'number' ? positive(df) : df.length === 2 && df.every(positive);
    if (!ok) throw new RangeError(`degrees of freedom must be above 0, not ${String(df)}`);
  }
  if (df !== undefined && intent.code === INTENT_ZSCORE) throw new RangeError('a z-map has no degrees of freedom');
  if (intent.code === INTENT_FTEST || (Array.isArray(df) && intent.code !== INTENT_TTEST)) {
    const [d1, d2] = Array.isArray(df) ? df : [intent.p1, intent.p2];
    return positive(d1!) && positive(d2!)
      ? { kind: 'f', df1: d1!, df2: d2! }
      : { kind: 'f', df1: undefined, df2: undefined };
  }
  if (Array.isArray(df)) throw new RangeError('a t-map has one df, not two');
  if (intent.code === INTENT_TTEST || typeof df === 'number') {
    const d = typeof df === 'number' ? df : intent.p1;
    return { kind: 't', df: positive(d) ? d : undefined };
  }
  return { kind: 'z', assumed: intent.code !== INTENT_ZSCORE };
}

/** Says what a statistic is, e.g. "t, df 262", "t, df unknown", "F(1, 262)", "z". */
export function describeStatistic(s: MapStatistic): string {
  if (s.kind === 'z') return s.assumed ? 'z (assumed)' : 'z';
  if (s.kind === 't') return `t, df ${s.df ?? 'unknown'}`;
  return s.df1 === undefined ? 'F, df unknown' : `F(${s.df1}, ${s.df2})`;
}

/** Throws UnknownDfError unless p-values through the statistic are defined. */
export function requireKnownDf(s: MapStatistic): void {
  if (s.kind === 't' && s.df === undefined)
    throw new UnknownDfError(
      'this t-map does not say its degrees of freedom (intent_p1 is 0): give them (--df N) before thresholding by p',
    );
  if (s.kind === 'f' && s.df1 === undefined)
    throw new UnknownDfError(
      'this F-map does not say its degrees of freedom: give them (--df DF1,DF2) before thresholding by p',
    );
}

/** The upper tail of the statistic at `value`, P(X > value) (float64, accurate in the tail). */
export function statisticSf(value: number, s: MapStatistic): number {
  requireKnownDf(s);
  if (s.kind === 'z') return normalSf(value);
  if (s.kind === 't') return tSf(value, s.df!);
  return fSf(value, s.df1!, s.df2!);
}

/**
 * The voxelwise p of a value: the upper tail, or twice the tail of |value| two-sided (z, t). An F-map
 * has one tail: two-sided is refused.
 */
export function statisticP(value: number, s: MapStatistic, twoSided: boolean): number {
  if (!twoSided) return statisticSf(value, s);
  if (s.kind === 'f') throw new RangeError('an F-map has one tail: p is never two-sided');
  return Math.min(1, 2 * statisticSf(Math.abs(value), s));
}

/**
 * The map threshold for a voxelwise p given the map's statistic: z for a z-map, t through its df,
 * F through (df1, df2); two-sided (z, t) splits p between the tails. E.g. p < 0.001 one-sided is
 * z 3.090 on a z-map and t 3.122 on spmMotor's t(262). Throws UnknownDfError while df is unknown.
 */
export function thresholdForStatistic(p: number, s: MapStatistic, twoSided: boolean): number {
  requireKnownDf(s);
  if (twoSided && s.kind === 'f') throw new RangeError('an F-map has one tail: p is never two-sided');
  return inverseSf(twoSided ? p / 2 : p, (v) => statisticSf(v, s));
}
