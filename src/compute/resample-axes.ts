import type { ResampleRequest } from './engine';

/**
 * A sample position this far (voxels) outside [0, n-1] still counts as inside and samples the edge
 * (the SPEC's signature convention). Positions are never snapped: a position 1e-6 voxel beside a grid
 * point takes that share of its neighbour, as CANlab's interp3 does in float64.
 */
export const RESAMPLE_EDGE_TOLERANCE = 1e-6;

/** Where a position falls along one source axis: lower corner index (-1 outside) and the two weights. */
export interface AxisSample {
  lower: number;
  w0: number;
  w1: number;
}

/** Fills `s` for position c on an axis of n voxels (float64 throughout). */
export function axisSample(c: number, n: number, s: AxisSample): void {
  if (!(c >= -RESAMPLE_EDGE_TOLERANCE && c <= n - 1 + RESAMPLE_EDGE_TOLERANCE)) {
    s.lower = -1;
    return;
  }
  if (n === 1) {
    s.lower = 0;
    s.w0 = 1;
    s.w1 = 0;
    return;
  }
  const lower = Math.min(Math.max(Math.floor(c), 0), n - 2);
  const f = Math.min(Math.max(c - lower, 0), 1);
  s.lower = lower;
  // Both weights from float64, so a share of 1e-9 stays non-zero even where 1 - f rounds in float32.
  s.w0 = 1 - f;
  s.w1 = f;
}

/**
 * Per-axis tables for a grid-aligned mapping (each source axis driven by one target axis, the other
 * coefficients exactly 0, flips and permutations allowed). The position m[a][t] * n + m[a][3] is the
 * same float64 number the general path computes, since adding exact zeros changes nothing.
 */
export interface AxisTables {
  /** The target axis (0, 1, 2) that drives each source axis. */
  readonly driver: readonly [number, number, number];
  /** Per source axis, one entry per target coordinate along its driver: lower (-1 outside), w0, w1. */
  readonly lower: readonly [Int32Array, Int32Array, Int32Array];
  readonly w0: readonly [Float64Array, Float64Array, Float64Array];
  readonly w1: readonly [Float64Array, Float64Array, Float64Array];
  /** Step from lower to upper corner, in flat source voxels (0 on a one-voxel axis). */
  readonly step: readonly [number, number, number];
  /** Flat source stride of each axis (1, nx, nx * ny). */
  readonly stride: readonly [number, number, number];
}

export function axisTables(req: ResampleRequest): AxisTables | null {
  const m = req.targetToSource;
  const driver: number[] = [];
  for (let a = 0; a < 3; a++) {
    const nonZero = [0, 1, 2].filter((t) => m[4 * a + t] !== 0);
    if (nonZero.length !== 1 || driver.includes(nonZero[0]!)) return null;
    driver.push(nonZero[0]!);
  }
  const strides = sourceStrides(req.sourceDims);
  const s: AxisSample = { lower: -1, w0: 0, w1: 0 };
  const lower: Int32Array[] = [];
  const w0: Float64Array[] = [];
  const w1: Float64Array[] = [];
  const step: number[] = [];
  for (let a = 0; a < 3; a++) {
    const t = driver[a]!;
    const n = req.targetDims[t]!;
    const lo = new Int32Array(n);
    const a0 = new Float64Array(n);
    const a1 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      axisSample(m[4 * a + t]! * i + m[4 * a + 3]!, req.sourceDims[a]!, s);
      lo[i] = s.lower;
      a0[i] = s.w0;
      a1[i] = s.w1;
    }
    step.push(req.sourceDims[a] === 1 ? 0 : strides[a]!);
    lower.push(lo);
    w0.push(a0);
    w1.push(a1);
  }
  const three = <T>(v: T[]): [T, T, T] => [v[0]!, v[1]!, v[2]!];
  return {
    driver: three(driver),
    lower: three(lower),
    w0: three(w0),
    w1: three(w1),
    step: three(step),
    stride: three(strides),
  };
}

export function sourceStrides(dims: readonly [number, number, number]): number[] {
  return [1, dims[0], dims[0] * dims[1]];
}
