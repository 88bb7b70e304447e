import type { DatatypeInfo } from './datatypes';

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses each `width`-byte word in place: big-endian data becomes host (little-endian) order. */
export function swapBytes(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  const n = bytes.length - (bytes.length % width);
  for (let i = 0; i < n; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

export function needsSwap(fileLittleEndian: boolean): boolean {
  return fileLittleEndian !== HOST_LITTLE_ENDIAN;
}

type NumericView =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

function aligned(bytes: Uint8Array, width: number): Uint8Array {
  return bytes.byteOffset % width === 0 ? bytes : bytes.slice();
}

function view(dt: DatatypeInfo, bytes: Uint8Array): NumericView {
  const b = aligned(bytes, dt.bytes);
  const n = b.byteLength / dt.bytes;
  switch (dt.code) {
    case 2:
      return new Uint8Array(b.buffer, b.byteOffset, n);
    case 256:
      return new Int8Array(b.buffer, b.byteOffset, n);
    case 4:
      return new Int16Array(b.buffer, b.byteOffset, n);
    case 512:
      return new Uint16Array(b.buffer, b.byteOffset, n);
    case 8:
      return new Int32Array(b.buffer, b.byteOffset, n);
    case 768:
      return new Uint32Array(b.buffer, b.byteOffset, n);
    case 16:
      return new Float32Array(b.buffer, b.byteOffset, n);
    case 64:
      return new Float64Array(b.buffer, b.byteOffset, n);
    default:
      throw new Error(`no typed view for datatype ${dt.name}`);
  }
}

/** 64-bit integers as doubles from their two 32-bit halves (exact up to 2^53, as numpy's float64 cast). */
function decode64(bytes: Uint8Array, signed: boolean, out: Float32Array, slope: number, inter: number): void {
  const b = aligned(bytes, 4);
  const lo = new Uint32Array(b.buffer, b.byteOffset, out.length * 2);
  const hi = signed ? new Int32Array(b.buffer, b.byteOffset, out.length * 2) : lo;
  for (let i = 0; i < out.length; i++) out[i] = (hi[2 * i + 1]! * 4294967296 + lo[2 * i]!) * slope + inter;
}

/**
 * One frame's bytes (host byte order) as float32 values after scl_slope/scl_inter, x fastest.
 * The arithmetic is float64 and rounds once to float32, as nibabel's get_fdata() then astype(float32).
 */
export function decodeFrame(
  dt: DatatypeInfo,
  bytes: Uint8Array,
  scale?: { slope: number; inter: number },
  into?: Float32Array,
): Float32Array {
  const count = bytes.byteLength / dt.bytes;
  // A slice reader decodes every slice into the same array.
  const out = into && into.length === count ? into : new Float32Array(count);
  const slope = scale?.slope ?? 1;
  const inter = scale?.inter ?? 0;
  if (dt.code === 1024 || dt.code === 1280) {
    decode64(bytes, dt.code === 1024, out, slope, inter);
    return out;
  }
  const src = view(dt, bytes);
  if (!scale) {
    out.set(src);
    return out;
  }
  for (let i = 0; i < count; i++) out[i] = src[i]! * slope + inter;
  return out;
}

/**
 * decodeFrame's values at the listed voxels alone, out[k] = voxel at[k], in the same arithmetic: a
 * study's later maps are wanted only where its first maps are valid (a fifth of a 2 mm grid).
 */
export function decodeAt(
  dt: DatatypeInfo,
  bytes: Uint8Array,
  scale: { slope: number; inter: number } | undefined,
  at: Uint32Array,
  out: Float32Array,
): void {
  if (out.length !== at.length) throw new RangeError(`${at.length} voxels into ${out.length} places`);
  if (dt.code === 1024 || dt.code === 1280) {
    const all = decodeFrame(dt, bytes, scale);
    for (let k = 0; k < at.length; k++) out[k] = all[at[k]!]!;
    return;
  }
  const src = view(dt, bytes);
  if (!scale) {
    for (let k = 0; k < at.length; k++) out[k] = src[at[k]!]!;
    return;
  }
  const { slope, inter } = scale;
  for (let k = 0; k < at.length; k++) out[k] = src[at[k]!]! * slope + inter;
}
