import { DEFAULT_Z_THRESHOLD } from '../../analysis/constants';
import { heightControl, type HeightControl } from '../../analysis/height';
import type { MapEntry } from '../maps/maps';
import { targetStatistic, type ThresholdSettings } from '../../analysis/threshold-settings';

/** Threshold modes that control the voxelwise error over the whole map (the rest are per-voxel). */
export const HEIGHT_MODES = ['fdr', 'bonferroni'] as const;
export type HeightMode = (typeof HEIGHT_MODES)[number];

export function isHeightMode(mode: string): mode is HeightMode {
  return (HEIGHT_MODES as readonly string[]).includes(mode);
}

/** Heights computed, by map data and choice: a threshold change elsewhere (extent, faint) never recomputes one. */
const cache = new WeakMap<Float32Array, Map<string, HeightControl>>();

/**
 * The height FDR or Bonferroni gives for a map (its kind's statistic: z, t or F with its df), as `siglens
 * clusters --height` computes it; null for the per-voxel modes.
 */
export function pageHeight(
  s: Pick<ThresholdSettings, 'mode' | 'value' | 'twoSided'>,
  entry: MapEntry | undefined,
): HeightControl | null {
  if (!entry || !isHeightMode(s.mode)) return null;
  const data = entry.volume.data;
  // The statistic is the map's kind as the map list shows it (the user may have set it or its df).
  const stat = targetStatistic(entry.kind);
  if (!stat)
    throw new RangeError(
      `${entry.volume.name} is a${entry.kind.kind === 'effect' ? 'n' : ''} ${entry.kind.kind} map: FDR and Bonferroni need a z-, t- or F-map`,
    );
  const key = `${s.mode}|${s.value}|${s.twoSided}|${JSON.stringify(stat)}`;
  let byKey = cache.get(data);
  if (!byKey) cache.set(data, (byKey = new Map()));
  let h = byKey.get(key);
  if (!h) {
    h = heightControl(data, stat, s.mode, s.value, s.twoSided);
    byKey.set(key, h);
  }
  return h;
}

/**
 * The threshold a height gives, for the cluster table: no surviving voxel leaves nothing above it
 * (+Infinity: no finite value passes).
 */
export function heightThreshold(h: HeightControl): number {
  return h.threshold ?? Infinity;
}

/** An uncorrected voxelwise p's usual first value, and FDR's q (and Bonferroni's alpha). */
export const DEFAULT_VOXEL_P = 0.001;
export const DEFAULT_HEIGHT_ALPHA = 0.05;

/** The value a threshold mode starts from when chosen. */
export function defaultThresholdValue(mode: ThresholdSettings['mode']): number {
  return mode === 'z' ? DEFAULT_Z_THRESHOLD : mode === 'p' ? DEFAULT_VOXEL_P : DEFAULT_HEIGHT_ALPHA;
}
