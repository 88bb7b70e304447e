import type { PermutationMaxima } from '../compute/permutation';

/**
 * A batch's rows as a queue every thread of the command's pool takes chunks from, with the maxima
 * written back into shared arrays at each chunk's rows. A thread that is slower (or still starting)
 * takes fewer chunks instead of keeping the others waiting at the end of the batch; each row's maxima
 * depend on that row alone, so the numbers are the same whichever thread computes a chunk.
 */

/** Chunks per thread and batch: enough that the last chunk is a small part of a thread's share. */
export const CHUNKS_PER_THREAD = 8;

/** queue[NEXT]: the next chunk to take; queue[DONE]: chunks written; queue[MIRRORED]: 1 once a chunk gave mirror maxima. */
const NEXT = 0;
const DONE = 1;
const MIRRORED = 2;

interface Columns {
  readonly maxT: Float64Array;
  readonly maxExtent: Float64Array;
  readonly maxMass: Float64Array;
  readonly maxTfce: Float64Array | null;
}

export interface SharedRows {
  /** Rows in the batch. */
  readonly count: number;
  /** Rows a chunk (the last may hold fewer). */
  readonly chunk: number;
  readonly queue: Int32Array;
  readonly out: Columns;
  /** The mirrors' maxima when the batch asks for mirrors; 0 at rows whose chunk gave none. */
  readonly mirror: Columns | null;
}

function sharedF64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * n));
}

function columns(count: number, tfce: boolean): Columns {
  return {
    maxT: sharedF64(count),
    maxExtent: sharedF64(count),
    maxMass: sharedF64(count),
    maxTfce: tfce ? sharedF64(count) : null,
  };
}

/** Chunk rows for `threads` threads, at least `minRows` a chunk. */
export function chunkRows(count: number, threads: number, minRows: number): number {
  return Math.max(1, minRows, Math.ceil(count / (threads * CHUNKS_PER_THREAD)));
}

export function sharedRows(count: number, chunk: number, tfce: boolean, mirrors: boolean): SharedRows {
  return {
    count,
    chunk,
    queue: new Int32Array(new SharedArrayBuffer(12)),
    out: columns(count, tfce),
    mirror: mirrors ? columns(count, tfce) : null,
  };
}

function chunks(rows: SharedRows): number {
  return Math.ceil(rows.count / rows.chunk);
}

function write(to: Columns, m: PermutationMaxima, from: number, n: number): void {
  const put = (dst: Float64Array | null, src: Float64Array | null): void => {
    if (!dst) return;
    if (!src || src.length !== n) throw new RangeError(`a chunk gave ${src?.length ?? 'no'} maxima for ${n} rows`);
    dst.set(src, from);
  };
  put(to.maxT, m.maxT);
  put(to.maxExtent, m.maxExtent);
  put(to.maxMass, m.maxMass);
  put(to.maxTfce, m.maxTfce);
}

/**
 * Takes chunks until none is left; `run(from, to)` gives the maxima of rows from .. to - 1, which are
 * written at their rows. `onChunk` follows each chunk written (a worker tells the pool).
 */
export async function takeChunks(
  rows: SharedRows,
  run: (from: number, to: number) => Promise<PermutationMaxima>,
  onChunk?: () => void,
): Promise<void> {
  const total = chunks(rows);
  for (;;) {
    const c = Atomics.add(rows.queue, NEXT, 1);
    if (c >= total) return;
    const from = c * rows.chunk;
    const to = Math.min(rows.count, from + rows.chunk);
    const m = await run(from, to);
    write(rows.out, m, from, to - from);
    if (m.mirror && rows.mirror) {
      write(rows.mirror, m.mirror, from, to - from);
      Atomics.store(rows.queue, MIRRORED, 1);
    }
    Atomics.add(rows.queue, DONE, 1);
    onChunk?.();
  }
}

/** Every chunk written. */
export function allDone(rows: SharedRows): boolean {
  return Atomics.load(rows.queue, DONE) >= chunks(rows);
}

/** The batch's maxima once allDone: the mirrors' only when some chunk gave them (as joinMaxima). */
export function sharedMaxima(rows: SharedRows): PermutationMaxima {
  return rows.mirror && Atomics.load(rows.queue, MIRRORED) === 1 ? { ...rows.out, mirror: rows.mirror } : rows.out;
}
