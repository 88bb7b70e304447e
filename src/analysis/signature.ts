import type { Engine, PatternSums } from '../compute/engine';
import { describeGrid, sameGrid, voxelToVoxel, type Grid, type GridMap } from './grid';

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
 * The sums every metric is computed from, for many maps. By default the weights are resampled
 * (trilinear) into each map's grid, once per distinct grid, and every map on that grid reuses them.
 */
export async function signatureSums(
  weights: NamedMap,
  maps: readonly NamedMap[],
  direction: ResampleDirection,
  engine: Engine,
): Promise<MapSums[]> {
  const scorer = new SignatureScorer(weights, direction, engine);
  const out: MapSums[] = [];
  for (const m of maps) out.push(await scorer.score(m));
  return out;
}

/** Scores maps one at a time (so a batch can stream), keeping the weights resampled per grid. */
export class SignatureScorer {
  private readonly resampled: { grid: Grid; data: Float32Array }[] = [];

  constructor(
    readonly weights: NamedMap,
    readonly direction: ResampleDirection,
    private readonly engine: Engine,
  ) {}

  async score(map: NamedMap): Promise<MapSums> {
    const w = this.weights;
    const same = sameGrid(w, map);
    if (this.direction === 'weights-to-data') {
      const [sums] = await this.engine.patternSums(same ? w.data : await this.weightsOn(map), [map.data]);
      const notes = same
        ? []
        : [`weights resampled (trilinear) from ${describeGrid(w)} into the map's grid, ${describeGrid(map)}`];
      return { file: map.name, sums: sums!, notes };
    }
    const x = same
      ? map.data
      : await this.engine.resample({
          source: map.data,
          sourceDims: map.dims,
          targetDims: w.dims,
          targetToSource: voxelToVoxel(map.affine, w.affine),
        });
    const [sums] = await this.engine.patternSums(w.data, [x]);
    const notes = same
      ? []
      : [`map resampled (trilinear) from ${describeGrid(map)} into the weights' grid, ${describeGrid(w)}`];
    return { file: map.name, sums: sums!, notes };
  }

  private async weightsOn(grid: GridMap): Promise<Float32Array> {
    const hit = this.resampled.find((r) => sameGrid(r.grid, grid));
    if (hit) return hit.data;
    const w = this.weights;
    const data = await this.engine.resample({
      source: w.data,
      sourceDims: w.dims,
      targetDims: grid.dims,
      targetToSource: voxelToVoxel(w.affine, grid.affine),
    });
    this.resampled.push({ grid: { dims: grid.dims, affine: grid.affine }, data });
    return data;
  }
}

export function responseOf({ file, sums, notes }: MapSums, metric: Metric): SignatureResult {
  const value = metricFromSums(sums, metric);
  const extra =
    sums.n === 0 ? ['no voxel has both a non-zero weight and a finite non-zero value: the maps do not overlap'] : [];
  return { file, value, voxels: sums.n, notes: [...notes, ...extra] };
}

/** Where a response comes from: w * x on the map's grid over the voxel set, 0 elsewhere. */
export async function contributionMap(weights: NamedMap, map: GridMap, engine: Engine): Promise<Float32Array> {
  const w = sameGrid(weights, map)
    ? weights.data
    : await engine.resample({
        source: weights.data,
        sourceDims: weights.dims,
        targetDims: map.dims,
        targetToSource: voxelToVoxel(weights.affine, map.affine),
      });
  const out = new Float32Array(map.data.length);
  for (let i = 0; i < out.length; i++) {
    const a = w[i]!;
    const b = map.data[i]!;
    if (a !== 0 && b !== 0 && a - a === 0 && b - b === 0) out[i] = a * b;
  }
  return out;
}
