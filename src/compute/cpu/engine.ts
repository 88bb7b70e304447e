import type { Engine, LabelRequest, PatternSums, ResampleRequest } from '../engine';
import type { SupraComponents } from '../supra';
import type {
  ClusterRule,
  GroupStack,
  MaskGeometry,
  PermutationBatch,
  PermutationEngine,
  PermutationMaxima,
  TfceRule,
} from '../permutation';
import { CpuPermutation } from './permutation';
import { CpuGlm } from './glm';
import type { GlmBatch, GlmData, GlmEngine } from '../glm';
import { labelComponents } from './labels';
import { labelSupraVoxels } from './supra-labels';
import { compactWeights, patternSums, type CompactWeights } from './pattern-sums';
import { resampleTrilinear } from './resample';
import { CPU_ENGINE_DESCRIPTION } from './description';

/** The reference engine: typed arrays and float64 arithmetic, in the page or in Node. */
export class CpuEngine implements Engine, PermutationEngine, GlmEngine {
  readonly kind = 'cpu' as const;
  readonly description = CPU_ENGINE_DESCRIPTION;

  async label(req: LabelRequest): Promise<Int32Array> {
    return labelComponents(req);
  }

  async labelVoxels(req: LabelRequest): Promise<SupraComponents> {
    return labelSupraVoxels(req);
  }

  async resample(req: ResampleRequest): Promise<Float32Array> {
    return resampleTrilinear(req, 'zero');
  }

  /** Compacted weights, kept while the weight map lives: a batch scores every map against the same one. */
  private readonly compacted = new WeakMap<Float32Array, CompactWeights>();

  async patternSums(weights: Float32Array, maps: readonly Float32Array[]): Promise<PatternSums[]> {
    let w = this.compacted.get(weights);
    if (!w) {
      w = compactWeights(weights);
      this.compacted.set(weights, w);
    }
    return maps.map((x) => {
      if (x.length !== weights.length) throw new Error(`a map has ${x.length} voxels, the weights ${weights.length}`);
      return patternSums(w, x);
    });
  }

  private readonly permutation = new CpuPermutation();
  /** A row and its mirror share one pass (PermutationBatch.mirrors). */
  readonly mirrors = true;

  permutedT(stack: GroupStack, batch: PermutationBatch): Promise<Float32Array> {
    return this.permutation.permutedT(stack, batch);
  }

  permutationMaxima(
    stack: GroupStack,
    batch: PermutationBatch,
    geometry: MaskGeometry,
    clusters: ClusterRule,
    tfce: TfceRule | null,
  ): Promise<PermutationMaxima> {
    return this.permutation.permutationMaxima(stack, batch, geometry, clusters, tfce);
  }

  tfce(t: Float32Array, geometry: MaskGeometry, rule: TfceRule): Promise<Float32Array> {
    return this.permutation.tfce(t, geometry, rule);
  }

  private readonly glm = new CpuGlm();

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

  dispose(): void {}
}
