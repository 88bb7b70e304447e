import { NiftiError } from './errors';
import { scalarDatatype, describeDatatype, type DatatypeInfo } from './datatypes';
import { readIntent, type Intent } from './intent';
import { MAX_AXIS_LENGTH } from './limits';

export const NIFTI1_HEADER_BYTES = 348;
export const NIFTI2_HEADER_BYTES = 540;

/** The header fields we use, the same for NIfTI-1 and NIfTI-2 (NIfTI-2 values are float64/int64). */
export interface NiftiHeader {
  readonly version: 1 | 2;
  readonly littleEndian: boolean;
  /** True for a header whose data lives in a separate .img file (magic ni1/ni2). */
  readonly pair: boolean;
  /** dim[1..7], each >= 1 (unused trailing dims are 1). */
  readonly dim: readonly number[];
  readonly datatype: DatatypeInfo;
  readonly bitpix: number;
  /** pixdim[0..7]; pixdim[0] is qfac. */
  readonly pixdim: readonly number[];
  readonly voxOffset: number;
  readonly sclSlope: number;
  readonly sclInter: number;
  readonly intent: Intent;
  readonly description: string;
  readonly qformCode: number;
  readonly sformCode: number;
  /** quatern_b, quatern_c, quatern_d, qoffset_x, qoffset_y, qoffset_z */
  readonly quatern: readonly number[];
  /** srow_x, srow_y, srow_z, 12 values row by row. */
  readonly srow: readonly number[];
  readonly xyztUnits: number;
}

/** How many bytes must be at hand to parse the header whose first 4 bytes are given. */
export function headerSize(start: Uint8Array, file: string): number {
  if (start.byteLength === 0) throw new NiftiError('TRUNCATED', file, 'the file is empty (0 bytes).');
  if (start.byteLength < 4) throw new NiftiError('TRUNCATED', file, 'the file is shorter than a NIfTI header.');
  const dv = new DataView(start.buffer, start.byteOffset, 4);
  for (const le of [true, false]) {
    const n = dv.getInt32(0, le);
    if (n === NIFTI1_HEADER_BYTES || n === NIFTI2_HEADER_BYTES) return n;
  }
  throw new NiftiError('BAD_MAGIC', file, 'not a NIfTI file (the header size field is neither 348 nor 540).');
}

function cString(bytes: Uint8Array, off: number, len: number): string {
  let end = off;
  while (end < off + len && bytes[end] !== 0) end++;
  let s = '';
  for (let i = off; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function readMagic(bytes: Uint8Array, off: number): string {
  return cString(bytes, off, 4);
}

/** Parses a NIfTI-1 or NIfTI-2 header; refuses anything a correct reader must refuse. */
export function parseHeader(bytes: Uint8Array, file: string): NiftiHeader {
  const size = headerSize(bytes, file);
  if (bytes.byteLength === 0) throw new NiftiError('TRUNCATED', file, 'the file is empty (0 bytes).');
  if (bytes.byteLength < size) throw new NiftiError('TRUNCATED', file, `the file ends inside its ${size}-byte header.`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, size);
  const le = dv.getInt32(0, true) === size;
  return size === NIFTI1_HEADER_BYTES ? parseV1(bytes, dv, le, file) : parseV2(bytes, dv, le, file);
}

function parseV1(bytes: Uint8Array, dv: DataView, le: boolean, file: string): NiftiHeader {
  const magic = readMagic(bytes, 344);
  if (magic !== 'n+1' && magic !== 'ni1') {
    throw new NiftiError('BAD_MAGIC', file, `bad NIfTI-1 magic "${printable(magic)}" (expected "n+1" or "ni1").`);
  }
  const rawDim = Array.from({ length: 8 }, (_, i) => dv.getInt16(40 + 2 * i, le));
  const pixdim = Array.from({ length: 8 }, (_, i) => dv.getFloat32(76 + 4 * i, le));
  const f32 = (o: number): number => dv.getFloat32(o, le);
  return finish(file, {
    version: 1,
    littleEndian: le,
    pair: magic === 'ni1',
    rawDim,
    datatypeCode: dv.getInt16(70, le),
    bitpix: dv.getInt16(72, le),
    pixdim,
    voxOffset: f32(108),
    sclSlope: f32(112),
    sclInter: f32(116),
    intent: readIntent(
      { code: dv.getInt16(68, le), name: cString(bytes, 328, 16), p1: f32(56), p2: f32(60), p3: f32(64) },
      cString(bytes, 148, 80),
    ),
    description: cString(bytes, 148, 80),
    qformCode: dv.getInt16(252, le),
    sformCode: dv.getInt16(254, le),
    quatern: [256, 260, 264, 268, 272, 276].map(f32),
    srow: Array.from({ length: 12 }, (_, i) => f32(280 + 4 * i)),
    xyztUnits: bytes[123]!,
  });
}

function parseV2(bytes: Uint8Array, dv: DataView, le: boolean, file: string): NiftiHeader {
  const magic = readMagic(bytes, 4);
  if (magic !== 'n+2' && magic !== 'ni2') {
    throw new NiftiError('BAD_MAGIC', file, `bad NIfTI-2 magic "${printable(magic)}" (expected "n+2" or "ni2").`);
  }
  const i64 = (o: number): number => Number(dv.getBigInt64(o, le));
  const f64 = (o: number): number => dv.getFloat64(o, le);
  const code = dv.getInt32(504, le);
  return finish(file, {
    version: 2,
    littleEndian: le,
    pair: magic === 'ni2',
    rawDim: Array.from({ length: 8 }, (_, i) => i64(16 + 8 * i)),
    datatypeCode: dv.getInt16(12, le),
    bitpix: dv.getInt16(14, le),
    pixdim: Array.from({ length: 8 }, (_, i) => f64(104 + 8 * i)),
    voxOffset: i64(168),
    sclSlope: f64(176),
    sclInter: f64(184),
    intent: readIntent(
      { code, name: cString(bytes, 508, 16), p1: f64(80), p2: f64(88), p3: f64(96) },
      cString(bytes, 240, 80),
    ),
    description: cString(bytes, 240, 80),
    qformCode: dv.getInt32(344, le),
    sformCode: dv.getInt32(348, le),
    quatern: [352, 360, 368, 376, 384, 392].map(f64),
    srow: Array.from({ length: 12 }, (_, i) => f64(400 + 8 * i)),
    xyztUnits: dv.getInt32(500, le),
  });
}

interface RawFields extends Omit<NiftiHeader, 'dim' | 'datatype'> {
  readonly rawDim: readonly number[];
  readonly datatypeCode: number;
}

function finish(file: string, raw: RawFields): NiftiHeader {
  const { rawDim, datatypeCode, ...rest } = raw;
  const ndim = rawDim[0]!;
  if (!Number.isInteger(ndim) || ndim < 1 || ndim > 7) {
    throw new NiftiError('BAD_DIMS', file, `dim[0] is ${ndim}; a NIfTI image has 1 to 7 dimensions.`);
  }
  const dim: number[] = [];
  for (let i = 1; i <= 7; i++) {
    const n = i <= ndim ? rawDim[i]! : 1;
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new NiftiError('BAD_DIMS', file, `dim[${i}] is ${n}; every used dimension must be at least 1.`);
    }
    if (n > MAX_AXIS_LENGTH) {
      throw new NiftiError('TOO_LARGE', file, `dim[${i}] is ${n} voxels, beyond any scanner's grid.`);
    }
    dim.push(n);
  }
  const datatype = scalarDatatype(datatypeCode);
  if (!datatype) {
    throw new NiftiError(
      'UNSUPPORTED_DATATYPE',
      file,
      `datatype ${datatypeCode} (${describeDatatype(datatypeCode)}) is not a scalar map SigLens can show.`,
    );
  }
  if (!Number.isFinite(rest.voxOffset) || rest.voxOffset < 0) {
    throw new NiftiError('BAD_HEADER', file, `vox_offset ${rest.voxOffset} is not a valid byte offset.`);
  }
  for (let i = 1; i <= 3; i++) {
    const p = rest.pixdim[i]!;
    if (!Number.isFinite(p))
      throw new NiftiError('BAD_HEADER', file, `pixdim[${i}] is ${p}; voxel sizes must be finite.`);
  }
  return { ...rest, dim, datatype, voxOffset: Math.floor(rest.voxOffset) };
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}

/** Voxels in one 3D frame, and the number of frames (the product of dims 4..7). */
export function frameShape(h: NiftiHeader): { voxels: number; frames: number } {
  const [nx, ny, nz, ...rest] = h.dim as [number, number, number, ...number[]];
  return { voxels: nx * ny * nz, frames: rest.reduce((a, b) => a * b, 1) };
}

/** Scaling to apply: nibabel's rule, slope 0 or non-finite means none. */
export function scaling(h: NiftiHeader, file: string): { slope: number; inter: number } | undefined {
  if (h.sclSlope === 0 || !Number.isFinite(h.sclSlope)) return undefined;
  if (!Number.isFinite(h.sclInter)) {
    throw new NiftiError('BAD_HEADER', file, `scl_slope is ${h.sclSlope} but scl_inter is ${h.sclInter}.`);
  }
  if (h.sclSlope === 1 && h.sclInter === 0) return undefined;
  return { slope: h.sclSlope, inter: h.sclInter };
}
