import { fSf } from '../../analysis/pvalue';
import { zFromLogSf } from '../../analysis/group/zt';
import type { GlmBatch, GlmData, GlmEngine } from '../glm';
import type { ClusterRule, MaskGeometry, PermutationMaxima, TfceRule } from '../permutation';
import { checkGlmShapes, GlmPipeline, type GlmOnGpu } from './glm-pipeline';
import type { GpuPermutations, StatisticSource } from './permutation';
import type { ShaderSources } from './shaders';

/**
 * The general linear model's permutations on WebGPU (src/compute/glm.ts is the contract): glm-stat
 * makes each permutation's t or F map, and the t-tests' max, cluster and TFCE passes
 * (GpuPermutations) run on them, sharing its chunk buffers and its one-call-at-a-time queue.
 */
export class GpuGlm implements GlmEngine {
  private readonly pass: GlmPipeline;
  // The last model's E stays on the GPU: a run sends the same data batch after batch.
  private data: { source: GlmData; onGpu: GlmOnGpu } | null = null;

  constructor(
    private readonly device: GPUDevice,
    sources: ShaderSources,
    private readonly permutations: GpuPermutations,
  ) {
    this.pass = new GlmPipeline(device, sources);
  }

  glmStat(data: GlmData, batch: GlmBatch): Promise<Float32Array> {
    return this.permutations.statisticMaps(() => this.source(data, batch));
  }

  glmMaxima(data: GlmData, batch: GlmBatch, geometry: MaskGeometry, clusters: ClusterRule, tfce: TfceRule | null): Promise<PermutationMaxima> {
    return this.permutations.statisticMaxima(() => this.source(data, batch), geometry, clusters, tfce);
  }

  dispose(): void {
    this.free();
  }

  private source(data: GlmData, batch: GlmBatch): StatisticSource {
    checkGlmShapes(data, batch);
    const onGpu = this.upload(data);
    const { rank, effect, statistic, df } = batch;
    return {
      voxels: data.voxels,
      count: batch.count,
      codes: batch.codes,
      perPermutation: rank * data.rows,
      encode: (enc, codes, rows, out) => this.pass.encode(enc, onGpu, { rank, effect, statistic, df }, codes, rows, out),
      // TFCE of an F map runs on z from F's p, as randomise's; converted on the host in float64.
      tfceInput: statistic === 'F' ? (maps) => zOfF(maps, effect, df) : undefined,
    };
  }

  private upload(data: GlmData): GlmOnGpu {
    if (this.data?.source === data) return this.data.onGpu;
    for (let i = 0; i < data.residuals.length; i++) {
      if (!Number.isFinite(data.residuals[i]!)) throw new Error(`the model's residuals must be finite: row ${Math.floor(i / data.voxels)}, voxel ${i % data.voxels} holds ${data.residuals[i]}`);
    }
    const limit = this.device.limits.maxStorageBufferBindingSize;
    if (data.residuals.byteLength > limit) {
      throw new Error(`the model's residuals take ${data.residuals.byteLength} bytes, more than one GPU buffer may hold (${limit}): use the CPU engine or a smaller mask`);
    }
    this.free();
    this.data = { source: data, onGpu: this.pass.upload(data) };
    return this.data.onGpu;
  }

  private free(): void {
    this.data?.onGpu.residuals.destroy();
    this.data?.onGpu.sumSquares.destroy();
    this.data = null;
  }
}

/** z with the same upper-tail p as F(df1, df2), for TFCE (0 at F <= 0). */
export function zOfF(maps: Float32Array, df1: number, df2: number): Float32Array {
  const out = new Float32Array(maps.length);
  for (let i = 0; i < maps.length; i++) {
    const f = maps[i]!;
    out[i] = f > 0 ? zFromLogSf(Math.log(fSf(f, df1, df2))) : 0;
  }
  return out;
}
