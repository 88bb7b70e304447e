import type { Remote } from 'comlink';
import type { ClusterRule, GroupStack, MaskGeometry, PermutationBatch, PermutationEngine, PermutationMaxima, TfceRule } from '../compute/permutation';

/** What each pooled worker does (src/worker/permutation.worker.ts): the CPU twin's maxima for the rows it is given. */
export interface PermutationWorkerApi {
  setStudy(stack: GroupStack, geometry: MaskGeometry): void;
  maxima(batch: PermutationBatch, clusters: ClusterRule, tfce: TfceRule | null): Promise<PermutationMaxima>;
}

/** Rows below which a batch is not split (a worker's share would cost more in messages than it saves). */
const MIN_ROWS_PER_WORKER = 2;

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

  get size(): number {
    return this.workers.length;
  }

  permutedT(stack: GroupStack, batch: PermutationBatch): Promise<Float32Array> {
    return this.local.permutedT(stack, batch);
  }

  tfce(t: Float32Array, geometry: MaskGeometry, rule: TfceRule): Promise<Float32Array> {
    return this.local.tfce(t, geometry, rule);
  }

  async permutationMaxima(stack: GroupStack, batch: PermutationBatch, geometry: MaskGeometry, clusters: ClusterRule, tfce: TfceRule | null): Promise<PermutationMaxima> {
    if (this.study !== stack) {
      await Promise.all(this.workers.map((w) => w.setStudy(stack, geometry)));
      this.study = stack;
    }
    const k = Math.max(1, Math.min(this.workers.length, Math.floor(batch.count / MIN_ROWS_PER_WORKER)));
    const n = stack.subjects;
    const bounds = Array.from({ length: k + 1 }, (_, i) => Math.round((i * batch.count) / k));
    const parts = await Promise.all(
      bounds.slice(0, k).map((from, i) => {
        const to = bounds[i + 1]!;
        return this.workers[i]!.maxima({ kind: batch.kind, count: to - from, codes: batch.codes.slice(from * n, to * n) }, clusters, tfce);
      }),
    );
    const join = (pick: (m: PermutationMaxima) => Float64Array): Float64Array => {
      const out = new Float64Array(batch.count);
      parts.forEach((m, i) => out.set(pick(m), bounds[i]!));
      return out;
    };
    return { maxT: join((m) => m.maxT), maxExtent: join((m) => m.maxExtent), maxMass: join((m) => m.maxMass), maxTfce: tfce ? join((m) => m.maxTfce!) : null };
  }
}
