import { fForZ } from '../distributions';
import { zOfF } from '../cpu/glm';
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

  /** One-sided, as the contract and randomise: t > 0 (F is never negative), whatever the rules say. */
  glmMaxima(
    data: GlmData,
    batch: GlmBatch,
    geometry: MaskGeometry,
    clusters: ClusterRule,
    tfce: TfceRule | null,
  ): Promise<PermutationMaxima> {
    const oneSided = tfce && { ...tfce, twoSided: false };
    return this.permutations.statisticMaxima(
      () => this.source(data, batch, oneSided),
      geometry,
      { ...clusters, twoSided: false },
      oneSided,
    );
  }

  dispose(): void {
    this.free();
  }

  private source(data: GlmData, batch: GlmBatch, tfce: TfceRule | null = null): StatisticSource {
    checkGlmShapes(data, batch);
    const onGpu = this.upload(data);
    const { rank, effect, statistic, df } = batch;
    return {
      voxels: data.voxels,
      count: batch.count,
      codes: batch.codes,
      perPermutation: rank * data.rows,
      encode: (enc, codes, rows, out) =>
        this.pass.encode(enc, onGpu, { rank, effect, statistic, df }, codes, rows, out),
      // TFCE of an F map runs on z from F's p, as randomise's: made on the host by the CPU twin's own
      // conversion (float64), only where z reaches TFCE's first level.
      tfceInput: statistic === 'F' && tfce ? zOfFFrom(fForZ(tfce.step, effect, df), effect, df) : undefined,
    };
  }

  private upload(data: GlmData): GlmOnGpu {
    if (this.data?.source === data) return this.data.onGpu;
    for (let i = 0; i < data.residuals.length; i++) {
      if (!Number.isFinite(data.residuals[i]!))
        throw new Error(
          `the model's residuals must be finite: row ${Math.floor(i / data.voxels)}, voxel ${i % data.voxels} holds ${data.residuals[i]}`,
        );
    }
    const limit = this.device.limits.maxStorageBufferBindingSize;
    if (data.residuals.byteLength > limit) {
      throw new Error(
        `the model's residuals take ${data.residuals.byteLength} bytes, more than one GPU buffer may hold (${limit}): use the CPU engine or a smaller mask`,
      );
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

/** A chunk's F maps to z, as CpuGlm does it for TFCE (F below `from` never reaches TFCE's first level). */
function zOfFFrom(from: number, df1: number, df2: number): (maps: Float32Array) => Float32Array {
  return (maps) => zOfF(maps, new Float32Array(maps.length), from, df1, df2);
}
