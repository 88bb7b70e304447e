import type { Connectivity } from '../../src/compute/engine';
import { mulberry32 } from '../../scripts/sample-data/field';

/** One deterministic PRNG for generated data and tests (a failure can be replayed by its seed). */
export { mulberry32 };

export type Dims = [number, number, number];
export interface TestVolume {
  name: string;
  dims: Dims;
  data: Float32Array;
}

const at = (d: Dims, x: number, y: number, z: number): number => x + d[0] * (y + d[1] * z);

/** Volumes built to break labelling: plateaus, single voxels, face-touching, spanning, spirals, noise. */
export function adversarialVolumes(): TestVolume[] {
  const out: TestVolume[] = [];
  const make = (name: string, dims: Dims, f: (x: number, y: number, z: number) => number): void => {
    const data = new Float32Array(dims[0] * dims[1] * dims[2]);
    for (let z = 0; z < dims[2]; z++)
      for (let y = 0; y < dims[1]; y++) for (let x = 0; x < dims[0]; x++) data[at(dims, x, y, z)] = f(x, y, z);
    out.push({ name, dims, data });
  };
  make('plateau (all equal, all supra)', [17, 13, 11], () => 3);
  make('one-voxel clusters on a checkerboard', [16, 15, 14], (x, y, z) => ((x + y + z) % 2 === 0 ? 4 : -4));
  make('diagonal-only contacts (6 vs 18 vs 26)', [12, 12, 12], (x, y, z) =>
    x === y && y === z ? 5 : x === y && z === 0 ? 5 : 0,
  );
  make('clusters touching every face', [20, 18, 16], (x, y, z) =>
    x === 0 || y === 0 || z === 0 || x === 19 || y === 17 || z === 15 ? ((x + y) % 3 === 0 ? 3 : -3) : 0,
  );
  make('one cluster spanning the volume', [33, 31, 29], (x, y, z) =>
    x % 4 === 0 || (y === 5 && z % 2 === 0) ? 2.5 : -0.5,
  );
  make('two-sided plateaus side by side', [10, 10, 10], (x) => (x < 5 ? 2.3 : -2.3));
  make('threshold exactly on float32 values', [9, 8, 7], (x, y) =>
    (x + y) % 3 === 0 ? Math.fround(2.3) : (x + y) % 3 === 1 ? 2.2999 : -Math.fround(2.3),
  );
  // A square spiral in every slice, linked slice to slice at alternating ends: one long path of many merges.
  make('spiral that needs many merges', [41, 41, 12], (x, y, z) => {
    const r = Math.max(Math.abs(x - 20), Math.abs(y - 20));
    const ring = r % 2 === 0;
    const gap = x - 20 === r && y - 20 === -r + 1;
    const link = r % 4 === 0 ? x - 20 === r && y - 20 === -r + 1 : x - 20 === -r && y - 20 === r - 1;
    return (ring && !gap) || (!ring && link) ? 6 - z * 0.01 : z % 2 ? -1 : 1;
  });
  const rnd = mulberry32(7);
  make('noise with NaN and Inf', [23, 19, 17], () => {
    const u = rnd();
    return u < 0.03 ? NaN : u < 0.05 ? Infinity : u < 0.07 ? -Infinity : (rnd() - 0.5) * 8;
  });
  make('all zero', [8, 8, 8], () => 0);
  make('long thin line', [200, 1, 1], (x) => (x % 50 === 49 ? 0 : 3));
  return out;
}

/** An independent breadth-first labelling: each voxel gets the first voxel (x-fastest) of its component. */
export function bfsLabels(v: TestVolume, t: number, twoSided: boolean, connectivity: Connectivity): Int32Array {
  const [nx, ny, nz] = v.dims;
  const n = nx * ny * nz;
  const tt = Math.fround(t);
  const sign = (i: number): number => {
    const x = v.data[i]!;
    if (!Number.isFinite(x)) return 0;
    return x >= tt ? 1 : twoSided && x <= -tt ? -1 : 0;
  };
  const labels = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const sg = sign(s);
    if (sg === 0 || labels[s] !== -1) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    labels[s] = s;
    while (head < tail) {
      const i = queue[head++]!;
      const x = i % nx;
      const y = Math.floor(i / nx) % ny;
      const z = Math.floor(i / (nx * ny));
      for (let dz = -1; dz <= 1; dz++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const axes = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
            if (axes === 0 || (connectivity === 6 && axes > 1) || (connectivity === 18 && axes > 2)) continue;
            const xx = x + dx,
              yy = y + dy,
              zz = z + dz;
            if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
            const j = at(v.dims, xx, yy, zz);
            if (labels[j] === -1 && sign(j) === sg) {
              labels[j] = s;
              queue[tail++] = j;
            }
          }
    }
  }
  return labels;
}
