import { headerAffine, type AffineSource } from './affine';
import { decodeAt, decodeFrame } from './data';
import { frameShape, scaling, type NiftiHeader } from './header';
import type { DatatypeInfo } from './datatypes';
import type { Intent } from './intent';
import type { AfniFrames } from './afni';

/** One 3D frame of a map, ready for analysis and display: plain data that crosses a worker boundary. */
export interface Volume {
  readonly name: string;
  /** [nx, ny, nz] */
  readonly dims: [number, number, number];
  /** Number of 3D frames in the file (the product of dims 4..7). */
  readonly frames: number;
  /** Which frame `data` holds, from 0. */
  readonly frame: number;
  /** Voxel sizes in mm, [dx, dy, dz]. */
  readonly pixdim: [number, number, number];
  /** Voxel -> mm, 4x4 row-major, float64 values. */
  readonly affine: number[];
  readonly affineSource: AffineSource;
  /** The xform code of the form the affine came from (4: MNI152), when read from a file. */
  readonly xformCode?: number;
  readonly datatype: DatatypeInfo;
  readonly intent: Intent;
  readonly description: string;
  /** Values after scl_slope/scl_inter, x fastest. */
  readonly data: Float32Array;
  /** Every frame's label (AFNI's BRICK_LABS), when the file names them. */
  readonly frameLabels?: readonly string[];
  /** What the reader noticed but could not use (a malformed AFNI extension). */
  readonly notes?: readonly string[];
}

/** A parsed file: header, affine and the raw data (host byte order); frames are decoded on demand. */
export class NiftiImage {
  readonly affine: Float64Array;
  readonly affineSource: AffineSource;
  readonly voxels: number;
  readonly frames: number;
  private readonly scale: { slope: number; inter: number } | undefined;

  constructor(
    readonly name: string,
    readonly header: NiftiHeader,
    private readonly data: Uint8Array,
    /** AFNI's per-frame labels and statistics (its header extension), when the file has them. */
    readonly afni: AfniFrames | null = null,
  ) {
    const a = headerAffine(header);
    this.affine = a.affine;
    this.affineSource = a.source;
    const s = frameShape(header);
    this.voxels = s.voxels;
    this.frames = s.frames;
    this.scale = scaling(header, name);
  }

  get dims(): [number, number, number] {
    return [this.header.dim[0]!, this.header.dim[1]!, this.header.dim[2]!];
  }

  /**
   * Frame k as float32, x fastest. A lone float32 frame with no scaling is a view, not a copy;
   * others are decoded into `into` where it has the frame's length (a buffer reused from map to map).
   */
  frame(k = 0, into?: Float32Array): Float32Array {
    const bytes = this.frameBytes(k);
    const dt = this.header.datatype;
    if (dt.code === 16 && !this.scale && this.frames === 1 && bytes.byteOffset % 4 === 0) {
      return new Float32Array(bytes.buffer, bytes.byteOffset, this.voxels);
    }
    return decodeFrame(dt, bytes, this.scale, into);
  }

  /** Frame k's values at the listed voxels alone (out[j] = voxel at[j]), as `frame` decodes them. */
  frameAt(k: number, at: Uint32Array, out: Float32Array): void {
    const bytes = this.frameBytes(k);
    for (let j = 0; j < at.length; j++)
      if (!(at[j]! < this.voxels)) throw new RangeError(`${this.name} has no voxel ${at[j]}`);
    decodeAt(this.header.datatype, bytes, this.scale, at, out);
  }

  private frameBytes(k: number): Uint8Array {
    if (!Number.isInteger(k) || k < 0 || k >= this.frames) {
      throw new RangeError(`${this.name} has ${this.frames} frame(s); frame ${k} does not exist.`);
    }
    const frameBytes = this.voxels * this.header.datatype.bytes;
    return this.data.subarray(k * frameBytes, (k + 1) * frameBytes);
  }

  /** Frame k's statistic: AFNI's for that frame (its header extension) where it names one, else the header's. */
  frameIntent(k = 0): Intent {
    return this.afni?.intents[k] ?? this.header.intent;
  }

  /** Every frame's label, when the file names them (AFNI's BRICK_LABS). */
  get frameLabels(): readonly string[] | null {
    return this.afni?.labels ?? null;
  }

  volume(k = 0, into?: Float32Array): Volume {
    const h = this.header;
    return {
      name: this.name,
      dims: this.dims,
      frames: this.frames,
      frame: k,
      pixdim: [h.pixdim[1]!, h.pixdim[2]!, h.pixdim[3]!],
      affine: Array.from(this.affine),
      affineSource: this.affineSource,
      xformCode: this.affineSource === 'sform' ? h.sformCode : this.affineSource === 'qform' ? h.qformCode : 0,
      datatype: h.datatype,
      intent: this.frameIntent(k),
      description: h.description,
      data: this.frame(k, into),
      ...(this.afni?.labels ? { frameLabels: this.afni.labels } : {}),
      ...(this.afni?.notes.length ? { notes: this.afni.notes } : {}),
    };
  }
}
