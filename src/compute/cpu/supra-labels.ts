import type { LabelRequest } from '../engine';
import { backwardOffsets, grown, INITIAL_LIST_CAPACITY, unite } from './union-find';
import type { SupraComponents } from '../supra';

/**
 * `labelComponents` without a volume-sized array: the same union-find (the smaller root wins, so every
 * root is its component's first voxel) over the supra-threshold voxels only, numbered in scan order.
 * Backward neighbours are one slice back at most, so two slices of voxel numbers find them. Memory is
 * two slices plus 8 bytes per supra-threshold voxel, where the volume form takes 4 bytes per voxel.
 */
export function labelSupraVoxels(req: LabelRequest): SupraComponents {
  const [nx, ny, nz] = req.dims;
  const nxy = nx * ny;
  const t = Math.fround(req.threshold);
  const data = req.data;
  const twoSided = req.twoSided;
  // The voxel number of each voxel of the current and the previous slice (-1: not supra-threshold).
  const slab = new Int32Array(2 * nxy);
  const { count: m, dxs, dys, dzs, flat } = backwardOffsets(req.connectivity, nx, ny);
  let voxels = new Int32Array(INITIAL_LIST_CAPACITY);
  let parent = new Int32Array(INITIAL_LIST_CAPACITY);
  let count = 0;


  for (let z = 0, i = 0; z < nz; z++) {
    const cur = (z & 1) * nxy;
    const prev = nxy - cur;
    slab.fill(-1, cur, cur + nxy);
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const v = data[i]!;
        const s = v >= t ? (v !== Infinity ? 1 : 0) : twoSided && v <= -t && v !== -Infinity ? -1 : 0;
        if (s === 0) continue;
        if (count === voxels.length) {
          voxels = grown(voxels, Int32Array);
          parent = grown(parent, Int32Array);
        }
        const k = count++;
        voxels[k] = i;
        parent[k] = k;
        slab[cur + i - z * nxy] = k;
        let root = k;
        for (let o = 0; o < m; o++) {
          const xx = x + dxs[o]!;
          const yy = y + dys[o]!;
          if (xx < 0 || xx >= nx || yy < 0 || yy >= ny || z + dzs[o]! < 0) continue;
          const j = i + flat[o]!;
          const id = slab[(dzs[o] === 0 ? cur : prev) + xx + yy * nx]!;
          if (id === -1 || (data[j]! >= t) !== (s === 1)) continue;
          root = unite(parent, root, id);
        }
      }
    }
  }
  // Every non-root points to an earlier number, so one ascending pass finds each root.
  for (let k = 0; k < count; k++) parent[k] = parent[parent[k]!]!;
  for (let k = 0; k < count; k++) parent[k] = voxels[parent[k]!]!;
  return { voxels: voxels.slice(0, count), roots: parent.slice(0, count) };
}
