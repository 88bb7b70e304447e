import { BACKWARD_NEIGHBOURS, connects } from '../neighbourhood';
import type { LabelRequest } from '../engine';

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
  const offsets = BACKWARD_NEIGHBOURS.filter((o) => connects(o, req.connectivity));
  // Flat typed arrays: the inner loop runs 13 times per supra-threshold voxel.
  const m = offsets.length;
  const dxs = Int32Array.from(offsets, (o) => o[0]);
  const dys = Int32Array.from(offsets, (o) => o[1]);
  const dzs = Int32Array.from(offsets, (o) => o[2]);
  const flat = Int32Array.from(offsets, ([dx, dy, dz]) => dx + dy * nx + dz * nx * ny);

  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[x] !== r) {
      const next = parent[x]!;
      parent[x] = r;
      x = next;
    }
    return r;
  };

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
          if (parent[j] === -1 || (data[j]! >= t) !== (s === 1)) continue;
          const rj = find(j);
          if (rj === root) continue;
          // Link the larger root under the smaller: roots stay the first voxel of their component.
          if (rj < root) {
            parent[root] = rj;
            root = rj;
          } else {
            parent[rj] = root;
          }
        }
      }
    }
  }
  for (let i = 0; i < n; i++) if (parent[i] !== -1) parent[i] = find(i);
  return parent;
}
