import type { Remote } from 'comlink';
import { MIN_ROWS_PER_SHARE } from '../analysis/constants';
import { joinMaxima, shareBatch, shareBounds } from '../compute/row-split';
import type {
  ClusterRule,
  GroupStack,
  MaskGeometry,
  PermutationBatch,
  PermutationEngine,
  PermutationMaxima,
  TfceRule,
} from '../compute/permutation';

/** What each pooled worker does (src/worker/permutation.worker.ts): the CPU twin's maxima for the rows it is given. */
export interface PermutationWorkerApi {
  setStudy(stack: GroupStack, geometry: MaskGeometry): void;
  maxima(batch: PermutationBatch, clusters: ClusterRule, tfce: TfceRule | null): Promise<PermutationMaxima>;
}

/**
 * The CPU twin across several workers: each permutation batch's rows are split into contiguous
 * shares, one per worker, whose maxima come back in order. The t-map and TFCE of the data itself
 * stay with `local`. Each worker holds its own copy of the study (sent once per run).
 */
export class PermutationPool implements PermutationEngine {
  private study: GroupStack | null = null;

  constructor(
    private readonly workers: readonly Remote<PermutationWorkerApi>[],
    private readonly local: PermutationEngine,
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
    const bounds = shareBounds(batch.count, this.workers.length, MIN_ROWS_PER_SHARE);
    const n = stack.subjects;
    const parts = await Promise.all(
      bounds.slice(0, -1).map((_, i) => this.workers[i]!.maxima(shareBatch(batch, n, bounds, i), clusters, tfce)),
    );
    return joinMaxima(parts, bounds, tfce !== null);
  }
}
