import type { SupraComponents } from './supra';

/** 6 (faces), 18 (faces + edges) or 26 (faces + edges + corners) neighbours. */
export type Connectivity = 6 | 18 | 26;

/** A map to label, on its grid (x fastest). */
export interface LabelRequest {
  readonly dims: readonly [number, number, number];
  readonly data: Float32Array;
  /** Supra-threshold means value >= threshold (compared in float32, as FSL does). */
  readonly threshold: number;
  /** Also label value <= -threshold, as separate clusters that never merge with positive ones. */
  readonly twoSided: boolean;
  readonly connectivity: Connectivity;
}

export interface ResampleRequest {
  readonly source: Float32Array;
  readonly sourceDims: readonly [number, number, number];
  readonly targetDims: readonly [number, number, number];
  /** Target voxel -> source voxel, 4x4 row-major (inv(A_source) * A_target). */
  readonly targetToSource: ArrayLike<number>;
}

/** Sums over the signature voxel set {w finite, w != 0} and {x finite, x != 0}. */
export interface PatternSums {
  readonly n: number;
  readonly sw: number;
  readonly sx: number;
  readonly sww: number;
  readonly sxx: number;
  readonly swx: number;
}

/**
 * One compute path. Every pass has a WGSL version (gpu/) and a CPU twin (cpu/) that is its reference;
 * both give the same labels and sums (the GPU's sums within float32 rounding).
 */
export interface Engine {
  readonly kind: 'cpu' | 'gpu';
  /** What runs it, for the user: "CPU (JavaScript)" or the GPU adapter. */
  readonly description: string;
  /**
   * Connected components of the supra-threshold voxels. Each voxel gets the flat index (x fastest)
   * of the first voxel of its component, or -1 when it is below threshold or not finite.
   */
  label(req: LabelRequest): Promise<Int32Array>;
  /** The same labelling as a list of the supra-threshold voxels: what tables need, without a volume-sized array. */
  labelVoxels(req: LabelRequest): Promise<SupraComponents>;
  /** Trilinear resampling; outside the source grid is 0, non-finite source values count as 0. */
  resample(req: ResampleRequest): Promise<Float32Array>;
  /** Signature sums of one weight map against each map (same grid). */
  patternSums(weights: Float32Array, maps: readonly Float32Array[]): Promise<PatternSums[]>;
  dispose(): void;
}
