import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { basename } from 'node:path';
import { DEFAULT_MEMORY_BUDGET_BYTES } from '../nifti';
import { MAX_EXTENSION_BYTES } from '../nifti/afni';
import { headerAffine } from '../nifti/affine';
import { decodeFrame, needsSwap, swapBytes } from '../nifti/data';
import { frameShape, headerSize, parseHeader, scaling, type NiftiHeader } from '../nifti/header';
import { pumpFile } from './inflate-pump';

/** A map's grid, as read from its header before its slices. */
export interface SlicedGrid {
  readonly name: string;
  readonly header: NiftiHeader;
  readonly dims: [number, number, number];
  readonly affine: number[];
  readonly pixdim: number[];
  /** The bytes between the header and the data (header extensions: AFNI's frame statistics), when few; filled as they are read. */
  readonly extensions: Uint8Array;
}

/**
 * Bytes read from the file (and written to zlib) at a time. Larger pieces mean fewer round trips to
 * zlib's thread (16 KiB pieces cost 220-770 ms to inflate a 1 mm map here, 256 KiB ones 116-147), but
 * each inflated chunk is a new buffer that lives until the next scavenge, and with 256 KiB writes too
 * few JavaScript objects are made per megabyte inflated for the young generation to fill: the 1 mm
 * map's chunks then pile up before any is freed (B5: peak RSS 74-89 MiB in 16 runs, 3.2x the map at
 * worst). 64 KiB writes keep it at 73-79 MiB (2.9x at worst) for about 30 ms more of the command's 300.
 */
const READ_BYTES = 1 << 16;
/** Bytes zlib inflates into before it hands them over. */
const INFLATE_CHUNK_BYTES = 1 << 18;

/**
 * Reads frame `frame` of a single-file NIfTI (.nii or .nii.gz) one z-slice at a time, holding one
 * slice of bytes and one of values, never the map: `start` is told the grid and returns where the
 * slices go (x fastest, the same array each time). Returns the grid once every slice has gone, or
 * undefined when the file is not one this reader takes whole (a pair, a missing frame, over the
 * memory budget) or it fails on the way (truncated, corrupt): the caller then reads the file as a
 * whole, which reports the error in the reader's words.
 */
export async function readSlices(
  path: string,
  frame: number,
  start: (grid: SlicedGrid) => (slice: Float32Array) => void,
): Promise<SlicedGrid | undefined> {
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
    const sink = new SliceSink(basename(path), frame, start);
    if (gzip) await inflateInto(fh, input, sink);
    else
      for (
        let pos = 0, n = 0;
        sink.state === 'more' && (n = (await fh.read(input, 0, input.length, pos)).bytesRead) > 0;
        pos += n
      )
        sink.feed(input.subarray(0, n));
    return sink.state === 'done' ? sink.plan?.grid : undefined;
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

/**
 * Inflated chunks that may wait for the sink at once. zlib's thread inflates the next chunk while the
 * sink takes the last one (labelling a slice overlaps inflating the next); past this many bytes the
 * sink takes them at once, so a gzip bomb costs time, not memory.
 */
const QUEUED_BYTES = 4 * INFLATE_CHUNK_BYTES;

/**
 * Inflates the file into the sink, which stops it once the declared data is in. The file is read
 * while zlib inflates (pumpFile); inflated chunks go to the sink on the next turn of the event loop,
 * after zlib has been handed its next piece of work.
 */
async function inflateInto(fh: FileHandle, input: Buffer, sink: SliceSink): Promise<void> {
  const gunzip = createGunzip({ chunkSize: INFLATE_CHUNK_BYTES });
  let failed: unknown;
  let finish: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (finish = resolve));
  const queue: Buffer[] = [];
  let queued = 0;
  let draining = false;
  const drain = (): void => {
    draining = false;
    try {
      for (let c = queue.shift(); c && sink.state === 'more'; c = queue.shift()) sink.feed(c);
    } catch (e) {
      failed = e;
      sink.state = 'refused';
    }
    queue.length = 0;
    queued = 0;
    if (sink.state !== 'more') finish();
  };
  gunzip.on('data', (c: Buffer) => {
    queue.push(c);
    queued += c.length;
    if (queued > QUEUED_BYTES) drain();
    else if (!draining) {
      draining = true;
      setImmediate(drain);
    }
  });
  gunzip.on('end', () => {
    drain();
    finish();
  });
  gunzip.on('error', (e) => {
    failed = e;
    finish();
  });
  try {
    await pumpFile(fh, gunzip, input, stopped, () => sink.state === 'more' && failed === undefined);
    if (sink.state === 'more' && failed === undefined) {
      gunzip.end();
      await stopped;
    }
    if (failed !== undefined) sink.state = 'refused';
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
  /** The bytes to skip at first (skip counts them down). */
  skipTotal: number;
}

/** Takes the file's bytes in pieces of any size: the header first, then the frame's slices. */
class SliceSink {
  state: 'more' | 'done' | 'refused' = 'more';
  plan: Plan | undefined;
  private head: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly name: string,
    private readonly frame: number,
    private readonly start: (grid: SlicedGrid) => (slice: Float32Array) => void,
  ) {}

  feed(chunk: Uint8Array): void {
    let at = 0;
    if (!this.plan) {
      this.head = concat(this.head, chunk);
      const size = this.head.length >= 4 ? headerSize(this.head, this.name) : Infinity;
      if (this.head.length < size) return;
      this.plan = planFor(parseHeader(this.head.subarray(0, size), this.name), size, this.name, this.frame, this.start);
      if (!this.plan) {
        this.state = 'refused';
        return;
      }
      // The bytes after the header in this chunk (all of them in this chunk: earlier ones were short of it).
      at = chunk.length - (this.head.length - size);
      this.head = new Uint8Array(0);
    }
    const p = this.plan;
    while (at < chunk.length) {
      const left = chunk.length - at;
      if (p.skip > 0) {
        const n = Math.min(p.skip, left);
        // The first bytes skipped are the extensions: kept when few (the grid says how many).
        const e = p.grid.extensions;
        const done = p.skipTotal - p.skip;
        if (done < e.length) e.set(chunk.subarray(at, at + Math.min(n, e.length - done)), done);
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
    if (p.skip === 0 && p.slicesLeft === 0 && p.after <= 0) this.state = 'done';
  }
}

function planFor(
  header: NiftiHeader,
  size: number,
  name: string,
  frame: number,
  start: (grid: SlicedGrid) => (slice: Float32Array) => void,
): Plan | undefined {
  const { voxels, frames } = frameShape(header);
  const dt = header.datatype;
  const frameBytes = voxels * dt.bytes;
  const dataBytes = frameBytes * frames;
  // The reader's own limits (a whole read holds the data and one float32 frame): past them it refuses
  // the file, and so must this reader, whatever it could do.
  if (
    header.pair ||
    frame >= frames ||
    !Number.isSafeInteger(dataBytes) ||
    dataBytes + voxels * 4 > DEFAULT_MEMORY_BUDGET_BYTES
  )
    return undefined;
  const [nx, ny, nz] = header.dim as [number, number, number];
  const between = Math.max(header.voxOffset, size) - size;
  const grid: SlicedGrid = {
    name,
    header,
    dims: [nx, ny, nz],
    affine: Array.from(headerAffine(header).affine),
    pixdim: [header.pixdim[1]!, header.pixdim[2]!, header.pixdim[3]!],
    extensions: new Uint8Array(between <= MAX_EXTENSION_BYTES ? between : 0),
  };
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
    skip: between + frame * frameBytes,
    skipTotal: between + frame * frameBytes,
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
