import type { Connectivity } from '../engine';
import { BACKWARD_NEIGHBOURS, connects } from '../neighbourhood';
import type { MaskGeometry } from '../permutation';
import { findRoot } from './union-find';

/**
 * The clusters of one permuted t-map at the masked voxels: its supra-threshold voxels are handed in
 * with `add` (in ascending order), and `finish` links each to its earlier neighbours among them alone,
 * found in a ring of two slices' places (a 2 mm grid's is 79 KiB). Its lists are as long as the map's
 * supra-threshold voxels (a few thousand) and read in order; of the mask's per-voxel arrays only the
 * grid index and face flag of those voxels are read, where the mask's neighbour graph and a stamp per
 * voxel were before (their look-ups, 145 ns a supra-threshold voxel on real maps, now 80).
 */
export class ClusterScratch {
  /** Mask index, then grid index, t and union-find parent of each supra-threshold voxel, in order. */
  private readonly supra: Int32Array;
  private readonly grid: Int32Array;
  private readonly value: Float32Array;
  private readonly parent: Int32Array;
  private readonly count: Int32Array;
  private readonly mass: Float64Array;
  /** Each supra-threshold voxel's place in the ring (finish). */
  private readonly slot: Int32Array;
  private ring = new Int32Array(0);
  private n = 0;

  constructor(voxels: number) {
    this.supra = new Int32Array(voxels);
    this.grid = new Int32Array(voxels);
    this.value = new Float32Array(voxels);
    this.parent = new Int32Array(voxels);
    this.count = new Int32Array(voxels);
    this.mass = new Float64Array(voxels);
    this.slot = new Int32Array(voxels);
  }

  /** Two slices' places, all 0 between maps. */
  private ringFor(length: number): Int32Array {
    if (this.ring.length !== length) this.ring = new Int32Array(length);
    return this.ring;
  }

  begin(): void {
    this.n = 0;
  }

  /** Voxel j passes with value t (a float32: t >= threshold, or t <= -threshold two-sided). */
  add(j: number, t: number): void {
    this.supra[this.n] = j;
    this.value[this.n++] = t;
  }

  /** Every supra-threshold voxel of a whole t-map. */
  addMap(t: Float32Array, threshold: number, twoSided: boolean): void {
    const u = Math.fround(threshold);
    for (let j = 0; j < t.length; j++) {
      const v = t[j]!;
      if (v >= u || (twoSided && v <= -u)) this.add(j, v);
    }
  }

  /** Every supra-threshold voxel of the mirror of a one-sided t-map (-t >= threshold), as the mirror's own t. */
  addMirror(t: Float32Array, threshold: number): void {
    const u = Math.fround(threshold);
    for (let j = 0; j < t.length; j++) {
      const v = -t[j]!;
      if (v >= u) this.add(j, v);
    }
  }

  /** The largest cluster's voxel count and the largest mass (sum of |t|); 0 and 0 when no voxel passed. */
  finish(lattice: SupraLattice): { extent: number; mass: number } {
    const { supra, grid, value, parent, count, mass, n } = this;
    const { voxelIndex, edge, rows, nx, ny } = lattice;
    const nxy = nx * ny;
    const ring = this.ringFor(2 * nxy);
    const slot = this.slot;
    const R = rows.length / ROW;
    // The ring holds the supra-threshold voxels of this slice and the one below, each at its place in
    // the slice (s + 1, negated for a negative t): an earlier neighbour is one look-up away. A slice's
    // entries are cleared as the slice two above starts, and all of them by the end.
    let sliceStart = -2 * nxy;
    let half = 0;
    let cleared = 0;
    for (let s = 0; s < n; s++) {
      const g = voxelIndex[supra[s]!]!;
      grid[s] = g;
      parent[s] = s;
      if (g >= sliceStart + nxy) {
        const z = (g / nxy) | 0;
        half = (z & 1) * nxy;
        sliceStart = z * nxy;
        while (cleared < s && grid[cleared]! < sliceStart - nxy) ring[slot[cleared++]!] = 0;
      }
      const at = half + g - sliceStart;
      const positive = value[s]! > 0;
      slot[s] = at;
      ring[at] = positive ? s + 1 : -(s + 1);
      const onEdge = edge[supra[s]!] === 1;
      // s comes after every voxel linked so far, so it is still its own root: follow its root as it
      // merges. Roots stay each cluster's first voxel.
      let rs = s;
      // The voxel before it in its row first: once s hangs from it, every earlier neighbour of s but
      // those at the far end (dx = the row's last) is also one of that voxel's, already linked.
      const left =
        s > 0 && grid[s - 1] === g - 1 && value[s - 1]! > 0 === positive && !(onEdge && !inGrid(g, -1, 0, 0, nx, ny));
      if (left) {
        rs = findRoot(parent, s - 1);
        parent[s] = rs;
      }
      for (let r = 0; r < R; r++) {
        const off = rows[ROW * r]!;
        const hi = rows[ROW * r + 2]!;
        for (let dx = left ? hi : rows[ROW * r + 1]!; dx <= hi; dx++) {
          let k = at + off + dx;
          if (k < 0) k += 2 * nxy;
          const e = ring[k]!;
          if (e === 0 || e > 0 !== positive) continue;
          if (onEdge && !inGrid(g, dx, rows[ROW * r + 3]!, rows[ROW * r + 4]!, nx, ny)) continue;
          const q = (positive ? e : -e) - 1;
          if (parent[q] === rs) continue;
          const rq = findRoot(parent, q);
          if (rq === rs) continue;
          if (rq < rs) {
            parent[rs] = rq;
            rs = rq;
          } else parent[rq] = rs;
        }
      }
    }
    while (cleared < n) ring[slot[cleared++]!] = 0;
    // Roots come first (each is its cluster's first voxel), so a root is met before any of its voxels
    // is counted in: sizes and masses only grow, and the largest met is the largest final. Each mass is
    // summed in the voxels' order, root first.
    let extent = 0;
    let most = 0;
    for (let s = 0; s < n; s++) {
      const r = findRoot(parent, s);
      const a = Math.abs(value[s]!);
      if (r === s) {
        count[s] = 1;
        mass[s] = a;
      } else {
        count[r]! += 1;
        mass[r]! += a;
      }
      if (count[r]! > extent) extent = count[r]!;
      if (mass[r]! > most) most = mass[r]!;
    }
    return { extent, mass: most };
  }
}

/**
 * What ClusterScratch.finish needs of a mask and a connectivity: each masked voxel's grid index, which
 * of them lie on a face of the grid (where a neighbour's index could wrap to another row or slice),
 * and the earlier neighbours as rows, ROW numbers each: the offset dy nx + dz nx ny, the dx range
 * (first, last), dy and dz.
 */
export interface SupraLattice {
  readonly voxelIndex: Uint32Array;
  readonly edge: Uint8Array;
  readonly rows: Int32Array;
  readonly nx: number;
  readonly ny: number;
}

const ROW = 5;

/** Whether grid voxel g's neighbour (dx, dy, dz) is in the grid (dz is never above 0: earlier neighbours). */
function inGrid(g: number, dx: number, dy: number, dz: number, nx: number, ny: number): boolean {
  const nxy = nx * ny;
  const z = (g / nxy) | 0;
  const y = ((g - z * nxy) / nx) | 0;
  const x = g - z * nxy - y * nx;
  return x + dx >= 0 && x + dx < nx && y + dy >= 0 && y + dy < ny && z + dz >= 0;
}

const lattices = new WeakMap<MaskGeometry, Map<Connectivity, SupraLattice>>();

/** Built once per geometry and connectivity. */
export function supraLattice(geometry: MaskGeometry, connectivity: Connectivity): SupraLattice {
  let byRule = lattices.get(geometry);
  if (!byRule) lattices.set(geometry, (byRule = new Map()));
  let l = byRule.get(connectivity);
  if (!l) byRule.set(connectivity, (l = buildLattice(geometry, connectivity)));
  return l;
}

function buildLattice({ dims, voxelIndex }: MaskGeometry, connectivity: Connectivity): SupraLattice {
  const [nx, ny, nz] = dims;
  const nxy = nx * ny;
  // finish relies on both: its neighbours are earlier in the list, in grid order, within the grid.
  for (let j = 1; j < voxelIndex.length; j++)
    if (!(voxelIndex[j]! > voxelIndex[j - 1]!)) throw new RangeError('the mask geometry lists its voxels out of order');
  if (voxelIndex.length > 0 && voxelIndex[voxelIndex.length - 1]! >= nxy * nz)
    throw new RangeError('the mask geometry lists a voxel outside its volume');
  const edge = new Uint8Array(voxelIndex.length);
  for (let j = 0; j < voxelIndex.length; j++) {
    const i = voxelIndex[j]!;
    const z = (i / nxy) | 0;
    const y = ((i - z * nxy) / nx) | 0;
    const x = i - z * nxy - y * nx;
    edge[j] = x === 0 || y === 0 || z === 0 || x === nx - 1 || y === ny - 1 || z === nz - 1 ? 1 : 0;
  }
  // One row a (dy, dz), with its dx range (contiguous under every connectivity).
  const rows: number[] = [];
  for (const [dx, dy, dz] of BACKWARD_NEIGHBOURS) {
    // The voxel before in the same row is linked on its own (ClusterScratch.finish).
    if (!connects([dx, dy, dz], connectivity) || (dy === 0 && dz === 0)) continue;
    let r = 0;
    while (r < rows.length && !(rows[r + 3] === dy && rows[r + 4] === dz)) r += ROW;
    if (r < rows.length) {
      rows[r + 1] = Math.min(rows[r + 1]!, dx);
      rows[r + 2] = Math.max(rows[r + 2]!, dx);
    } else rows.push(dy * nx + dz * nxy, dx, dx, dy, dz);
  }
  return { voxelIndex, edge, rows: Int32Array.from(rows), nx, ny };
}
