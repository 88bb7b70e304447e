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
  const sign = new Int8Array(n);
  const parent = new Int32Array(n).fill(-1);
  const offsets = BACKWARD_NEIGHBOURS.filter((o) => connects(o, req.connectivity));
  const flat = offsets.map(([dx, dy, dz]) => dx + dy * nx + dz * nx * ny);

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
        const s = supraSign(data[i]!, t, req.twoSided);
        if (s === 0) continue;
        sign[i] = s;
        parent[i] = i;
        let root = i;
        for (let k = 0; k < offsets.length; k++) {
          const [dx, dy, dz] = offsets[k]!;
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || xx >= nx || yy < 0 || yy >= ny || z + dz < 0) continue;
          const j = i + flat[k]!;
          if (sign[j] !== s) continue;
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
