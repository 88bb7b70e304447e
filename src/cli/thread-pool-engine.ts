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
import { batchRows, glmBatchRows } from '../compute/row-split';
import { blockedGraph } from '../compute/cpu/mask-graph';
import type { Connectivity } from '../compute/engine';
import { allDone, chunkRows, sharedMaxima, sharedRows, takeChunks, type SharedRows } from './shared-rows';
import type { FromThread, GlmMaximaMessage, MaximaMessage, ToThread } from './thread-protocol';

/**
 * A run whose rest would take this long on one thread (ms, at the rate of the batches before) starts
 * the workers of a pool the user did not size: shorter, a worker's start (its module, its own sums,
 * its compiler's warm-up) and the cores' shared memory traffic are not paid back. Ten subjects'
 * 1,024 flips with clusters (about 0.3 s here) run on this thread alone, and so do seven subjects'
 * 128 flips with TFCE (about 2 s): at 1.5 s they started a worker, which took 0.4 s off the wall
 * clock for 0.5 s more CPU (G3: 0.022-0.027 of the peer's CPU, 0.017 alone). Longer TFCE runs start
 * their workers at once (TFCE_EAGER_ROWS).
 */
export const POOL_MIN_RUN_MS = 3000;

/**
 * A TFCE run of this many permutations or more starts its workers at once, as --threads does: it lasts
 * seconds at least (a TFCE row costs 10-15 ms on the sample's 160,000 voxels), and the two lone batches
 * that measure the rate, with the workers' start after them, cost a 500-flip run 7% of its wall time.
 */
export const TFCE_EAGER_ROWS = 256;

/** Whether a run's workers start at once: asked for with --threads, or a long TFCE run (TFCE_EAGER_ROWS). */
export function threadsAtOnce(asked: boolean, tfce: boolean, rows: number): boolean {
  return asked || (tfce && rows >= TFCE_EAGER_ROWS);
}

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

function copyToShared<T extends Float32Array | Uint32Array | Uint8Array | Int32Array>(
  a: T,
  make: (b: SharedArrayBuffer) => T,
): T {
  const out = make(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

const sharedInts = (n: number): Int32Array => new Int32Array(new SharedArrayBuffer(4 * n));

/** The array itself when it is in shared memory already, else a shared copy. */
function sharedOrCopy(a: Int32Array): Int32Array {
  return a.buffer instanceof SharedArrayBuffer ? a : copyToShared(a, (b) => new Int32Array(b));
}

/**
 * The CPU twin on `threads` threads: this thread's own engine (`local`) and `threads - 1` worker
 * threads over one shared copy of the study take chunks of each batch's rows from a shared queue
 * (shared-rows.ts) until none is left, so a thread that is slower, or still starting, takes fewer
 * instead of keeping the others waiting (with one fixed share a thread, the threads waited a sixth of
 * a 500-flip TFCE run on each other). Each row's maxima are written at its row and depend on that row
 * alone, so every output is the same for any thread count. The data's own t-map and TFCE run on `local`.
 */
export class ThreadPoolEngine implements PermutationEngine, GlmEngine {
  private readonly threads: Worker[] = [];
  private readonly pending = new Map<number, { check: () => void; reject: (e: Error) => void }>();
  private readonly studies = new WeakMap<GroupStack, number>();
  private readonly glmData = new WeakMap<GlmData, number>();
  private readonly graphsSent = new Map<number, Set<Connectivity>>();
  private nextJob = 0;
  private nextStudy = 0;
  private failure: Error | null = null;

  /** This thread's time per row of the last batch it ran alone (ms), while the workers are not started. */
  private msPerRow: number | null = null;
  /** Rows the run has still to ask for (expect), when it said. */
  private remaining: number | null = null;

  /**
   * `wanted` threads in all, this one included. `eager`: the workers start now (--threads given, or a
   * long TFCE run: threadsAtOnce); otherwise they start once the rest of the run would take this thread
   * POOL_MIN_RUN_MS or more alone, at the rate measured on the batches before (a short run ends before
   * they would have paid for their start).
   */
  constructor(
    private readonly local: PermutationEngine & GlmEngine,
    private readonly wanted: number,
    eager = true,
  ) {
    if (eager) this.startThreads();
  }

  private startThreads(): void {
    if (this.disposed) return;
    for (let k = this.threads.length; k < this.wanted - 1; k++) {
      const w = startThread();
      w.on('message', (m: FromThread) => this.settle(m));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => code !== 0 && this.fail(new Error(`a permutation thread stopped (exit code ${code})`)));
      this.threads.push(w);
    }
  }

  expect(rows: number): void {
    this.remaining = rows;
  }

  /** Before a batch of `count` rows: starts the workers once the rest of the run is long enough to share (see the constructor). */
  private before(count: number): void {
    const rest = this.remaining ?? count;
    this.remaining = this.remaining === null ? null : Math.max(0, this.remaining - count);
    if (this.threads.length > 0 || this.wanted < 2 || this.msPerRow === null) return;
    if (rest * this.msPerRow >= POOL_MIN_RUN_MS) this.startThreads();
  }

  /**
   * A batch this thread runs alone, timed while the workers are not started: from the second on (the
   * first's time is the compiler's and the observed map's, which the run makes beside it).
   */
  private async alone<T>(count: number, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const out = await run();
    if (this.threads.length === 0 && this.aloneBatches++ > 0)
      this.msPerRow = (performance.now() - started) / Math.max(1, count);
    return out;
  }

  private aloneBatches = 0;
  private disposed = false;

  /** Each thread runs the CPU twin, which pairs a row with its mirror. */
  readonly mirrors = true;

  get shares(): number {
    return this.size;
  }

  get size(): number {
    return this.threads.length > 0 ? this.threads.length + 1 : this.wanted;
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
    this.before(batch.count);
    const rows = this.rowsFor(batch.count, tfce !== null, batch.mirrors !== undefined);
    if (!rows)
      return this.alone(batch.count, () => this.local.permutationMaxima(stack, batch, geometry, clusters, tfce));
    const width = stack.subjects;
    // Shared, so every thread reads the one copy; the workers are told first, then this thread takes chunks too.
    const shared: PermutationBatch = {
      kind: batch.kind,
      count: batch.count,
      codes: copyToShared(batch.codes, (b) => new Float32Array(b)),
      ...(batch.mirrors ? { mirrors: copyToShared(batch.mirrors, (b) => new Uint8Array(b)) } : {}),
    };
    const study = this.share(stack, geometry);
    this.shareGraphs(study, geometry, tfce);
    const job = this.post(
      (j) => ({
        type: 'maxima',
        job: j,
        study,
        kind: shared.kind,
        codes: shared.codes,
        mirrors: shared.mirrors ?? null,
        rows,
        clusters,
        tfce,
      }),
      rows,
    );
    await takeChunks(rows, async (from, to) => {
      await job.turn();
      return this.local.permutationMaxima(stack, batchRows(shared, width, from, to), geometry, clusters, tfce);
    });
    await job.wait();
    return sharedMaxima(rows);
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
    this.before(batch.count);
    const rows = this.rowsFor(batch.count, tfce !== null, false);
    if (!rows) return this.alone(batch.count, () => this.local.glmMaxima(data, batch, geometry, clusters, tfce));
    const shared: GlmBatch = { ...batch, codes: copyToShared(batch.codes, (b) => new Float32Array(b)) };
    const id = this.shareGlm(data, geometry);
    this.shareGraphs(id, geometry, tfce);
    const job = this.post((j) => ({ type: 'glm-maxima', job: j, data: id, batch: shared, rows, clusters, tfce }), rows);
    await takeChunks(rows, async (from, to) => {
      await job.turn();
      return this.local.glmMaxima(data, glmBatchRows(shared, data.rows, from, to), geometry, clusters, tfce);
    });
    await job.wait();
    return sharedMaxima(rows);
  }

  dispose(): void {
    this.disposed = true;
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

  /**
   * Sends the TFCE graph a batch needs, when `target` (a study or GLM data) has not had it: this
   * thread's own, in shared memory. (Clusters need no graph: ClusterScratch links supra-threshold
   * voxels by their grid indices.)
   */
  private shareGraphs(target: number, geometry: MaskGeometry, tfce: TfceRule | null): void {
    if (!tfce) return;
    let sent = this.graphsSent.get(target);
    if (!sent) this.graphsSent.set(target, (sent = new Set()));
    if (sent.has(tfce.connectivity)) return;
    sent.add(tfce.connectivity);
    // Built in shared memory when this thread has not built it yet (then the one copy serves all).
    const g = blockedGraph(geometry, tfce.connectivity, sharedInts);
    const m: ToThread = {
      type: 'graph',
      target,
      connectivity: tfce.connectivity,
      start: sharedOrCopy(g.start),
      nbrs: sharedOrCopy(g.nbrs),
      order: sharedOrCopy(g.order),
    };
    for (const w of this.threads) w.postMessage(m);
  }

  /** The shared rows of a batch worth splitting; null runs it on this thread alone. */
  private rowsFor(count: number, tfce: boolean, mirrors: boolean): SharedRows | null {
    if (this.threads.length === 0 || count < 2 * MIN_ROWS_PER_SHARE) return null;
    return sharedRows(count, chunkRows(count, this.size, 1), tfce, mirrors);
  }

  /**
   * Tells every worker of a batch. `wait` resolves once every chunk of `rows` is written, by whichever
   * thread: checked when it is called (after this thread has taken its last chunk, the batch may be
   * complete without a word from a worker) and as each worker reports a chunk. `turn`, before each of
   * this thread's chunks, lets the workers' messages in (this thread's chunks never yield on their
   * own) and throws once a worker has failed, so this thread does not finish the batch alone.
   */
  private post(
    message: (job: number) => MaximaMessage | GlmMaximaMessage,
    rows: SharedRows,
  ): { wait: () => Promise<void>; turn: () => Promise<void> } {
    if (this.failure) throw this.failure;
    const job = ++this.nextJob;
    let failed: Error | null = null;
    let check = (): void => undefined;
    const done = new Promise<void>((resolve, reject) => {
      check = (): void => {
        if (!allDone(rows)) return;
        this.pending.delete(job);
        resolve();
      };
      this.pending.set(job, {
        check,
        reject: (e) => {
          failed = e;
          reject(e);
        },
      });
    });
    // A worker's failure while this thread still computes is reported when the caller waits.
    done.catch(() => undefined);
    const m = message(job);
    for (const w of this.threads) w.postMessage(m);
    return {
      wait: () => {
        if (this.pending.has(job)) check();
        return done;
      },
      turn: async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (failed) throw failed;
      },
    };
  }

  private settle(m: FromThread): void {
    const p = this.pending.get(m.job);
    if (!p) return;
    if ('error' in m) {
      this.pending.delete(m.job);
      p.reject(new Error(m.error));
    } else p.check();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
