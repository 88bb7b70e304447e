import { checkMaskVoxels } from '../compute/permutation';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type {
  ClusterRule,
  GroupStack,
  MaskGeometry,
  PermutationBatch,
  PermutationEngine,
  PermutationMaxima,
  TfceRule,
} from '../compute/permutation';
import type { GlmBatch, GlmData, GlmEngine } from '../compute/glm';
import { MIN_ROWS_PER_SHARE } from '../analysis/constants';
import { joinMaxima, shareBatch, shareBounds, shareCodes } from '../compute/row-split';
import type { FromThread, GlmMaximaMessage, MaximaMessage, ToThread } from './thread-protocol';

/** Threads by default: every core the process may use. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The bundled command runs lib/cli/thread-worker.mjs beside lib/cli/main.mjs (scripts/build-cli.mjs
 * builds both); the sources run src/cli/thread-worker.ts through tsx, as bin/siglens.mjs runs them.
 */
function startThread(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./thread-worker.mjs', import.meta.url));
  // A worker does not inherit the main thread's tsx hooks: it registers its own before the entry.
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./thread-worker.ts', import.meta.url).href);
  return new Worker(`import(${tsx}).then((m) => { m.register(); return import(${entry}); })`, { eval: true });
}

function copyToShared<T extends Float32Array | Uint32Array>(a: T, make: (b: SharedArrayBuffer) => T): T {
  const out = make(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/**
 * The CPU twin on `threads` threads: each permutation batch is split into contiguous shares, one per
 * thread, and the maxima are joined in the batch's order. The first share runs on this thread's own
 * engine (`local`), the others on `threads - 1` worker threads over one shared copy of the study: a
 * main thread left waiting would cost a worker's start-up and a copy of the scratch for nothing. The
 * rows and their order are the batch's, so every output is the same for any thread count. The data's
 * own t-map and TFCE run on `local`.
 */
export class ThreadPoolEngine implements PermutationEngine, GlmEngine {
  private readonly threads: Worker[];
  private readonly pending = new Map<number, { resolve: (m: PermutationMaxima) => void; reject: (e: Error) => void }>();
  private readonly studies = new WeakMap<GroupStack, number>();
  private readonly glmData = new WeakMap<GlmData, number>();
  private nextJob = 0;
  private nextStudy = 0;
  private failure: Error | null = null;

  constructor(
    private readonly local: PermutationEngine & GlmEngine,
    threads: number,
  ) {
    this.threads = Array.from({ length: Math.max(0, threads - 1) }, () => {
      const w = startThread();
      w.on('message', (m: FromThread) => this.settle(m));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => code !== 0 && this.fail(new Error(`a permutation thread stopped (exit code ${code})`)));
      return w;
    });
  }

  /** Each thread runs the CPU twin, which pairs a row with its mirror. */
  readonly mirrors = true;

  get shares(): number {
    return this.size;
  }

  get size(): number {
    return this.threads.length + 1;
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
    checkMaskVoxels(geometry, stack.voxels);
    const bounds = shareBounds(batch.count, this.size, MIN_ROWS_PER_SHARE);
    const study = bounds.length > 2 ? this.share(stack, geometry) : 0;
    // The workers' shares are sent first, so they run while this thread computes the first.
    const others = bounds.slice(1, -1).map((_, w) => {
      const i = w + 1;
      const share = shareBatch(batch, stack.subjects, bounds, i);
      return this.send(
        w,
        {
          type: 'maxima',
          job: 0,
          study,
          kind: share.kind,
          count: share.count,
          codes: share.codes,
          mirrors: share.mirrors ?? null,
          clusters,
          tfce,
        },
        share.codes,
      );
    });
    const first = await this.local.permutationMaxima(
      stack,
      shareBatch(batch, stack.subjects, bounds, 0),
      geometry,
      clusters,
      tfce,
    );
    return joinMaxima([first, ...(await Promise.all(others))], bounds, tfce !== null);
  }

  glmStat(data: GlmData, batch: GlmBatch): Promise<Float32Array> {
    return this.local.glmStat(data, batch);
  }

  /** A GLM batch split by permutation, as permutationMaxima: each share's permutations are `rank` code rows each. */
  async glmMaxima(
    data: GlmData,
    batch: GlmBatch,
    geometry: MaskGeometry,
    clusters: ClusterRule,
    tfce: TfceRule | null,
  ): Promise<PermutationMaxima> {
    checkMaskVoxels(geometry, data.voxels);
    const bounds = shareBounds(batch.count, this.size, MIN_ROWS_PER_SHARE);
    const id = bounds.length > 2 ? this.shareGlm(data, geometry) : 0;
    const shareOf = (i: number): GlmBatch => ({
      ...batch,
      count: bounds[i + 1]! - bounds[i]!,
      codes: shareCodes(batch.codes, batch.rank * data.rows, bounds, i),
    });
    const others = bounds.slice(1, -1).map((_, w) => {
      const share = shareOf(w + 1);
      return this.send(w, { type: 'glm-maxima', job: 0, data: id, batch: share, clusters, tfce }, share.codes);
    });
    const first = await this.local.glmMaxima(data, shareOf(0), geometry, clusters, tfce);
    return joinMaxima([first, ...(await Promise.all(others))], bounds, tfce !== null);
  }

  dispose(): void {
    for (const w of this.threads) void w.terminate();
    this.fail(new Error('the permutation threads were stopped'));
  }

  /** Sends the study to every thread once, in shared memory. */
  private share(stack: GroupStack, geometry: MaskGeometry): number {
    const known = this.studies.get(stack);
    if (known !== undefined) return known;
    const id = ++this.nextStudy;
    const values = copyToShared(stack.values, (b) => new Float32Array(b));
    const voxelIndex = copyToShared(geometry.voxelIndex, (b) => new Uint32Array(b));
    const m: ToThread = {
      type: 'study',
      id,
      subjects: stack.subjects,
      voxels: stack.voxels,
      values,
      dims: geometry.dims,
      voxelIndex,
    };
    for (const w of this.threads) w.postMessage(m);
    this.studies.set(stack, id);
    return id;
  }

  /** Sends a GLM contrast's data to every thread once, in shared memory. */
  private shareGlm(data: GlmData, geometry: MaskGeometry): number {
    const known = this.glmData.get(data);
    if (known !== undefined) return known;
    const id = ++this.nextStudy;
    const residuals = copyToShared(data.residuals, (b) => new Float32Array(b));
    const sumSquares = copyToShared(data.sumSquares, (b) => new Float32Array(b));
    const voxelIndex = copyToShared(geometry.voxelIndex, (b) => new Uint32Array(b));
    const m: ToThread = {
      type: 'glm-data',
      id,
      rows: data.rows,
      voxels: data.voxels,
      residuals,
      sumSquares,
      dims: geometry.dims,
      voxelIndex,
    };
    for (const w of this.threads) w.postMessage(m);
    this.glmData.set(data, id);
    return id;
  }

  /** A share to a thread; its codes (a copy made for it) are moved, not copied again. */
  private send(thread: number, m: MaximaMessage | GlmMaximaMessage, codes: Float32Array): Promise<PermutationMaxima> {
    if (this.failure) return Promise.reject(this.failure);
    const job = ++this.nextJob;
    return new Promise((resolve, reject) => {
      this.pending.set(job, { resolve, reject });
      this.threads[thread]!.postMessage({ ...m, job }, [codes.buffer as ArrayBuffer]);
    });
  }

  private settle(m: FromThread): void {
    const p = this.pending.get(m.job);
    if (!p) return;
    this.pending.delete(m.job);
    if ('error' in m) p.reject(new Error(m.error));
    else p.resolve(m.maxima);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
