/**
 * A uniform of the shared struct PermParams (shaders/lib/perm-labels.wgsl), 48 bytes. Written with
 * named fields so that the TypeScript side and the WGSL struct are checked against one list.
 */
export interface PermParams {
  voxels: number;
  rows: number;
  stride: number;
  backward: number;
  threshold: number;
  above: number;
  below: number;
  twoSided: boolean;
  rowStride: number;
  groups: number;
  weight: number;
  E: number;
}

export const PERM_PARAMS_BYTES = 48;

export function writePermParams(target: ArrayBuffer, offset: number, p: PermParams): void {
  const u = new Uint32Array(target, offset, PERM_PARAMS_BYTES / 4);
  const f = new Float32Array(target, offset, PERM_PARAMS_BYTES / 4);
  u.set([p.voxels, p.rows, p.stride, p.backward]);
  f.set([p.threshold, p.above, p.below], 4);
  u.set([p.twoSided ? 1 : 0, p.rowStride, p.groups], 7);
  f.set([p.weight, p.E], 10);
}

/** Stands for "no level": above every t (the largest finite float32). */
export const NO_LEVEL = 3.4028234e38;
