import type { LabelRequest } from '../engine';
import { backwardOffsets, findRoot, unite } from './union-find';

/** +1 supra positive, -1 supra negative (two-sided), 0 otherwise; non-finite voxels are never supra. */
export function supraSign(v: number, t: number, twoSided: boolean): number {
  if (v >= t && v !== Infinity) return 1;
  if (twoSided && v <= -t && v !== -Infinity) return -1;
  return 0;
}

/**
 * Union-find over the supra-threshold voxels, always linking the larger root under the smaller, so
 * every component's root is its first voxel: the same labels the GPU pass converges to.
 */
export function labelComponents(req: LabelRequest): Int32Array {
  const [nx, ny, nz] = req.dims;
  const n = nx * ny * nz;
  const t = Math.fround(req.threshold);
  const data = req.data;
  const twoSided = req.twoSided;
  const parent = new Int32Array(n).fill(-1);
  const { count: m, dxs, dys, dzs, flat } = backwardOffsets(req.connectivity, nx, ny);

  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        // supraSign, inlined: this test runs for every voxel of the volume.
        const v = data[i]!;
        const s = v >= t ? (v !== Infinity ? 1 : 0) : twoSided && v <= -t && v !== -Infinity ? -1 : 0;
        if (s === 0) continue;
        parent[i] = i;
        let root = i;
        for (let k = 0; k < m; k++) {
          const xx = x + dxs[k]!;
          const yy = y + dys[k]!;
          if (xx < 0 || xx >= nx || yy < 0 || yy >= ny || z + dzs[k]! < 0) continue;
          const j = i + flat[k]!;
          // A supra-threshold neighbour is positive exactly when it is >= t: no sign array needed.
          if (parent[j] === -1 || data[j]! >= t !== (s === 1)) continue;
          root = unite(parent, root, j);
        }
      }
    }
  }
  for (let i = 0; i < n; i++) if (parent[i] !== -1) parent[i] = findRoot(parent, i);
  return parent;
}
