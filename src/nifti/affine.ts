import type { NiftiHeader } from './header';

/** A 4x4 voxel-to-mm matrix, row-major, float64. */
export type Affine = Float64Array;

/** Which header field the affine came from. */
export type AffineSource = 'sform' | 'qform' | 'pixdim';

/** The SPEC's rule: sform if sform_code > 0, else qform if qform_code > 0, else diag(pixdim) with no offset. */
export function headerAffine(h: NiftiHeader): { affine: Affine; source: AffineSource } {
  if (h.sformCode > 0) return { affine: sformAffine(h), source: 'sform' };
  if (h.qformCode > 0) return { affine: qformAffine(h), source: 'qform' };
  const [, dx, dy, dz] = h.pixdim as [number, number, number, number];
  return { affine: fromRows([dx, 0, 0, 0], [0, dy, 0, 0], [0, 0, dz, 0]), source: 'pixdim' };
}

function sformAffine(h: NiftiHeader): Affine {
  const s = h.srow;
  return fromRows(s.slice(0, 4), s.slice(4, 8), s.slice(8, 12));
}

/** The quaternion form as nibabel computes it (nifti1.h, method 2): R * diag(dx, dy, qfac*dz) + offset. */
function qformAffine(h: NiftiHeader): Affine {
  const [b, c, d, qx, qy, qz] = h.quatern as [number, number, number, number, number, number];
  const w2 = 1 - (b * b + c * c + d * d);
  // A slightly negative w2 is float32 rounding of a 180-degree rotation: w = 0, as nibabel does.
  const a = w2 > 0 ? Math.sqrt(w2) : 0;
  const n = a * a + b * b + c * c + d * d;
  const s = n > 0 ? 2 / n : 0;
  const R = [
    [1 - s * (c * c + d * d), s * (b * c - a * d), s * (b * d + a * c)],
    [s * (b * c + a * d), 1 - s * (b * b + d * d), s * (c * d - a * b)],
    [s * (b * d - a * c), s * (c * d + a * b), 1 - s * (b * b + c * c)],
  ] as const;
  const qfac = h.pixdim[0]! < 0 ? -1 : 1;
  const vox = [Math.abs(h.pixdim[1]!), Math.abs(h.pixdim[2]!), Math.abs(h.pixdim[3]!) * qfac];
  const row = (i: 0 | 1 | 2, off: number): number[] => [R[i][0] * vox[0]!, R[i][1] * vox[1]!, R[i][2] * vox[2]!, off];
  return fromRows(row(0, qx), row(1, qy), row(2, qz));
}

export function fromRows(r0: readonly number[], r1: readonly number[], r2: readonly number[]): Affine {
  return Float64Array.from([...r0, ...r1, ...r2, 0, 0, 0, 1]);
}

/** The affine as four rows, the JSON shape of the command line. */
export function affineRows(a: ArrayLike<number>): number[][] {
  return [0, 1, 2, 3].map((r) => [a[4 * r]!, a[4 * r + 1]!, a[4 * r + 2]!, a[4 * r + 3]!]);
}

/** Voxel (i, j, k) to mm. */
export function voxelToMm(a: ArrayLike<number>, i: number, j: number, k: number): [number, number, number] {
  return [
    a[0]! * i + a[1]! * j + a[2]! * k + a[3]!,
    a[4]! * i + a[5]! * j + a[6]! * k + a[7]!,
    a[8]! * i + a[9]! * j + a[10]! * k + a[11]!,
  ];
}

/** Inverse of a 4x4 affine (rigid + scale + shear); the last row stays 0 0 0 1. */
export function invertAffine(a: ArrayLike<number>): Affine {
  const m = [a[0]!, a[1]!, a[2]!, a[4]!, a[5]!, a[6]!, a[8]!, a[9]!, a[10]!];
  const det = det3(a);
  if (det === 0 || !Number.isFinite(det)) throw new Error('The affine is singular and cannot be inverted.');
  const inv = [
    (m[4]! * m[8]! - m[5]! * m[7]!) / det,
    (m[2]! * m[7]! - m[1]! * m[8]!) / det,
    (m[1]! * m[5]! - m[2]! * m[4]!) / det,
    (m[5]! * m[6]! - m[3]! * m[8]!) / det,
    (m[0]! * m[8]! - m[2]! * m[6]!) / det,
    (m[2]! * m[3]! - m[0]! * m[5]!) / det,
    (m[3]! * m[7]! - m[4]! * m[6]!) / det,
    (m[1]! * m[6]! - m[0]! * m[7]!) / det,
    (m[0]! * m[4]! - m[1]! * m[3]!) / det,
  ];
  const t = [a[3]!, a[7]!, a[11]!];
  const off = [0, 1, 2].map((r) => -(inv[3 * r]! * t[0]! + inv[3 * r + 1]! * t[1]! + inv[3 * r + 2]! * t[2]!));
  return fromRows(
    [inv[0]!, inv[1]!, inv[2]!, off[0]!],
    [inv[3]!, inv[4]!, inv[5]!, off[1]!],
    [inv[6]!, inv[7]!, inv[8]!, off[2]!],
  );
}

/** Determinant of the 3x3 part: the signed volume of one voxel in mm^3. */
export function det3(a: ArrayLike<number>): number {
  return (
    a[0]! * (a[5]! * a[10]! - a[6]! * a[9]!) -
    a[1]! * (a[4]! * a[10]! - a[6]! * a[8]!) +
    a[2]! * (a[4]! * a[9]! - a[5]! * a[8]!)
  );
}
