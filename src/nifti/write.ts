import { det3 } from './affine';
import type { Volume } from './image';

/** NIfTI-1 single file: 348-byte header, 4-byte extension flag, then data. */
const VOX_OFFSET = 352;
/** xform code 2: "aligned to something" (we keep whatever space the map came in). */
const XFORM_ALIGNED = 2;
/** How far from orthogonal the 3x3 part may be and still have an exact quaternion form. */
const ORTHOGONAL_TOLERANCE = 1e-4;

export interface WriteOptions {
  readonly description?: string;
  /**
   * Store as int16 with this scl_slope (value = stored * slope) instead of float32: a quarter of the
   * bytes for maps that need no more than 16 bits (the generated sample data).
   */
  readonly int16Slope?: number;
  /** Override the intent (e.g. 1002 for a label map). */
  readonly intentCode?: number;
  readonly intentName?: string;
}

/** A Volume as NIfTI-1 float32 .nii bytes: sform = the affine, qform too when the affine is rigid + scale. */
export function writeNifti1(vol: Volume, opts: WriteOptions = {}): Uint8Array<ArrayBuffer> {
  const [nx, ny, nz] = vol.dims;
  const n = nx * ny * nz;
  const slope = opts.int16Slope;
  const out = new Uint8Array(VOX_OFFSET + n * (slope ? 2 : 4));
  const dv = new DataView(out.buffer);
  dv.setInt32(0, 348, true);
  const dims = [3, nx, ny, nz, 1, 1, 1, 1];
  dims.forEach((d, i) => dv.setInt16(40 + 2 * i, d, true));
  const intentCode = opts.intentCode ?? vol.intent.code;
  const keepParams = intentCode === vol.intent.code;
  dv.setFloat32(56, keepParams ? vol.intent.p1 : 0, true);
  dv.setFloat32(60, keepParams ? vol.intent.p2 : 0, true);
  dv.setFloat32(64, keepParams ? vol.intent.p3 : 0, true);
  dv.setInt16(68, intentCode, true);
  dv.setInt16(70, slope ? 4 : 16, true);
  dv.setInt16(72, slope ? 16 : 32, true);
  const a = vol.affine;
  const zooms = [0, 1, 2].map((c) => Math.hypot(a[c]!, a[4 + c]!, a[8 + c]!));
  const q = quaternion(a, zooms);
  [q?.qfac ?? 1, zooms[0]!, zooms[1]!, zooms[2]!, 1, 1, 1, 1].forEach((p, i) => dv.setFloat32(76 + 4 * i, p, true));
  dv.setFloat32(108, VOX_OFFSET, true);
  dv.setFloat32(112, slope ?? 1, true);
  dv.setFloat32(116, 0, true);
  out[123] = 2 | 8; // mm and seconds
  writeString(out, 148, 80, opts.description ?? vol.description);
  if (q) {
    dv.setInt16(252, XFORM_ALIGNED, true);
    [q.b, q.c, q.d, a[3]!, a[7]!, a[11]!].forEach((v, i) => dv.setFloat32(256 + 4 * i, v, true));
  }
  dv.setInt16(254, XFORM_ALIGNED, true);
  for (let i = 0; i < 12; i++) dv.setFloat32(280 + 4 * i, a[i]!, true);
  writeString(out, 328, 16, opts.intentName ?? (keepParams ? vol.intent.name : ''));
  writeString(out, 344, 4, 'n+1');
  if (slope) {
    const q = new Int16Array(out.buffer, VOX_OFFSET, n);
    for (let i = 0; i < n; i++) {
      const v = vol.data[i]!;
      q[i] = Number.isFinite(v) ? Math.max(-32768, Math.min(32767, Math.round(v / slope))) : 0;
    }
  } else {
    new Float32Array(out.buffer, VOX_OFFSET, n).set(vol.data);
  }
  return out;
}

function writeString(out: Uint8Array, off: number, len: number, s: string): void {
  for (let i = 0; i < Math.min(len - 1, s.length); i++) out[off + i] = s.charCodeAt(i) & 0x7f;
}

/** nifti_mat44_to_quatern for an orthogonal 3x3 part; undefined when there is shear. */
function quaternion(
  a: readonly number[],
  zooms: number[],
): { b: number; c: number; d: number; qfac: number } | undefined {
  if (zooms.some((z) => z === 0)) return undefined;
  const r = [0, 1, 2].map((row) => [0, 1, 2].map((c) => a[4 * row + c]! / zooms[c]!));
  for (let i = 0; i < 3; i++) {
    for (let j = i + 1; j < 3; j++) {
      const dot = r[0]![i]! * r[0]![j]! + r[1]![i]! * r[1]![j]! + r[2]![i]! * r[2]![j]!;
      if (Math.abs(dot) > ORTHOGONAL_TOLERANCE) return undefined;
    }
  }
  const qfac = det3(a) > 0 ? 1 : -1;
  if (qfac < 0) for (let row = 0; row < 3; row++) r[row]![2] = -r[row]![2]!;
  const [r11, r12, r13] = r[0] as [number, number, number];
  const [r21, r22, r23] = r[1] as [number, number, number];
  const [r31, r32, r33] = r[2] as [number, number, number];
  let qa = r11 + r22 + r33 + 1;
  let b: number, c: number, d: number;
  if (qa > 0.5) {
    qa = 0.5 * Math.sqrt(qa);
    b = (0.25 * (r32 - r23)) / qa;
    c = (0.25 * (r13 - r31)) / qa;
    d = (0.25 * (r21 - r12)) / qa;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      qa = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      qa = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      qa = (0.25 * (r21 - r12)) / d;
    }
    if (qa < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac };
}
