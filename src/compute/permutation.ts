import type { Connectivity } from './engine';

/**
 * The contract between the group analysis (src/analysis/group/) and the engines that run its
 * permutations: the CPU twin (cpu/) is the reference, the WGSL passes (gpu/) must give the same
 * maxima (t within float32 rounding; cluster sizes identical except at float ties).
 */

/**
 * The subjects' values at the analysed (masked) voxels, subject-major: values[i * voxels + v].
 * For a paired design these are each subject's post - pre.
 */
export interface GroupStack {
  readonly subjects: number;
  readonly voxels: number;
  readonly values: Float32Array;
}

/**
 * `count` permutations of `subjects` codes each, row-major: codes[p * subjects + i].
 * Sign flips (one-sample, paired) hold +1 or -1; relabellings (two-sample) hold 1 for group A and
 * 0 for group B. Row 0 is the data as given (all +1, or the observed labels).
 */
export interface PermutationBatch {
  readonly kind: 'sign-flip' | 'relabel';
  readonly count: number;
  readonly codes: Float32Array;
  /**
   * Sign flips, one-sided, on an engine with `mirrors`: 1 at a row whose mirror (every sign reversed,
   * so t becomes -t) is wanted too, in `PermutationMaxima.mirror`. Two-sided maxima need no mirror
   * (a row's and its mirror's are the same).
   */
  readonly mirrors?: Uint8Array;
}

/** Where the masked voxels sit in the volume, for clusters: flat x-fastest indices, ascending. */
export interface MaskGeometry {
  readonly dims: readonly [number, number, number];
  readonly voxelIndex: Uint32Array;
}

/** Clusters of each permuted t-map: t >= threshold (and t <= -threshold, apart, when two-sided). */
export interface ClusterRule {
  /** The cluster-forming threshold in t units (t_u, from the z threshold through df). */
  readonly threshold: number;
  readonly twoSided: boolean;
  readonly connectivity: Connectivity;
}

/** TFCE as FSL computes it (no dh factor): sum over h_k = k * step <= t(v) of e_k(v)^E * h_k^H. */
export interface TfceRule {
  readonly step: number;
  readonly E: number;
  readonly H: number;
  readonly connectivity: Connectivity;
  /** Each sign apart: negative voxels get the TFCE of -t, reported as a negative value. */
  readonly twoSided: boolean;
}

/** One value per permutation of the batch, in the batch's order. */
export interface PermutationMaxima {
  /** Max t (max |t| when two-sided). */
  readonly maxT: Float64Array;
  /** Largest cluster's voxel count; 0 when no voxel passes. */
  readonly maxExtent: Float64Array;
  /** Largest cluster mass: sum of t over the cluster (of |t| for a negative one); 0 when none. */
  readonly maxMass: Float64Array;
  /** Max TFCE (max |TFCE| when two-sided), or null when no TFCE rule was given. */
  readonly maxTfce: Float64Array | null;
  /** The maxima of the mirrors the batch asked for (`PermutationBatch.mirrors`), at their rows; 0 at the others. */
  readonly mirror?: PermutationMaxima;
}

/** What an engine offers the group analysis; both CpuEngine and GpuEngine implement it. */
export interface PermutationEngine {
  /** True when permutationMaxima gives the mirrors a batch asks for (one pass for a row and its mirror). */
  readonly mirrors?: boolean;
  /** Parts a batch is split into (a pool's threads or workers): the run loop keeps batches at least MIN_ROWS_PER_SHARE rows a part. */
  readonly shares?: number;
  /** Told before a run's first batch how many rows (permutations) the run will ask for: a pool sizes itself to the work. */
  expect?(rows: number): void;
  /**
   * t at every voxel for every permutation, out[p * voxels + v]. One-sample / sign flip:
   * t = mean / (sd / sqrt n), sd with n - 1. Relabel: Student's pooled-variance t of A - B.
   * A voxel whose variance is 0 gives 0.
   */
  permutedT(stack: GroupStack, batch: PermutationBatch): Promise<Float32Array>;
  /** Each permutation's maxima, without handing back its t-map. */
  permutationMaxima(
    stack: GroupStack,
    batch: PermutationBatch,
    geometry: MaskGeometry,
    clusters: ClusterRule,
    tfce: TfceRule | null,
  ): Promise<PermutationMaxima>;
  /** TFCE of one t-map given at the masked voxels (e.g. the observed map, for the tfce_tstat output). */
  tfce(t: Float32Array, geometry: MaskGeometry, rule: TfceRule): Promise<Float32Array>;
}

/** The contract's one shape check: the mask lists as many voxels as the data hold (a RangeError otherwise). */
export function checkMaskVoxels(geometry: MaskGeometry, voxels: number): void {
  if (geometry.voxelIndex.length !== voxels)
    throw new RangeError(`the mask lists ${geometry.voxelIndex.length} voxels, the data hold ${voxels}`);
}
