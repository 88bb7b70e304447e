import { GRF_MIN_CLUSTER_Z } from './constants';
import type { GrfParams } from './grf';
import type { Smoothness, SmoothnessMap } from './smoothness';
import { describeStatistic, type MapStatistic } from './statistic';
import { zConvertible, zEquivalent, zMapSmoothness, type ZConvertible } from './z-equivalent';

/** DLH and search volume: given, SPM's FWHM or resels, estimated from the map, or none (p-values are then null). */
export type SmoothnessOption =
  | { readonly kind: 'given'; readonly dlh: number; readonly volume?: number }
  /** SPM's FWHM in mm per axis (x, y, z), over the map's own search volume (its finite non-zero voxels). */
  | { readonly kind: 'fwhm'; readonly mm: readonly [number, number, number] }
  /** SPM's search volume in resels (V / (FWHMx FWHMy FWHMz)), over the map's own search volume. */
  | { readonly kind: 'resels'; readonly resels: number }
  | { readonly kind: 'estimate' }
  | { readonly kind: 'none' };

/** What GRF reads of a table's options. */
export interface GrfOptions {
  readonly threshold: number;
  readonly smoothness: SmoothnessOption;
  readonly statistic?: MapStatistic | null;
}

/** What GRF needs for a table, and what it says about the map. */
export interface GrfSetup {
  /** u (the z-equivalent of the threshold), DLH and V; null when no GRF p can be had. */
  readonly grf: GrfParams | null;
  /** `grf` where its cluster p holds (u at least GRF_MIN_CLUSTER_Z); else null, with the reason in `withheld`. */
  readonly clusterGrf: GrfParams | null;
  /** Why GRF cluster p-values are withheld although the smoothness is known (a low cluster-forming threshold). */
  readonly withheld: string | null;
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
export function grfSetup(
  map: Omit<SmoothnessMap, 'data'>,
  opts: GrfOptions,
  whole: (why: string) => Float32Array,
  maskVolume: (data: Float32Array) => number,
): GrfSetup {
  const s = smoothnessSetup(map, opts, whole, maskVolume);
  const withheld = s.grf ? lowThresholdReason(s.grf.threshold) : null;
  return {
    ...s,
    clusterGrf: withheld ? null : s.grf,
    withheld,
    warnings: withheld ? [...s.warnings, withheld] : s.warnings,
  };
}

/** Whether GRF's cluster p holds at a cluster-forming threshold of z `u`: a float32 threshold at the limit counts as the limit. */
export function grfClusterPHolds(u: number): boolean {
  return u >= GRF_MIN_CLUSTER_Z - 1e-6;
}

/** Why GRF's cluster p does not hold at a cluster-forming threshold of z `u`, or null where it does. */
export function lowThresholdReason(u: number): string | null {
  return !grfClusterPHolds(u)
    ? `GRF cluster p withheld: the cluster-forming threshold is z ${u.toFixed(2)}, below z ${GRF_MIN_CLUSTER_Z}, where random field theory's cluster-extent p does not hold (its expected Euler characteristic no longer counts clusters; FSL's usual cluster-forming threshold is z 2.3)`
    : null;
}

function smoothnessSetup(
  map: Omit<SmoothnessMap, 'data'>,
  opts: GrfOptions,
  whole: (why: string) => Float32Array,
  maskVolume: (data: Float32Array) => number,
): Omit<GrfSetup, 'clusterGrf' | 'withheld'> {
  const conv = zConvertible(opts.statistic === undefined ? { kind: 'z', assumed: true } : opts.statistic);
  if (typeof conv === 'string') {
    // No warning when no p was asked for (no smoothness, given or estimated).
    return { grf: null, smoothness: null, statistic: null, warnings: opts.smoothness.kind === 'none' ? [] : [conv] };
  }
  const u = zEquivalent(opts.threshold, conv);
  const warnings =
    conv.kind === 'z' || opts.smoothness.kind === 'none'
      ? []
      : [
          `GRF on the z-equivalent of this ${describeStatistic(conv)} map: threshold ${opts.threshold} is z ${u.toFixed(4)} (same one-sided p)${opts.smoothness.kind === 'estimate' ? ', smoothness estimated from the map converted to z' : ''}`,
        ];
  if (opts.smoothness.kind === 'given') {
    const volume = opts.smoothness.volume ?? maskVolume(whole('the search volume'));
    return { grf: { threshold: u, dlh: opts.smoothness.dlh, volume }, smoothness: null, statistic: conv, warnings };
  }
  if (opts.smoothness.kind === 'fwhm' || opts.smoothness.kind === 'resels') {
    const sm = givenSmoothness(map, opts.smoothness, maskVolume(whole('the search volume')));
    return { grf: { threshold: u, dlh: sm.dlh, volume: sm.volume }, smoothness: sm, statistic: conv, warnings };
  }
  if (opts.smoothness.kind === 'none') return { grf: null, smoothness: null, statistic: conv, warnings };
  const sm = zMapSmoothness({ ...map, data: whole('estimating the smoothness') }, conv);
  const ok = Number.isFinite(sm.dlh) && sm.dlh > 0;
  return {
    grf: ok ? { threshold: u, dlh: sm.dlh, volume: sm.volume } : null,
    smoothness: sm,
    statistic: conv,
    warnings,
  };
}

/** (4 ln 2)^(3/2): DLH = this / (FWHMx FWHMy FWHMz in voxels); a resel is FWHMx FWHMy FWHMz voxels. */
const FOUR_LN2_POW = (4 * Math.LN2) ** 1.5;

/**
 * SPM's smoothness as given (FWHM in mm per axis, or the search volume in resels) over the map's
 * search volume V (its finite non-zero voxels, as the estimate's): FWHM in voxels = mm / voxel size,
 * DLH = (4 ln 2)^1.5 / (FWHMx FWHMy FWHMz); resels R give DLH = R (4 ln 2)^1.5 / V (a resel is V / R
 * voxels; its FWHM per axis is not known then: the isotropic one is shown).
 */
export function givenSmoothness(
  map: Pick<SmoothnessMap, 'pixdim'>,
  given:
    | { readonly kind: 'fwhm'; readonly mm: readonly [number, number, number] }
    | { readonly kind: 'resels'; readonly resels: number },
  volume: number,
): Smoothness {
  const size = [0, 1, 2].map((a) => Math.abs(map.pixdim[a] ?? 1) || 1);
  const reselSize =
    given.kind === 'fwhm' ? given.mm.reduce((p, mm, a) => p * (mm / size[a]!), 1) : volume / given.resels;
  const fwhmVoxels = (
    given.kind === 'fwhm' ? given.mm.map((mm, a) => mm / size[a]!) : [0, 1, 2].map(() => Math.cbrt(reselSize))
  ) as [number, number, number];
  return {
    dlh: FOUR_LN2_POW / reselSize,
    volume,
    fwhmVoxels,
    fwhmMm: fwhmVoxels.map((f, a) => f * size[a]!) as [number, number, number],
    reselSize,
    resels: volume / reselSize,
    warnings: [
      given.kind === 'fwhm'
        ? "FWHM given (SPM's), not estimated"
        : "resels given (SPM's search volume in resels), not estimated: FWHM shown is the isotropic one",
    ],
  };
}

/** SPM's FWHM as typed: one number (isotropic) or three (x, y, z), in mm, each above 0; else why not. */
export function parseFwhm(text: string): [number, number, number] | string {
  const parts = text
    .trim()
    .split(/[\s,×x]+/)
    .filter(Boolean);
  const n = parts.map(Number);
  if (!(n.length === 1 || n.length === 3))
    return `FWHM is one number (isotropic) or three (x, y, z) in mm, not "${text.trim()}"`;
  if (!n.every((v) => Number.isFinite(v) && v > 0))
    return `each FWHM must be a number of mm above 0 (got "${text.trim()}")`;
  return n.length === 1 ? [n[0]!, n[0]!, n[0]!] : [n[0]!, n[1]!, n[2]!];
}

/** SPM's search volume in resels as typed: a number above 0; else why not. */
export function parseResels(text: string): number | string {
  const v = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(v) && v > 0
    ? v
    : `resels must be a number above 0 (got "${text.trim()}")`;
}
