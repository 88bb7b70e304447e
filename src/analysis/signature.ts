import type { Engine, PatternSums } from '../compute/engine';
import { describeGrid, sameGrid, voxelToVoxel, type GridMap } from './grids';

export type Metric = 'dot' | 'cosine' | 'correlation';
export type ResampleDirection = 'weights-to-data' | 'data-to-weights';
export const METRICS: readonly Metric[] = ['dot', 'cosine', 'correlation'];

export interface NamedMap extends GridMap {
  readonly name: string;
}

export interface SignatureResult {
  readonly file: string;
  /** null when the weights and the map share no usable voxel. */
  readonly value: number | null;
  readonly voxels: number;
  /** Resampling or overlap remarks for this map. */
  readonly notes: string[];
}

/** CANlab's pattern expression from the sums over {w != 0} and {x finite, != 0}. */
export function metricFromSums(s: PatternSums, metric: Metric): number | null {
  if (s.n === 0) return null;
  switch (metric) {
    case 'dot':
      return s.swx;
    case 'cosine': {
      const d = Math.sqrt(s.sww * s.sxx);
      return d > 0 ? s.swx / d : null;
    }
    case 'correlation': {
      const cov = s.n * s.swx - s.sw * s.sx;
      const d = Math.sqrt((s.n * s.sww - s.sw * s.sw) * (s.n * s.sxx - s.sx * s.sx));
      return d > 0 ? cov / d : null;
    }
  }
}

export interface MapSums {
  readonly file: string;
  readonly sums: PatternSums;
  readonly notes: string[];
}

/** The response of each map to a signature under one metric. */
export async function signatureResponses(
  weights: NamedMap,
  maps: readonly NamedMap[],
  metric: Metric,
  direction: ResampleDirection,
  engine: Engine,
): Promise<SignatureResult[]> {
  return (await signatureSums(weights, maps, direction, engine)).map((m) => responseOf(m, metric));
}

/**
 * The sums every metric is computed from. By default the weights are resampled (trilinear) into each
 * map's grid, once per distinct grid, and every map on that grid reuses them.
 */
export async function signatureSums(
  weights: NamedMap,
  maps: readonly NamedMap[],
  direction: ResampleDirection,
  engine: Engine,
): Promise<MapSums[]> {
  const results = new Map<NamedMap, MapSums>();
  if (direction === 'weights-to-data') {
    const groups = new Map<GridMap, NamedMap[]>();
    for (const m of maps) {
      const key = [...groups.keys()].find((g) => sameGrid(g, m));
      if (key) groups.get(key)!.push(m);
      else groups.set(m, [m]);
    }
    for (const [grid, members] of groups) {
      const same = sameGrid(weights, grid);
      const w = same
        ? weights.data
        : await engine.resample({ source: weights.data, sourceDims: weights.dims, targetDims: grid.dims, targetToSource: voxelToVoxel(weights.affine, grid.affine) });
      const note = same ? [] : [`weights resampled (trilinear) from ${describeGrid(weights)} into the map's grid, ${describeGrid(grid)}`];
      const sums = await engine.patternSums(w, members.map((m) => m.data));
      members.forEach((m, k) => results.set(m, { file: m.name, sums: sums[k]!, notes: note }));
    }
  } else {
    for (const m of maps) {
      const same = sameGrid(weights, m);
      const x = same
        ? m.data
        : await engine.resample({ source: m.data, sourceDims: m.dims, targetDims: weights.dims, targetToSource: voxelToVoxel(m.affine, weights.affine) });
      const note = same ? [] : [`map resampled (trilinear) from ${describeGrid(m)} into the weights' grid, ${describeGrid(weights)}`];
      const [sums] = await engine.patternSums(weights.data, [x]);
      results.set(m, { file: m.name, sums: sums!, notes: note });
    }
  }
  return maps.map((m) => results.get(m)!);
}

export function responseOf({ file, sums, notes }: MapSums, metric: Metric): SignatureResult {
  const value = metricFromSums(sums, metric);
  const extra = sums.n === 0 ? ['no voxel has both a non-zero weight and a finite non-zero value: the maps do not overlap'] : [];
  return { file, value, voxels: sums.n, notes: [...notes, ...extra] };
}

/** Where a response comes from: w * x on the map's grid over the voxel set, 0 elsewhere. */
export async function contributionMap(weights: NamedMap, map: GridMap, engine: Engine): Promise<Float32Array> {
  const w = sameGrid(weights, map)
    ? weights.data
    : await engine.resample({ source: weights.data, sourceDims: weights.dims, targetDims: map.dims, targetToSource: voxelToVoxel(weights.affine, map.affine) });
  const out = new Float32Array(map.data.length);
  for (let i = 0; i < out.length; i++) {
    const a = w[i]!;
    const b = map.data[i]!;
    if (a !== 0 && b !== 0 && a - a === 0 && b - b === 0) out[i] = a * b;
  }
  return out;
}
