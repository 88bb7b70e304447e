import type { ClusterRule, MaskGeometry, PermutationMaxima, TfceRule } from './permutation';

/**
 * The contract between the general linear model (src/analysis/glm/) and the engines that run its
 * permutations (../shared/SPEC.md "The general linear model"). Freedman-Lane: the j-th permuted data
 * are P_j E + H_z Y, and every statistic of the full model fitted to them follows from r numbers per
 * voxel, the rows Q' P_j E, where Q = [Q_x Q_z] is an orthonormal basis of the model's span (Q_x the
 * effect part of R_z M, s columns oriented so that the unpermuted t has the sign of c b; Q_z one of
 * the null model Z). So one matrix product (codes times E) and a per-voxel epilogue give the maps;
 * the existing max, cluster and TFCE passes then run on them. The CPU twin (cpu/) is the reference;
 * the WGSL pass (gpu/) must give the same maxima (statistic within float32 rounding, cluster sizes
 * identical except at float ties).
 */

/** The data of one contrast's permutations: what does not change from one permutation to the next. */
export interface GlmData {
  /** n: the model's rows (maps, or subjects' changes). */
  readonly rows: number;
  /** V: the analysed (masked) voxels. */
  readonly voxels: number;
  /** E = R_z Y, the null model's residuals, row-major: residuals[i * voxels + v]. */
  readonly residuals: Float32Array;
  /** |E_v|^2 per voxel, summed in float64 on the host and stored as float32. */
  readonly sumSquares: Float32Array;
}

/** `count` permutations, each as `rank` code rows of length `rows`. */
export interface GlmBatch {
  readonly count: number;
  /** r: the model's rank; code rows per permutation. */
  readonly rank: number;
  /** s: the first s code rows of each permutation are the effect's (Q_x' P_j); the rest are Q_z' P_j. */
  readonly effect: number;
  /** Q' P_j stacked: codes[(p * rank + k) * rows + i]. Row 0 of the batch's plan is the data as given. */
  readonly codes: Float32Array;
  /** 't' (s = 1): t = a_0 / sqrt(RSS / df). 'F': F = (sum_{k<s} a_k^2 / s) / (RSS / df). */
  readonly statistic: 't' | 'F';
  /** Residual degrees of freedom, n - r. */
  readonly df: number;
}

/**
 * What an engine offers the GLM; CpuEngine and GpuEngine both implement it. With a_k = (Q' P_j E)_k at
 * a voxel, RSS = |E|^2 - sum_k a_k^2 (clamped at 0); a voxel whose RSS is 0 gives 0.
 */
export interface GlmEngine {
  /** As PermutationEngine.expect: the rows (permutations) a run will ask for, before its first batch. */
  expect?(rows: number): void;
  /** The statistic at every voxel for every permutation of the batch, out[p * voxels + v]. */
  glmStat(data: GlmData, batch: GlmBatch): Promise<Float32Array>;
  /**
   * Each permutation's maxima on its statistic map: max statistic, cluster extent and mass at
   * `clusters.threshold` (in the statistic's own units: t, or F), TFCE when a rule is given. A t-contrast
   * is one-sided (t > 0), as randomise. TFCE of an F map runs on z from F's p (as randomise does); an
   * engine that cannot convert on the device may do that part on the host.
   */
  glmMaxima(
    data: GlmData,
    batch: GlmBatch,
    geometry: MaskGeometry,
    clusters: ClusterRule,
    tfce: TfceRule | null,
  ): Promise<PermutationMaxima>;
}
