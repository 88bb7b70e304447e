import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { basename } from 'node:path';
import { DEFAULT_MEMORY_BUDGET_BYTES } from '../nifti';
import { headerAffine } from '../nifti/affine';
import { decodeFrame, needsSwap, swapBytes } from '../nifti/data';
import { frameShape, headerSize, parseHeader, scaling, type NiftiHeader } from '../nifti/header';

/** A map's grid, as read from its header before its slices. */
export interface SlicedGrid {
  readonly name: string;
  readonly header: NiftiHeader;
  readonly dims: [number, number, number];
  readonly affine: number[];
  readonly pixdim: number[];
}

/**
 * Bytes read from the file at a time: small, since zlib inflates a piece at once, and deflate's
 * 1000:1 at most makes 16 MiB of a 16 KiB piece of a gzip bomb.
 */
const READ_BYTES = 1 << 14;
/** Bytes zlib inflates into before it starts a new output buffer. */
const INFLATE_CHUNK_BYTES = 1 << 17;

/**
 * Reads frame `frame` of a single-file NIfTI (.nii or .nii.gz) one z-slice at a time, holding one
 * slice of bytes and one of values, never the map: `start` is told the grid and returns where the
 * slices go (x fastest, the same array each time). Returns the grid once every slice has gone, or
 * undefined when the file is not one this reader takes whole (a pair, a missing frame, over the
 * memory budget) or it fails on the way (truncated, corrupt): the caller then reads the file as a
 * whole, which reports the error in the reader's words.
 */
export async function readSlices(path: string, frame: number, start: (grid: SlicedGrid) => (slice: Float32Array) => void): Promise<SlicedGrid | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(path);
  } catch {
    return undefined;
  }
  try {
    const input = Buffer.allocUnsafe(READ_BYTES);
    const { bytesRead } = await fh.read(input, 0, 2, 0);
    const gzip = bytesRead === 2 && input[0] === 0x1f && input[1] === 0x8b;
    return await consume(gzip ? inflated(fh, input) : pieces(fh, input), basename(path), frame, start);
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

/**
 * The file's bytes, read into one reused buffer: the pieces are views of it, valid until the next.
 * (A read stream's fresh buffer per piece is garbage that the GC leaves for long: 20 MiB of a 1 mm map.)
 */
async function* pieces(fh: FileHandle, input: Buffer): AsyncGenerator<Uint8Array> {
  for (let pos = 0; ; ) {
    const { bytesRead } = await fh.read(input, 0, input.length, pos);
    if (bytesRead === 0) return;
    pos += bytesRead;
    yield input.subarray(0, bytesRead);
  }
}

/** The file inflated, fed to zlib from one reused buffer; what zlib gives for a piece comes before the next. */
async function* inflated(fh: FileHandle, input: Buffer): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip({ chunkSize: INFLATE_CHUNK_BYTES });
  const out: Buffer[] = [];
  gunzip.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve, reject) => gunzip.on('end', resolve).on('error', reject));
  ended.catch(() => undefined);
  try {
    for await (const piece of pieces(fh, input)) {
      // The callback comes once zlib has taken the piece: only then is the input buffer reused.
      // Corrupt data ends the stream with an error, and the callback may never come.
      await Promise.race([new Promise<void>((resolve, reject) => gunzip.write(piece, (e) => (e ? reject(e) : resolve()))), ended.then(() => undefined)]);
      yield* out.splice(0);
    }
    gunzip.end();
    await ended;
    yield* out.splice(0);
  } finally {
    gunzip.destroy();
  }
}

/** Where the bytes after the header go: skipped, into slices, or only counted (a whole read needs them there). */
interface Plan {
  readonly grid: SlicedGrid;
  readonly onSlice: (slice: Float32Array) => void;
  readonly decode: () => Float32Array;
  readonly slice: Uint8Array;
  skip: number;
  filled: number;
  slicesLeft: number;
  after: number;
}

async function consume(stream: AsyncIterable<Uint8Array>, name: string, frame: number, start: (grid: SlicedGrid) => (slice: Float32Array) => void): Promise<SlicedGrid | undefined> {
  let head: Uint8Array = new Uint8Array(0);
  let plan: Plan | undefined;
  for await (const chunk of stream) {
    let at = 0;
    if (!plan) {
      head = concat(head, chunk);
      const size = head.length >= 4 ? headerSize(head, name) : Infinity;
      if (head.length < size) continue;
      plan = planFor(parseHeader(head.subarray(0, size), name), size, name, frame, start);
      if (!plan) return undefined;
      // The bytes after the header in this chunk (all of them in this chunk: earlier ones were short of it).
      at = chunk.length - (head.length - size);
    }
    const p = plan;
    while (at < chunk.length) {
      const left = chunk.length - at;
      if (p.skip > 0) {
        const n = Math.min(p.skip, left);
        p.skip -= n;
        at += n;
      } else if (p.slicesLeft > 0) {
        const n = Math.min(p.slice.length - p.filled, left);
        p.slice.set(chunk.subarray(at, at + n), p.filled);
        p.filled += n;
        at += n;
        if (p.filled === p.slice.length) {
          p.onSlice(p.decode());
          p.filled = 0;
          p.slicesLeft--;
        }
      } else {
        p.after -= left;
        at = chunk.length;
      }
    }
    if (p.skip === 0 && p.slicesLeft === 0 && p.after <= 0) return p.grid;
  }
  return undefined;
}

function planFor(header: NiftiHeader, size: number, name: string, frame: number, start: (grid: SlicedGrid) => (slice: Float32Array) => void): Plan | undefined {
  const { voxels, frames } = frameShape(header);
  const dt = header.datatype;
  const frameBytes = voxels * dt.bytes;
  const dataBytes = frameBytes * frames;
  // The reader's own limits (a whole read holds the data and one float32 frame): past them it refuses
  // the file, and so must this reader, whatever it could do.
  if (header.pair || frame >= frames || !Number.isSafeInteger(dataBytes) || dataBytes + voxels * 4 > DEFAULT_MEMORY_BUDGET_BYTES) return undefined;
  const [nx, ny, nz] = header.dim as [number, number, number];
  const grid: SlicedGrid = { name, header, dims: [nx, ny, nz], affine: Array.from(headerAffine(header).affine), pixdim: [header.pixdim[1]!, header.pixdim[2]!, header.pixdim[3]!] };
  const slice = new Uint8Array(nx * ny * dt.bytes);
  const values = new Float32Array(nx * ny);
  const scale = scaling(header, name);
  const swap = needsSwap(header.littleEndian);
  return {
    grid,
    onSlice: start(grid),
    decode: () => {
      if (swap) swapBytes(slice, dt.bytes);
      return decodeFrame(dt, slice, scale, values);
    },
    slice,
    // The data starts at vox_offset, or right after the header where vox_offset is smaller (as the reader has it).
    skip: Math.max(header.voxOffset, size) - size + frame * frameBytes,
    filled: 0,
    slicesLeft: nz,
    // A whole read refuses a file short of any frame, so the frames after this one must be there too.
    after: (frames - frame - 1) * frameBytes,
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
