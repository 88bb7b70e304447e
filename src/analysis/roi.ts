import { invertAffine, voxelToMm } from '../nifti/affine';
import { BERRY_ROI_RADIUS_MM } from './constants';
import type { Grid, GridMap } from './grid';

export interface Sphere {
  readonly name: string;
  /** Centre in MNI mm. */
  readonly center: readonly [number, number, number];
  readonly radiusMm: number;
}

export interface RoiResult {
  readonly name: string;
  readonly center: [number, number, number];
  readonly radiusMm: number;
  /** Voxels whose centre is in the sphere and whose value is finite (those averaged). */
  readonly voxels: number;
  /** Voxels whose centre is in the sphere, whatever their value. */
  readonly voxelsInSphere: number;
  readonly mean: number | null;
}

/** The peaks of Berry et al. 2021 (Pain Medicine), 4 mm diameter spheres. */
export const BERRY_2021_SPHERES: readonly Sphere[] = [
  { name: 'right TPJ', center: [56, -44, 30], radiusMm: BERRY_ROI_RADIUS_MM },
  { name: 'right dlPFC', center: [46, 8, 36], radiusMm: BERRY_ROI_RADIUS_MM },
  { name: 'right vPCC', center: [2, -48, 16], radiusMm: BERRY_ROI_RADIUS_MM },
];

/** Distances are compared with this slack (mm^2) so a voxel exactly on the surface counts (inclusive). */
const SURFACE_SLACK_MM2 = 1e-9;

/** Flat indices of the voxels whose centres lie within the sphere, through the map's affine. */
export function sphereVoxels(grid: Grid, s: Sphere): number[] {
  const [nx, ny, nz] = grid.dims;
  const inv = invertAffine(grid.affine);
  const c = [0, 1, 2].map(
    (r) => inv[4 * r]! * s.center[0] + inv[4 * r + 1]! * s.center[1] + inv[4 * r + 2]! * s.center[2] + inv[4 * r + 3]!,
  );
  // Half-width of the sphere along each voxel axis: r times the norm of that row of the inverse.
  const half = [0, 1, 2].map((r) => s.radiusMm * Math.hypot(inv[4 * r]!, inv[4 * r + 1]!, inv[4 * r + 2]!));
  const lo = c.map((v, a) => Math.max(0, Math.floor(v - half[a]!)));
  const hi = c.map((v, a) => Math.min([nx, ny, nz][a]! - 1, Math.ceil(v + half[a]!)));
  const r2 = s.radiusMm * s.radiusMm + SURFACE_SLACK_MM2;
  const out: number[] = [];
  for (let k = lo[2]!; k <= hi[2]!; k++)
    for (let j = lo[1]!; j <= hi[1]!; j++)
      for (let i = lo[0]!; i <= hi[0]!; i++) {
        const p = voxelToMm(grid.affine, i, j, k);
        const d2 = (p[0] - s.center[0]) ** 2 + (p[1] - s.center[1]) ** 2 + (p[2] - s.center[2]) ** 2;
        if (d2 <= r2) out.push(i + nx * (j + ny * k));
      }
  return out;
}

/** Mean of each sphere in a map, skipping NaN (and infinite) voxels. */
export function sphereMeans(map: GridMap, spheres: readonly Sphere[]): RoiResult[] {
  return spheres.map((s) => {
    const idx = sphereVoxels(map, s);
    let sum = 0;
    let n = 0;
    for (const i of idx) {
      const v = map.data[i]!;
      if (v - v === 0) {
        sum += v;
        n++;
      }
    }
    return {
      name: s.name,
      center: [...s.center],
      radiusMm: s.radiusMm,
      voxels: n,
      voxelsInSphere: idx.length,
      mean: n ? sum / n : null,
    };
  });
}
