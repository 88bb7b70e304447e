import { NiftiError } from './errors';

/**
 * Pulls exact byte counts out of a stream of chunks, so a header can be parsed before the data
 * buffer is allocated, and reading stops the moment the declared bytes are in (a gzip bomb is
 * never inflated past them).
 */
export class ChunkSource {
  private pending: Uint8Array | null = null;
  /** Whether any byte has come out of the stream (a 0-byte file is "empty", not "truncated"). */
  private started = false;

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly file: string,
    private readonly gzip: boolean,
    private readonly signal?: AbortSignal,
  ) {}

  /** The next chunk, or null at the end of the stream. */
  async next(): Promise<Uint8Array | null> {
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      return p;
    }
    this.throwIfCancelled();
    let r: ReadableStreamReadResult<Uint8Array>;
    try {
      r = await this.reader.read();
    } catch (e) {
      this.throwIfCancelled();
      if (this.gzip) {
        throw new NiftiError('CORRUPT_GZIP', this.file, `the gzip stream is corrupt (${errorText(e)}).`);
      }
      throw new NiftiError('READ_FAILED', this.file, `reading failed (${errorText(e)}).`);
    }
    this.throwIfCancelled();
    return r.done ? null : r.value;
  }

  unshift(chunk: Uint8Array): void {
    if (chunk.byteLength > 0) this.pending = chunk;
  }

  /** Exactly n bytes (n small: a header), or a TRUNCATED error naming what was missing. */
  async readExactly(n: number, what: string): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    const first = !this.started;
    const got = await this.fill(out);
    if (got === 0 && first) throw new NiftiError('TRUNCATED', this.file, 'the file is empty (0 bytes).');
    if (got < n)
      throw new NiftiError('TRUNCATED', this.file, `the file ends inside its ${what} (${got} of ${n} bytes).`);
    return out;
  }

  /** Copies into target until it is full or the stream ends; returns the bytes copied. */
  async fill(target: Uint8Array): Promise<number> {
    let at = 0;
    while (at < target.byteLength) {
      const c = await this.next();
      if (!c) break;
      if (c.byteLength) this.started = true;
      const take = Math.min(c.byteLength, target.byteLength - at);
      target.set(take === c.byteLength ? c : c.subarray(0, take), at);
      at += take;
      if (take < c.byteLength) this.unshift(c.subarray(take));
    }
    return at;
  }

  /** Discards n bytes (header extensions before vox_offset); returns how many were there. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      const c = await this.next();
      if (!c) break;
      if (c.byteLength > left) this.unshift(c.subarray(left));
      left -= Math.min(left, c.byteLength);
    }
    return n - left;
  }

  /** Stops the underlying stream: nothing more is read or inflated. */
  async close(): Promise<void> {
    this.pending = null;
    await this.reader.cancel().catch(() => undefined);
  }

  private throwIfCancelled(): void {
    if (this.signal?.aborted) throw new NiftiError('CANCELLED', this.file, 'reading was cancelled.');
  }
}

export function errorText(e: unknown): string {
  // Quoted inside a sentence of ours that ends with its own full stop: zlib's "...truncated." loses its.
  return (e instanceof Error ? e.message : String(e)).replace(/\.$/, '');
}
