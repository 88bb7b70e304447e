import { ChunkSource } from './chunks';
import { NiftiError } from './errors';
import { frameShape, headerSize, parseHeader, type NiftiHeader } from './header';
import { DEFAULT_MEMORY_BUDGET_BYTES } from './limits';
import { needsSwap, swapBytes } from './data';
import { NiftiImage } from './image';
import { afniFramesOf, MAX_EXTENSION_BYTES, type AfniFrames } from './afni';

/** A stream whose total size may be known (a fetch with Content-Length). */
export interface SizedStream {
  readonly stream: ReadableStream<Uint8Array>;
  readonly size?: number;
}

/** Anything a file's bytes can come from: a buffer, a File/Blob, or a stream. */
export type ByteSource = Uint8Array | ArrayBuffer | Blob | SizedStream;

export interface ReadOptions {
  /** The file's name, used in every error message. */
  readonly name: string;
  /** Refuse files whose data would need more bytes than this (default DEFAULT_MEMORY_BUDGET_BYTES). */
  readonly budgetBytes?: number;
  /** Called as input bytes arrive (compressed bytes for .gz), with the total when known. */
  readonly onProgress?: (done: number, total: number | undefined) => void;
  readonly signal?: AbortSignal;
  /** Allocates the data buffer; tests pass one that records sizes. */
  readonly allocate?: (bytes: number) => Uint8Array;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

function isGzip(b: Uint8Array): boolean {
  return b.byteLength >= 2 && b[0] === GZIP_MAGIC[0] && b[1] === GZIP_MAGIC[1];
}

/** Reads a .nii or .nii.gz (NIfTI-1 or -2, either byte order) into an image. */
export async function readNifti(source: ByteSource, opts: ReadOptions): Promise<NiftiImage> {
  const bytes = source instanceof ArrayBuffer ? new Uint8Array(source) : source instanceof Uint8Array ? source : null;
  if (bytes && !isGzip(bytes)) {
    opts.onProgress?.(bytes.byteLength, bytes.byteLength);
    return fromWholeBuffer(bytes, opts);
  }
  const src = await open(source, opts);
  try {
    const header = await readHeader(src, opts.name);
    if (header.pair) {
      throw new NiftiError(
        'MISSING_PAIR',
        opts.name,
        'this header says its data is in a separate .img file; load the .hdr and .img together.',
      );
    }
    const dataBytes = dataSize(header, opts);
    const headerEnd = header.version === 1 ? 348 : 540;
    const offset = Math.max(header.voxOffset, headerEnd);
    // Header extensions (AFNI's frame labels and statistics) are read when small, else skipped.
    const between = offset - headerEnd;
    const small = between <= MAX_EXTENSION_BYTES;
    const ext = new Uint8Array(small ? between : 0);
    const got = small ? await src.fill(ext) : await src.skip(between);
    if (got < between) throw truncated(opts.name, 0, dataBytes);
    return await readData(
      src,
      header,
      dataBytes,
      opts,
      afniFramesOf(ext, header.littleEndian, frameShape(header).frames, small),
    );
  } finally {
    await src.close();
  }
}

/** Reads an Analyze-style pair: a .hdr (NIfTI-1/2 "ni1"/"ni2") and its .img (either may be gzipped). */
export async function readNiftiPair(hdr: ByteSource, img: ByteSource, opts: ReadOptions): Promise<NiftiImage> {
  const hsrc = await open(hdr, { ...opts, onProgress: undefined });
  let header: NiftiHeader;
  try {
    header = await readHeader(hsrc, opts.name);
  } finally {
    await hsrc.close();
  }
  const dataBytes = dataSize(header, opts);
  const isrc = await open(img, opts);
  try {
    const skipped = await isrc.skip(header.voxOffset);
    if (skipped < header.voxOffset) throw truncated(opts.name, 0, dataBytes);
    return await readData(isrc, header, dataBytes, opts);
  } finally {
    await isrc.close();
  }
}

function fromWholeBuffer(bytes: Uint8Array, opts: ReadOptions): NiftiImage {
  const header = parseHeader(bytes, opts.name);
  if (header.pair) {
    throw new NiftiError(
      'MISSING_PAIR',
      opts.name,
      'this header says its data is in a separate .img file; load the .hdr and .img together.',
    );
  }
  const dataBytes = dataSize(header, opts);
  const offset = Math.max(header.voxOffset, header.version === 1 ? 348 : 540);
  const available = Math.max(0, bytes.byteLength - offset);
  if (available < dataBytes) throw truncated(opts.name, available, dataBytes);
  let data = bytes.subarray(offset, offset + dataBytes);
  if (needsSwap(header.littleEndian)) {
    // Never swap the caller's bytes in place: copy first.
    data = data.slice();
    swapBytes(data, header.datatype.bytes);
  }
  const headerEnd = header.version === 1 ? 348 : 540;
  const small = offset - headerEnd <= MAX_EXTENSION_BYTES;
  return new NiftiImage(
    opts.name,
    header,
    data,
    afniFramesOf(
      small ? bytes.subarray(headerEnd, offset) : new Uint8Array(0),
      header.littleEndian,
      frameShape(header).frames,
      small,
    ),
  );
}

async function readHeader(src: ChunkSource, file: string): Promise<NiftiHeader> {
  const start = await src.readExactly(4, 'header');
  const size = headerSize(start, file);
  const rest = await src.readExactly(size - 4, 'header');
  const all = new Uint8Array(size);
  all.set(start);
  all.set(rest, 4);
  return parseHeader(all, file);
}

async function readData(
  src: ChunkSource,
  header: NiftiHeader,
  dataBytes: number,
  opts: ReadOptions,
  frames: AfniFrames | null = null,
): Promise<NiftiImage> {
  const data = (opts.allocate ?? ((n: number) => new Uint8Array(n)))(dataBytes);
  const got = await src.fill(data);
  if (got < dataBytes) throw truncated(opts.name, got, dataBytes);
  if (needsSwap(header.littleEndian)) swapBytes(data, header.datatype.bytes);
  return new NiftiImage(opts.name, header, data, frames);
}

/** Bytes of voxel data the header declares, refused when over the memory budget. */
function dataSize(header: NiftiHeader, opts: ReadOptions): number {
  const { voxels, frames } = frameShape(header);
  const dataBytes = voxels * frames * header.datatype.bytes;
  // The raw data plus the one float32 frame handed on.
  const need = dataBytes + voxels * 4;
  const budget = opts.budgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES;
  if (!Number.isSafeInteger(dataBytes) || need > budget) {
    const dims = header.dim.slice(0, Math.max(3, lastUsedDim(header.dim))).join('x');
    throw new NiftiError(
      'TOO_LARGE',
      opts.name,
      `the header declares ${dims} ${header.datatype.name} voxels (${formatBytes(need)}), over the memory budget of ${formatBytes(budget)}.`,
    );
  }
  return dataBytes;
}

function lastUsedDim(dim: readonly number[]): number {
  let n = dim.length;
  while (n > 3 && dim[n - 1] === 1) n--;
  return n;
}

function truncated(file: string, got: number, want: number): NiftiError {
  return new NiftiError(
    'TRUNCATED',
    file,
    `the file ends before its data: ${got} of ${want} bytes of voxels are there.`,
  );
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** Turns any source into a ChunkSource of the file's (inflated) bytes, with progress on the input. */
async function open(source: ByteSource, opts: ReadOptions): Promise<ChunkSource> {
  let stream: ReadableStream<Uint8Array>;
  let total: number | undefined;
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) {
    const b = source instanceof ArrayBuffer ? new Uint8Array(source) : source;
    stream = new Blob([b as Uint8Array<ArrayBuffer>]).stream();
    total = b.byteLength;
  } else if (source instanceof Blob) {
    stream = source.stream();
    total = source.size;
  } else {
    stream = source.stream;
    total = source.size;
  }
  if (opts.onProgress) stream = stream.pipeThrough(progressCounter(total, opts.onProgress));
  const reader = stream.getReader();
  const first = await firstChunk(reader, opts);
  const rest = prepend(first, reader);
  const gzip = isGzip(first);
  const bytes = gzip
    ? rest.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>)
    : rest;
  const src = new ChunkSource(bytes.getReader(), opts.name, gzip, opts.signal);
  // Cancel the stream when the signal fires, so a pending read returns at once.
  opts.signal?.addEventListener('abort', () => void src.close(), { once: true });
  return src;
}

/** The first chunk with at least two bytes (enough to tell gzip from raw), or what there is. */
async function firstChunk(reader: ReadableStreamDefaultReader<Uint8Array>, opts: ReadOptions): Promise<Uint8Array> {
  let first = new Uint8Array(0);
  while (first.byteLength < 2) {
    let r: ReadableStreamReadResult<Uint8Array>;
    try {
      r = await reader.read();
    } catch (e) {
      throw new NiftiError('READ_FAILED', opts.name, `reading failed (${e instanceof Error ? e.message : String(e)}).`);
    }
    if (r.done) break;
    const merged = new Uint8Array(first.byteLength + r.value.byteLength);
    merged.set(first);
    merged.set(r.value, first.byteLength);
    first = merged;
  }
  return first;
}

function prepend(first: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  let sent = first.byteLength === 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(ctrl) {
        if (!sent) {
          sent = true;
          ctrl.enqueue(first);
          return;
        }
        const r = await reader.read();
        if (r.done) ctrl.close();
        else ctrl.enqueue(r.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function progressCounter(
  total: number | undefined,
  report: NonNullable<ReadOptions['onProgress']>,
): TransformStream<Uint8Array, Uint8Array> {
  let done = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, ctrl) {
      done += chunk.byteLength;
      report(done, total);
      ctrl.enqueue(chunk);
    },
  });
}
