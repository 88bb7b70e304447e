import { invertAffine } from '../nifti/affine';
import type { Grid, GridMap } from './grid';
import { sphereVoxels, type Sphere } from './roi';

/** The voxel nearest to a point in mm, or null outside the grid. */
export function voxelAtMm(grid: Grid, mm: readonly [number, number, number]): [number, number, number] | null {
  const inv = invertAffine(grid.affine);
  const v = [0, 1, 2].map((r) =>
    Math.round(inv[4 * r]! * mm[0] + inv[4 * r + 1]! * mm[1] + inv[4 * r + 2]! * mm[2] + inv[4 * r + 3]!),
  );
  return v.every((c, a) => c >= 0 && c < grid.dims[a]!) ? [v[0]!, v[1]!, v[2]!] : null;
}

/** The map's value at the voxel nearest to a point, or null outside its grid. */
export function valueAtMm(
  map: GridMap,
  mm: readonly [number, number, number],
): { voxel: [number, number, number]; value: number } | null {
  const v = voxelAtMm(map, mm);
  if (!v) return null;
  const [nx, ny] = map.dims;
  return { voxel: v, value: map.data[v[0] + nx * (v[1] + ny * v[2])]! };
}

/** 1 inside any of the spheres, 0 elsewhere: the ROI markers drawn over a map (a byte a voxel). */
export function sphereMask(grid: Grid, spheres: readonly Sphere[]): Uint8Array {
  const out = new Uint8Array(grid.dims[0] * grid.dims[1] * grid.dims[2]);
  for (const s of spheres) for (const i of sphereVoxels(grid, s)) out[i] = 1;
  return out;
}
