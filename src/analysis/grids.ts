import { invertAffine } from '../nifti/affine';

/** What the analyses need of a map: its values on a grid with a voxel -> mm affine. */
export interface GridMap {
  readonly data: Float32Array;
  readonly dims: readonly [number, number, number];
  /** 4x4 row-major voxel -> mm. */
  readonly affine: readonly number[];
}

/** Affines this close (mm) describe the same grid. */
const SAME_GRID_TOLERANCE_MM = 1e-4;

export function sameGrid(a: Omit<GridMap, 'data'>, b: Omit<GridMap, 'data'>): boolean {
  return a.dims.every((d, i) => d === b.dims[i]) && a.affine.every((v, i) => Math.abs(v - b.affine[i]!) <= SAME_GRID_TOLERANCE_MM);
}

/** Target voxel -> source voxel: inv(A_source) * A_target, row-major 4x4. */
export function voxelToVoxel(source: readonly number[], target: readonly number[]): Float64Array {
  const inv = invertAffine(source);
  const out = new Float64Array(16);
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) {
    let s = 0;
    for (let k = 0; k < 4; k++) s += inv[4 * r + k]! * target[4 * k + c]!;
    out[4 * r + c] = s;
  }
  return out;
}

export function describeGrid(g: Omit<GridMap, 'data'>): string {
  const size = [0, 1, 2].map((c) => Math.hypot(g.affine[c]!, g.affine[4 + c]!, g.affine[8 + c]!));
  return `${g.dims.join('x')} at ${size.map((s) => +s.toFixed(3)).join('x')} mm`;
}
