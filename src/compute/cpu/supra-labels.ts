import type { LabelRequest } from '../engine';
import type { SupraComponents } from '../supra';
import { SliceUnion } from './slice-union';

/** `labelComponents` without a volume-sized array: the map's slices, one after another, through a `SliceUnion`. */
export function labelSupraVoxels(req: LabelRequest): SupraComponents {
  const [nx, ny, nz] = req.dims;
  const nxy = nx * ny;
  const union = new SliceUnion(req.dims, req.threshold, req.twoSided, req.connectivity);
  for (let z = 0; z < nz; z++)
    union.label(
      req.data.subarray(z * nxy, (z + 1) * nxy),
      req.data.subarray(Math.max(0, z - 1) * nxy, Math.max(1, z) * nxy),
    );
  return union.finish();
}
