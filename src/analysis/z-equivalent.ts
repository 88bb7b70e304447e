import { logIncompleteBeta, logTSf, zFromLogSf, zFromT } from './group/zt';
import { estimateSmoothness, type Smoothness, type SmoothnessMap } from './smoothness';
import { describeStatistic, type MapStatistic } from './statistic';

/**
 * Gaussian random field theory is for z (../shared/SPEC.md): FEAT runs `cluster` on the zstat. A t-
 * or F-map gets GRF p-values through its z-equivalent, the z with the same one-sided p (FSL's ttoz and
 * ftoz): the cluster-forming threshold u is the z of the map's threshold, and the smoothness is that of
 * the map converted voxelwise to z, as `smoothest -z` would see the zstat. A map whose statistic is not
 * known well enough (a t- or F-map without its df, an effect or 1 − p map) gets no GRF p.
 */

/** log P(F > f) with (df1, df2) degrees of freedom: log I_{df2/(df2 + df1 f)}(df2/2, df1/2), accurate in the tail. */
export function logFSf(f: number, df1: number, df2: number): number {
  if (!(f > 0)) return 0;
  const d = df2 + df1 * f;
  return logIncompleteBeta(df2 / d, (df1 * f) / d, df2 / 2, df1 / 2);
}

/** z with the F value's one-sided p (FSL's ftoz); 0 stays 0 (outside a map's mask), a negative F is not a statistic (NaN). */
export function zFromF(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f) || f < 0) return NaN;
  if (f === 0) return 0;
  return zFromLogSf(logFSf(f, df1, df2));
}

/** A statistic whose values can be turned into z: z itself, or t / F with known df. */
export type ZConvertible =
  | Extract<MapStatistic, { kind: 'z' }>
  | { readonly kind: 't'; readonly df: number }
  | { readonly kind: 'f'; readonly df1: number; readonly df2: number };

/** The statistic when z-equivalents exist, or why they do not (a sentence naming what is missing). */
export function zConvertible(s: MapStatistic | null): ZConvertible | string {
  if (!s) return 'GRF p-values need a z-, t- or F-map; this map has no such statistic (an effect, 1 − p or other map)';
  if (s.kind === 't' && s.df === undefined)
    return 'no GRF p: this t-map does not say its degrees of freedom (df unknown; GRF runs on its z-equivalent, which needs the df: give it, e.g. --df N)';
  if (s.kind === 'f' && (s.df1 === undefined || s.df2 === undefined))
    return 'no GRF p: this F-map does not say its degrees of freedom (df unknown; GRF runs on its z-equivalent, which needs them: give them, e.g. --df DF1,DF2)';
  return s as ZConvertible;
}

/** The z with the value's one-sided p, sign kept for t. */
export function zEquivalent(value: number, s: ZConvertible): number {
  if (s.kind === 'z') return value;
  if (s.kind === 't') return zFromT(value, s.df);
  return zFromF(value, s.df1, s.df2);
}

/** The one-sided log p of a value (for FWE p at a peak deep in the tail). */
export function logSf(value: number, s: ZConvertible): number {
  if (s.kind === 't') return value >= 0 ? logTSf(value, s.df) : Math.log1p(-Math.exp(logTSf(-value, s.df)));
  if (s.kind === 'f') return logFSf(value, s.df1, s.df2);
  throw new RangeError('logSf of a z-map: use logNormalSf');
}

/** The map converted voxelwise to z (a new array; a z-map is returned as it is). */
export function zEquivalentMap(data: Float32Array, s: ZConvertible): Float32Array {
  if (s.kind === 'z') return data;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    // Zero stays zero: it marks voxels outside the map's mask, which smoothest leaves out.
    out[i] = v === 0 ? 0 : zEquivalent(v, s);
  }
  return out;
}

/** A key for the statistic (its kind and df), for caches. */
export function statisticKey(s: ZConvertible): string {
  return s.kind === 'z' ? 'z' : describeStatistic(s);
}

const zSmoothness = new WeakMap<Float32Array, Map<string, Smoothness>>();

/**
 * The smoothness GRF uses for this map: FSL smoothest -z on its z-equivalent (the map itself for a
 * z-map). Remembered per map and statistic: the page asks on every threshold change.
 */
export function zMapSmoothness(map: SmoothnessMap, s: ZConvertible): Smoothness {
  if (s.kind === 'z') return estimateSmoothness(map);
  const key = statisticKey(s);
  const known = zSmoothness.get(map.data)?.get(key);
  if (known) return known;
  const sm = estimateSmoothness({ ...map, data: zEquivalentMap(map.data, s) });
  rememberZSmoothness(map.data, s, sm);
  return sm;
}

/** Records the z-equivalent's smoothness computed elsewhere (the worker, on its copy of the map). */
export function rememberZSmoothness(data: Float32Array, s: ZConvertible, sm: Smoothness): void {
  const byKey = zSmoothness.get(data) ?? new Map<string, Smoothness>();
  byKey.set(statisticKey(s), sm);
  zSmoothness.set(data, byKey);
}
