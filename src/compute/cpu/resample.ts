import type { ResampleRequest } from '../engine';
import { axisSample, axisTables, sourceStrides, type AxisSample, type AxisTables } from '../resample-axes';

/** What a non-finite source voxel contributes: 0 (signature weights, as CANlab loads them) or NaN. */
export type NonFinite = 'zero' | 'propagate';

/**
 * Trilinear resampling of a source map onto a target grid in float64, positions never snapped (the
 * SPEC's signature convention); outside the source grid is `outside` (0). Grid-aligned mappings read
 * per-axis tables (the same ones the GPU uses); oblique ones compute each position.
 */
export function resampleTrilinear(req: ResampleRequest, nonFinite: NonFinite = 'zero', outside = 0): Float32Array {
  const [tx, ty, tz] = req.targetDims;
  const out = new Float32Array(tx * ty * tz);
  if (outside !== 0) out.fill(outside);
  const src = nonFinite === 'zero' ? finiteOrZero(req.source) : req.source;
  const tables = axisTables(req);
  if (tables) resampleAligned(req, tables, src, out);
  else resampleOblique(req, src, out);
  return out;
}

function finiteOrZero(src: Float32Array): Float32Array {
  for (let i = 0; i < src.length; i++) {
    if (src[i]! - src[i]! !== 0) return src.map((v) => (v - v === 0 ? v : 0));
  }
  return src;
}

function resampleAligned(req: ResampleRequest, t: AxisTables, src: Float32Array, out: Float32Array): void {
  const [tx, ty, tz] = req.targetDims;
  const coord = new Int32Array(3);
  const [ax, ay, az] = t.driver;
  const [lx, ly, lz] = t.lower;
  const [sx, sy, sz] = t.stride;
  const [dx, dy, dz] = t.step;
  for (let k = 0, o = 0; k < tz; k++) {
    coord[2] = k;
    for (let j = 0; j < ty; j++) {
      coord[1] = j;
      for (let i = 0; i < tx; i++, o++) {
        coord[0] = i;
        const qx = coord[ax]!;
        const qy = coord[ay]!;
        const qz = coord[az]!;
        const x0 = lx[qx]!;
        const y0 = ly[qy]!;
        const z0 = lz[qz]!;
        if (x0 < 0 || y0 < 0 || z0 < 0) continue;
        const b = x0 * sx + y0 * sy + z0 * sz;
        out[o] = trilinear(
          src,
          b,
          dx,
          dy,
          dz,
          t.w0[0][qx]!,
          t.w1[0][qx]!,
          t.w0[1][qy]!,
          t.w1[1][qy]!,
          t.w0[2][qz]!,
          t.w1[2][qz]!,
        );
      }
    }
  }
}

function resampleOblique(req: ResampleRequest, src: Float32Array, out: Float32Array): void {
  const [tx, ty, tz] = req.targetDims;
  const [nx, ny, nz] = req.sourceDims;
  const m = req.targetToSource;
  const [sx, sy, sz] = sourceStrides(req.sourceDims);
  const dx = nx === 1 ? 0 : sx!;
  const dy = ny === 1 ? 0 : sy!;
  const dz = nz === 1 ? 0 : sz!;
  const px: AxisSample = { lower: -1, w0: 0, w1: 0 };
  const py: AxisSample = { lower: -1, w0: 0, w1: 0 };
  const pz: AxisSample = { lower: -1, w0: 0, w1: 0 };
  for (let k = 0, o = 0; k < tz; k++) {
    for (let j = 0; j < ty; j++) {
      for (let i = 0; i < tx; i++, o++) {
        axisSample(m[0]! * i + m[1]! * j + m[2]! * k + m[3]!, nx, px);
        axisSample(m[4]! * i + m[5]! * j + m[6]! * k + m[7]!, ny, py);
        axisSample(m[8]! * i + m[9]! * j + m[10]! * k + m[11]!, nz, pz);
        if (px.lower < 0 || py.lower < 0 || pz.lower < 0) continue;
        const b = px.lower * sx! + py.lower * sy! + pz.lower * sz!;
        out[o] = trilinear(src, b, dx, dy, dz, px.w0, px.w1, py.w0, py.w1, pz.w0, pz.w1);
      }
    }
  }
}

function trilinear(
  v: Float32Array,
  b: number,
  dx: number,
  dy: number,
  dz: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  z0: number,
  z1: number,
): number {
  const c00 = v[b]! * x0 + v[b + dx]! * x1;
  const c10 = v[b + dy]! * x0 + v[b + dy + dx]! * x1;
  const c01 = v[b + dz]! * x0 + v[b + dz + dx]! * x1;
  const c11 = v[b + dz + dy]! * x0 + v[b + dz + dy + dx]! * x1;
  return (c00 * y0 + c10 * y1) * z0 + (c01 * y0 + c11 * y1) * z1;
}
