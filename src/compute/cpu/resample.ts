import { RESAMPLE_EDGE_EPS, type ResampleRequest } from '../engine';

/** What a non-finite source voxel contributes: 0 (signature weights, as CANlab loads them) or NaN. */
export type NonFinite = 'zero' | 'propagate';

/** Index of the lower corner and the fraction towards the upper one, or -1 when c is outside [0, n-1]. */
function corner(c: number, n: number): number {
  if (c < -RESAMPLE_EDGE_EPS || c > n - 1 + RESAMPLE_EDGE_EPS) return -1;
  return n === 1 ? 0 : Math.min(Math.max(Math.floor(c), 0), n - 2);
}

function snap(c: number): number {
  const r = Math.round(c);
  return Math.abs(c - r) <= RESAMPLE_EDGE_EPS ? r : c;
}

/** Trilinear resampling of a source map onto a target grid; outside the source grid is `outside` (0). */
export function resampleTrilinear(req: ResampleRequest, nonFinite: NonFinite = 'zero', outside = 0): Float32Array {
  const [sx, sy, sz] = req.sourceDims;
  const [tx, ty, tz] = req.targetDims;
  const m = req.targetToSource;
  const src = req.source;
  const out = new Float32Array(tx * ty * tz);
  if (outside !== 0) out.fill(outside);
  const sxy = sx * sy;
  const val = (i: number): number => {
    const v = src[i]!;
    return nonFinite === 'zero' && !Number.isFinite(v) ? 0 : v;
  };
  for (let k = 0, o = 0; k < tz; k++) {
    for (let j = 0; j < ty; j++) {
      for (let i = 0; i < tx; i++, o++) {
        const cx = snap(m[0]! * i + m[1]! * j + m[2]! * k + m[3]!);
        const cy = snap(m[4]! * i + m[5]! * j + m[6]! * k + m[7]!);
        const cz = snap(m[8]! * i + m[9]! * j + m[10]! * k + m[11]!);
        const x0 = corner(cx, sx);
        const y0 = corner(cy, sy);
        const z0 = corner(cz, sz);
        if (x0 < 0 || y0 < 0 || z0 < 0) continue;
        const fx = sx === 1 ? 0 : Math.min(Math.max(cx - x0, 0), 1);
        const fy = sy === 1 ? 0 : Math.min(Math.max(cy - y0, 0), 1);
        const fz = sz === 1 ? 0 : Math.min(Math.max(cz - z0, 0), 1);
        const dx = sx === 1 ? 0 : 1;
        const dy = sy === 1 ? 0 : sx;
        const dz = sz === 1 ? 0 : sxy;
        const b = x0 + y0 * sx + z0 * sxy;
        const c00 = val(b) * (1 - fx) + val(b + dx) * fx;
        const c10 = val(b + dy) * (1 - fx) + val(b + dy + dx) * fx;
        const c01 = val(b + dz) * (1 - fx) + val(b + dz + dx) * fx;
        const c11 = val(b + dz + dy) * (1 - fx) + val(b + dz + dy + dx) * fx;
        out[o] = (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
      }
    }
  }
  return out;
}
