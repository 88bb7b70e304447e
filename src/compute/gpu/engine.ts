import type { Engine, LabelRequest, PatternSums, ResampleRequest } from '../engine';
import type { GlmBatch, GlmData, GlmEngine } from '../glm';
import type {
  ClusterRule,
  GroupStack,
  MaskGeometry,
  PermutationBatch,
  PermutationEngine,
  PermutationMaxima,
  TfceRule,
} from '../permutation';
import { listRoots, type SupraComponents } from '../supra';
import { GpuGlm } from './glm';
import { LabelPipeline } from './label-pipeline';
import { PatternSumsPipeline } from './pattern-sums-pipeline';
import { GpuPermutations, type PermutationOptions } from './permutation';
import { ResamplePipeline } from './resample-pipeline';
import type { ShaderSources } from './shaders';

/** What we know of the adapter, for the user and for `auto` selection. */
export interface AdapterSummary {
  readonly name: string;
  /** A software rasteriser (SwiftShader, llvmpipe, WARP): correct but slower than the CPU engine. */
  readonly software: boolean;
}

const SOFTWARE_ADAPTERS = /swiftshader|llvmpipe|lavapipe|softpipe|warp|microsoft basic render/i;

export function describeAdapter(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info;
  const parts = [info.vendor, info.architecture].filter((s) => s && s.length > 0);
  const name = info.description?.trim() || (parts.length ? parts.join(' ') : 'unnamed adapter');
  const fallback =
    (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
    (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return { name, software: fallback || SOFTWARE_ADAPTERS.test([name, ...parts].join(' ')) };
}

export interface GpuEngineOptions {
  readonly permutations?: PermutationOptions;
}

/** The WebGPU engine: the same WGSL in the page and in Node (Dawn). */
export class GpuEngine implements Engine, PermutationEngine, GlmEngine {
  readonly kind = 'gpu' as const;
  readonly description: string;
  private readonly labels: LabelPipeline;
  private readonly resampler: ResamplePipeline;
  private readonly sums: PatternSumsPipeline;
  private readonly permutations: GpuPermutations;
  private readonly glm: GpuGlm;

  private constructor(
    private readonly device: GPUDevice,
    readonly adapter: AdapterSummary,
    sources: ShaderSources,
    options: GpuEngineOptions,
  ) {
    this.description = `WebGPU (${adapter.name}${adapter.software ? ', software' : ''})`;
    this.labels = new LabelPipeline(device, sources);
    this.resampler = new ResamplePipeline(device, sources);
    this.sums = new PatternSumsPipeline(device, sources);
    this.permutations = new GpuPermutations(device, sources, options.permutations);
    this.glm = new GpuGlm(device, sources, this.permutations);
  }

  /** Opens a device on the adapter; shader compilation errors surface here, not mid-analysis. */
  static async create(adapter: GPUAdapter, sources: ShaderSources, options: GpuEngineOptions = {}): Promise<GpuEngine> {
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
    device.pushErrorScope('validation');
    const engine = new GpuEngine(device, describeAdapter(adapter), sources, options);
    const error = await device.popErrorScope();
    if (error) {
      device.destroy();
      throw new Error(`WebGPU pipelines failed to build: ${error.message}`);
    }
    return engine;
  }

  async label(req: LabelRequest): Promise<Int32Array> {
    return this.labels.run(req);
  }

  /** The GPU labels the whole volume; the list is taken from it on the CPU. */
  async labelVoxels(req: LabelRequest): Promise<SupraComponents> {
    return listRoots(await this.labels.run(req));
  }

  async resample(req: ResampleRequest): Promise<Float32Array> {
    return this.resampler.run(req);
  }

  async patternSums(weights: Float32Array, maps: readonly Float32Array[]): Promise<PatternSums[]> {
    return this.sums.run(weights, maps);
  }

  /** Resamples the weights and reduces every map against them without the weights leaving the GPU. */
  async resampledPatternSums(req: ResampleRequest, maps: readonly Float32Array[]): Promise<PatternSums[]> {
    const w = await this.resampler.encode(req);
    try {
      return await this.sums.run(w, maps);
    } finally {
      w.destroy();
    }
  }

  permutedT(stack: GroupStack, batch: PermutationBatch): Promise<Float32Array> {
    return this.permutations.permutedT(stack, batch);
  }

  permutationMaxima(
    stack: GroupStack,
    batch: PermutationBatch,
    geometry: MaskGeometry,
    clusters: ClusterRule,
    tfce: TfceRule | null,
  ): Promise<PermutationMaxima> {
    return this.permutations.permutationMaxima(stack, batch, geometry, clusters, tfce);
  }

  tfce(t: Float32Array, geometry: MaskGeometry, rule: TfceRule): Promise<Float32Array> {
    return this.permutations.tfce(t, geometry, rule);
  }

  glmStat(data: GlmData, batch: GlmBatch): Promise<Float32Array> {
    return this.glm.glmStat(data, batch);
  }

  glmMaxima(
    data: GlmData,
    batch: GlmBatch,
    geometry: MaskGeometry,
    clusters: ClusterRule,
    tfce: TfceRule | null,
  ): Promise<PermutationMaxima> {
    return this.glm.glmMaxima(data, batch, geometry, clusters, tfce);
  }

  dispose(): void {
    this.glm.dispose();
    this.permutations.dispose();
    this.device.destroy();
  }
}
