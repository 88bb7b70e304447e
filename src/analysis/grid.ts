import { invertAffine } from '../nifti/affine';

/** Where a map's voxels lie: its dimensions (x fastest) and its voxel -> mm affine. */
export interface Grid {
  readonly dims: readonly [number, number, number];
  /** 4x4 row-major voxel -> mm. */
  readonly affine: readonly number[];
}

/** A grid whose voxel sizes are known (mm, the header's pixdim[1..3]): for volumes and smoothness. */
export interface SizedGrid extends Grid {
  readonly pixdim: readonly number[];
}

/** What the analyses need of a map: its values on a grid (a SizedGrid when volumes matter). */
export type GridMap<G extends Grid = Grid> = G & { readonly data: Float32Array };

/** A map's grid, with its values when they are at hand (a map read slice by slice has none). */
export type TableGrid = SizedGrid & { readonly data: Float32Array | null };

/** Affines this close (mm) describe the same grid. */
const SAME_GRID_TOLERANCE_MM = 1e-4;

export function sameGrid(a: Grid, b: Grid): boolean {
  return (
    a.dims.every((d, i) => d === b.dims[i]) &&
    a.affine.every((v, i) => Math.abs(v - b.affine[i]!) <= SAME_GRID_TOLERANCE_MM)
  );
}

/** Target voxel -> source voxel: inv(A_source) * A_target, row-major 4x4. */
export function voxelToVoxel(source: readonly number[], target: readonly number[]): Float64Array {
  const inv = invertAffine(source);
  const out = new Float64Array(16);
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += inv[4 * r + k]! * target[4 * k + c]!;
      out[4 * r + c] = s;
    }
  return out;
}

export function describeGrid(g: Grid): string {
  const size = [0, 1, 2].map((c) => Math.hypot(g.affine[c]!, g.affine[4 + c]!, g.affine[8 + c]!));
  return `${g.dims.join('x')} at ${size.map((s) => +s.toFixed(3)).join('x')} mm`;
}

/** Flat index (x fastest) to voxel [i, j, k]. */
export function unflat(i: number, nx: number, ny: number): [number, number, number] {
  const x = i % nx;
  const rest = (i - x) / nx;
  const y = rest % ny;
  return [x, y, (rest - y) / ny];
}
