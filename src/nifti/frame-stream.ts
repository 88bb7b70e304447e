import { decodeFrame, needsSwap, swapBytes } from './data';
import type { DatatypeInfo } from './datatypes';
import { frameShape, headerSize, parseHeader, scaling } from './header';

/** Where frame `frame` lies in the file, and how its bytes become values. */
interface FramePlan {
  readonly datatype: DatatypeInfo;
  readonly scale: { slope: number; inter: number } | undefined;
  readonly swap: boolean;
  /** The frame's first and one-past-last byte in the file. */
  readonly start: number;
  readonly end: number;
}

/**
 * Decodes one frame of a single-file NIfTI while the file arrives in one buffer that fills from the
 * front (Node's reader inflating a .nii.gz): `advance(file, end)` says bytes 0..end of `file` are
 * final, and the frame's whole voxels among them go to `onValues`, in order, decoded as
 * NiftiImage.frame() decodes them (byte swap, then decodeFrame with the header's scaling). Anything
 * the stream cannot vouch for stops it for good (`failed`): a header it cannot read, a pair, a frame
 * the file lacks, another buffer or a shorter end than before (the reader started over). The caller
 * then decodes the frame from the image, which also reports any error in the reader's words.
 */
export class FrameStream {
  failed = false;
  private file: Uint8Array | undefined;
  private plan: FramePlan | undefined;
  /** The file's bytes up to here are decoded (or before the frame). */
  private decoded = 0;
  private seen = 0;

  constructor(
    private readonly name: string,
    private readonly frame: number,
    private readonly onValues: (values: Float32Array) => void,
  ) {}

  /** Every value of the frame has gone to onValues. */
  get complete(): boolean {
    return !this.failed && this.plan !== undefined && this.decoded === this.plan.end;
  }

  advance(file: Uint8Array, end: number): void {
    if (this.failed) return;
    if ((this.file && file !== this.file) || end < this.seen || end > file.length) {
      this.failed = true;
      return;
    }
    this.file = file;
    this.seen = end;
    try {
      this.plan ??= this.planFor(file, end);
      if (this.plan) this.decodeUpTo(file, end, this.plan);
    } catch {
      this.failed = true;
    }
  }

  /** The frame's place once the header is in; undefined while it is not (failed where the file is not one this stream takes). */
  private planFor(file: Uint8Array, end: number): FramePlan | undefined {
    if (end < 4) return undefined;
    const size = headerSize(file.subarray(0, 4), this.name);
    if (end < size) return undefined;
    const header = parseHeader(file.subarray(0, size), this.name);
    const { voxels, frames } = frameShape(header);
    if (header.pair || this.frame >= frames) {
      this.failed = true;
      return undefined;
    }
    const frameBytes = voxels * header.datatype.bytes;
    // The data starts at vox_offset, or right after the header where vox_offset is smaller (as the reader has it).
    const start = Math.max(header.voxOffset, size) + this.frame * frameBytes;
    this.decoded = start;
    return {
      datatype: header.datatype,
      scale: scaling(header, this.name),
      swap: needsSwap(header.littleEndian),
      start,
      end: start + frameBytes,
    };
  }

  private decodeUpTo(file: Uint8Array, end: number, p: FramePlan): void {
    if (end <= this.decoded) return;
    const width = p.datatype.bytes;
    const upTo = Math.min(p.end, end - ((end - p.start) % width));
    if (upTo <= this.decoded) return;
    const bytes = file.subarray(this.decoded, upTo);
    this.decoded = upTo;
    this.onValues(decodePiece(bytes, p));
  }
}

/** Whole voxels of a frame as float32: a view where they already are float32 in host order (as NiftiImage.frame() gives them). */
function decodePiece(bytes: Uint8Array, p: FramePlan): Float32Array {
  if (p.datatype.code === 16 && !p.scale && !p.swap && bytes.byteOffset % 4 === 0)
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  if (!p.swap) return decodeFrame(p.datatype, bytes, p.scale);
  const swapped = bytes.slice();
  swapBytes(swapped, p.datatype.bytes);
  return decodeFrame(p.datatype, swapped, p.scale);
}
