import type { GrfParams } from './grf';
import type { ClusterOptions } from './clusters';
import type { Smoothness, SmoothnessMap } from './smoothness';
import { describeStatistic } from './statistic';
import { zConvertible, zEquivalent, zMapSmoothness, type ZConvertible } from './z-equivalent';

/** What GRF needs for a table, and what it says about the map. */
export interface GrfSetup {
  /** u (the z-equivalent of the threshold), DLH and V; null when no GRF p can be had. */
  readonly grf: GrfParams | null;
  /** The estimate made (of the z-equivalent map), when one was asked for. */
  readonly smoothness: Smoothness | null;
  /** The statistic the z-equivalents come from, or null when there is none. */
  readonly statistic: ZConvertible | null;
  /** Why there is no GRF p, or what was converted. */
  readonly warnings: string[];
}

/**
 * GRF for a table (../shared/SPEC.md): a z-map as it is; a t- or F-map through its z-equivalent (u
 * the z of the threshold, smoothness that of the map converted to z); no p for a t- or F-map whose
 * df is unknown, nor for a map that has no statistic (opts.statistic null). `statistic` undefined is
 * a z-map. `whole` gives the map's values (throws when they are not at hand).
 */
export function grfSetup(map: Omit<SmoothnessMap, 'data'>, opts: ClusterOptions, whole: (why: string) => Float32Array, maskVolume: (data: Float32Array) => number): GrfSetup {
  const conv = zConvertible(opts.statistic === undefined ? { kind: 'z', assumed: true } : opts.statistic);
  if (typeof conv === 'string') {
    // No warning when no p was asked for (no smoothness, given or estimated).
    return { grf: null, smoothness: null, statistic: null, warnings: opts.smoothness.kind === 'none' ? [] : [conv] };
  }
  const u = zEquivalent(opts.threshold, conv);
  const warnings = conv.kind === 'z' || opts.smoothness.kind === 'none' ? [] : [`GRF on the z-equivalent of this ${describeStatistic(conv)} map: threshold ${opts.threshold} is z ${u.toFixed(4)} (same one-sided p)${opts.smoothness.kind === 'estimate' ? ', smoothness estimated from the map converted to z' : ''}`];
  if (opts.smoothness.kind === 'given') {
    const volume = opts.smoothness.volume ?? maskVolume(whole('the search volume'));
    return { grf: { threshold: u, dlh: opts.smoothness.dlh, volume }, smoothness: null, statistic: conv, warnings };
  }
  if (opts.smoothness.kind === 'none') return { grf: null, smoothness: null, statistic: conv, warnings };
  const sm = zMapSmoothness({ ...map, data: whole('estimating the smoothness') }, conv);
  const ok = Number.isFinite(sm.dlh) && sm.dlh > 0;
  return { grf: ok ? { threshold: u, dlh: sm.dlh, volume: sm.volume } : null, smoothness: sm, statistic: conv, warnings };
}
