import type { GlmBatch, GlmData } from '../glm';
import { storageBuffer, uniformBuffer } from './buffers';
import { bindAll, encodePass } from './dispatch';
import { computePipeline, type ShaderSources } from './shaders';

/** Voxels and permutations per workgroup (WG and TP in shaders/glm-stat.wgsl). */
const VOXELS_PER_GROUP = 256;
const PERMUTATIONS_PER_GROUP = 16;
/**
 * An RSS under this share of |E|^2 reads as zero (statistic 0): float32 cannot tell it from the
 * rounding of |E|^2 - |a|^2. It only bites for t above about sqrt(df / ZERO_RSS) (3,000 at df 9),
 * as the t-tests' ZERO_VARIANCE (perm-t-pipeline.ts) does.
 */
export const ZERO_RSS = 1e-6;

/** E and |E|^2 on the GPU. */
export interface GlmOnGpu {
  readonly rows: number;
  readonly voxels: number;
  readonly residuals: GPUBuffer;
  readonly sumSquares: GPUBuffer;
}

/** Per-permutation t or F as one fused matrix product and epilogue (shaders/glm-stat.wgsl). */
export class GlmPipeline {
  private readonly pipeline: GPUComputePipeline;

  constructor(
    private readonly device: GPUDevice,
    sources: ShaderSources,
  ) {
    this.pipeline = computePipeline(device, sources, 'glm-stat');
  }

  upload(data: GlmData): GlmOnGpu {
    const dev = this.device;
    return {
      rows: data.rows,
      voxels: data.voxels,
      residuals: storageBuffer(dev, data.residuals, 'glm residuals'),
      sumSquares: storageBuffer(dev, data.sumSquares, 'glm |E|^2'),
    };
  }

  /** Appends the statistic of `count` permutations (their codes on the GPU) into out[p * voxels + v]; returns the uniform to free after submission. */
  encode(
    enc: GPUCommandEncoder,
    data: GlmOnGpu,
    batch: Omit<GlmBatch, 'codes' | 'count'>,
    codes: GPUBuffer,
    count: number,
    out: GPUBuffer,
  ): GPUBuffer {
    const params = new ArrayBuffer(32);
    new Uint32Array(params).set([
      data.voxels,
      data.rows,
      count,
      batch.rank,
      batch.effect,
      batch.statistic === 'F' ? 1 : 0,
    ]);
    new Float32Array(params).set([batch.df, ZERO_RSS], 6);
    const uniform = uniformBuffer(this.device, params, 'glm-stat params');
    const group = bindAll(this.device, this.pipeline, [uniform, data.residuals, data.sumSquares, codes, out]);
    encodePass(
      enc,
      this.pipeline,
      group,
      Math.ceil(data.voxels / VOXELS_PER_GROUP),
      Math.ceil(count / PERMUTATIONS_PER_GROUP),
    );
    return uniform;
  }
}

/** Typed, early errors: a wrong shape would otherwise read out of bounds on the GPU, silently. */
export function checkGlmShapes(data: GlmData, batch: GlmBatch): void {
  const { rows: n, voxels: V } = data;
  const { rank: r, effect: s, count } = batch;
  if (!Number.isInteger(n) || n < 2) throw new Error(`the model needs at least 2 rows (got ${n})`);
  if (!Number.isInteger(V) || V < 1) throw new Error(`the model needs at least one voxel (got ${V})`);
  if (data.residuals.length !== n * V)
    throw new Error(`the residuals hold ${data.residuals.length} values, not ${n} rows x ${V} voxels`);
  if (data.sumSquares.length !== V) throw new Error(`|E|^2 holds ${data.sumSquares.length} values, not ${V} voxels`);
  if (!Number.isInteger(r) || r < 1 || r >= n)
    throw new Error(`the model's rank must be 1..${n - 1} for ${n} rows (got ${r})`);
  if (!Number.isInteger(s) || s < 1 || s > r) throw new Error(`the effect's rows must be 1..${r} (got ${s})`);
  if (batch.statistic === 't' && s !== 1) throw new Error(`a t-contrast has one effect row (got ${s})`);
  if (!(batch.df > 0)) throw new Error(`the residual degrees of freedom must be positive (got ${batch.df})`);
  if (!Number.isInteger(count) || count < 0 || batch.codes.length !== count * r * n) {
    throw new Error(`the batch holds ${batch.codes.length} codes, not ${count} permutations x ${r} rows x ${n}`);
  }
}
