import type { Remote } from 'comlink';
import { MIN_ROWS_PER_SHARE } from '../analysis/constants';
import type { GlmBatch, GlmData, GlmEngine } from '../compute/glm';
import { joinMaxima, shareBatch, shareBounds, shareCodes } from '../compute/row-split';
import type {
  ClusterRule,
  GroupStack,
  MaskGeometry,
  PermutationBatch,
  PermutationEngine,
  PermutationMaxima,
  TfceRule,
} from '../compute/permutation';

/** What each pooled worker does (src/worker/permutation.worker.ts): the CPU twin's maxima for the rows (or GLM permutations) it is given. */
export interface PermutationWorkerApi {
  setStudy(stack: GroupStack, geometry: MaskGeometry): void;
  maxima(batch: PermutationBatch, clusters: ClusterRule, tfce: TfceRule | null): Promise<PermutationMaxima>;
  /** A GLM contrast's residuals (../compute/glm.ts), kept for the batches that follow. */
  setGlm(data: GlmData, geometry: MaskGeometry): void;
  glmMaxima(batch: GlmBatch, clusters: ClusterRule, tfce: TfceRule | null): Promise<PermutationMaxima>;
}

/**
 * The CPU twin across several workers: each permutation batch's rows are split into contiguous
 * shares, one per worker, whose maxima come back in order. The t-map and TFCE of the data itself
 * stay with `local`. Each worker holds its own copy of the study (sent once per run).
 */
export class PermutationPool implements PermutationEngine, GlmEngine {
  private study: GroupStack | null = null;
  private glm: GlmData | null = null;

  constructor(
    private readonly workers: readonly Remote<PermutationWorkerApi>[],
    private readonly local: PermutationEngine & GlmEngine,
  ) {}

  /** Each worker runs the CPU twin, which pairs a row with its mirror. */
  readonly mirrors = true;

  get shares(): number {
    return this.size;
  }

  get size(): number {
    return this.workers.length;
  }

  permutedT(stack: GroupStack, batch: PermutationBatch): Promise<Float32Array> {
    return this.local.permutedT(stack, batch);
  }

  tfce(t: Float32Array, geometry: MaskGeometry, rule: TfceRule): Promise<Float32Array> {
    return this.local.tfce(t, geometry, rule);
  }

  async permutationMaxima(
    stack: GroupStack,
    batch: PermutationBatch,
    geometry: MaskGeometry,
    clusters: ClusterRule,
    tfce: TfceRule | null,
  ): Promise<PermutationMaxima> {
    if (this.study !== stack) {
      await Promise.all(this.workers.map((w) => w.setStudy(stack, geometry)));
      this.study = stack;
    }
    const n = stack.subjects;
    return this.shared(batch.count, tfce !== null, (w, bounds, i) =>
      w.maxima(shareBatch(batch, n, bounds, i), clusters, tfce),
    );
  }

  glmStat(data: GlmData, batch: GlmBatch): Promise<Float32Array> {
    return this.local.glmStat(data, batch);
  }

  /** A GLM batch's permutations shared as the t-tests' rows are: each permutation's `rank` code rows go together. */
  async glmMaxima(
    data: GlmData,
    batch: GlmBatch,
    geometry: MaskGeometry,
    clusters: ClusterRule,
    tfce: TfceRule | null,
  ): Promise<PermutationMaxima> {
    if (this.glm !== data) {
      await Promise.all(this.workers.map((w) => w.setGlm(data, geometry)));
      this.glm = data;
    }
    const per = batch.rank * data.rows;
    return this.shared(batch.count, tfce !== null, (w, bounds, i) =>
      w.glmMaxima(
        { ...batch, count: bounds[i + 1]! - bounds[i]!, codes: shareCodes(batch.codes, per, bounds, i) },
        clusters,
        tfce,
      ),
    );
  }

  /** `count` permutations split into contiguous shares (src/compute/row-split.ts), one per worker; their maxima joined in order. */
  private async shared(
    count: number,
    withTfce: boolean,
    run: (w: Remote<PermutationWorkerApi>, bounds: readonly number[], i: number) => Promise<PermutationMaxima>,
  ): Promise<PermutationMaxima> {
    const bounds = shareBounds(count, this.workers.length, MIN_ROWS_PER_SHARE);
    const parts = await Promise.all(bounds.slice(0, -1).map((_, i) => run(this.workers[i]!, bounds, i)));
    return joinMaxima(parts, bounds, withTfce);
  }
}
