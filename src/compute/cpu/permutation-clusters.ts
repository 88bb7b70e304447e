import type { Connectivity } from '../engine';
import { BACKWARD_NEIGHBOURS, connects } from '../neighbourhood';
import type { MaskGeometry } from '../permutation';
import { findRoot } from './union-find';

/**
 * The clusters of one permuted t-map at the masked voxels: its supra-threshold voxels are handed in
 * with `add` (in ascending order), and `finish` joins them as runs: a run is consecutive voxels of
 * one row and one sign, and runs are linked to the overlapping runs of their earlier neighbour rows
 * (the row before in the slice, three rows of the slice below under 26-connectivity), found through
 * a table of two slices' rows. A run is a few voxels on a smooth map (G1's maps: 865 runs of 1,730
 * voxels), so there are a few look-ups a run where each voxel took up to thirteen before: 0.12-0.14 ms
 * a map against 0.15-0.18 (bench/README.md, issue 23's fifth session).
 */
export class ClusterScratch {
  /** Mask index and t of each supra-threshold voxel, in order. */
  private readonly supra: Int32Array;
  private readonly value: Float32Array;
  /** Each run's first voxel (its voxels are runFirst[r] .. runFirst[r + 1] - 1), y, z, x range, and union-find parent. */
  private readonly runFirst: Int32Array;
  private readonly runY: Int32Array;
  private readonly runZ: Int32Array;
  private readonly runX0: Int32Array;
  private readonly runX1: Int32Array;
  private readonly parent: Int32Array;
  private readonly count: Int32Array;
  private readonly mass: Float64Array;
  /** Per row of two slices (row mod 2 ny): which row it holds now, and its runs' range. */
  private rowId = new Int32Array(0);
  private rowFirst = new Int32Array(0);
  private rowEnd = new Int32Array(0);
  private n = 0;

  constructor(voxels: number) {
    this.supra = new Int32Array(voxels);
    this.value = new Float32Array(voxels);
    this.runFirst = new Int32Array(voxels + 1);
    this.runY = new Int32Array(voxels);
    this.runZ = new Int32Array(voxels);
    this.runX0 = new Int32Array(voxels);
    this.runX1 = new Int32Array(voxels);
    this.parent = new Int32Array(voxels);
    this.count = new Int32Array(voxels);
    this.mass = new Float64Array(voxels);
  }

  begin(): void {
    this.n = 0;
  }

  /** Voxel j passes with value t (a float32: t >= threshold, or t <= -threshold two-sided). */
  add(j: number, t: number): void {
    this.supra[this.n] = j;
    this.value[this.n++] = t;
  }

  /** The first `count` voxels of `index` with their t, as `add` one by one would take them. */
  addMany(index: Int32Array, t: Float32Array, count: number): void {
    this.supra.set(index.subarray(0, count), this.n);
    this.value.set(t.subarray(0, count), this.n);
    this.n += count;
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

  /** Two slices' row table, its rows marked as holding none. */
  private rowsFor(ny: number): void {
    if (this.rowId.length !== 2 * ny) {
      this.rowId = new Int32Array(2 * ny);
      this.rowFirst = new Int32Array(2 * ny);
      this.rowEnd = new Int32Array(2 * ny);
    }
    this.rowId.fill(-1);
  }

  /** The largest cluster's voxel count and the largest mass (sum of |t|); 0 and 0 when no voxel passed. */
  finish(lattice: SupraLattice): { extent: number; mass: number } {
    const { supra, value, runFirst, runY, runZ, runX0, runX1, parent, count, mass, n } = this;
    const { voxelIndex, nx, ny } = lattice;
    this.rowsFor(ny);
    // Runs: a voxel continues the run before it when it is the next in the same row with the same sign.
    // A run is linked as the next one starts (its x range is then known). Rows are followed without a
    // division while they come one after another.
    let runs = 0;
    let lastG = -2;
    let lastPositive = false;
    let rowStart = -2 * nx;
    let y = 0;
    let z = 0;
    for (let s = 0; s < n; s++) {
      const g = voxelIndex[supra[s]!]!;
      const positive = value[s]! > 0;
      if (g === lastG + 1 && positive === lastPositive && g < rowStart + nx) runX1[runs - 1]! += 1;
      else {
        if (runs > 0) this.link(runs - 1, lattice);
        if (g >= rowStart + nx) {
          if (g < rowStart + 2 * nx) {
            rowStart += nx;
            if (++y === ny) {
              y = 0;
              z++;
            }
          } else {
            const row = (g / nx) | 0;
            z = (row / ny) | 0;
            y = row - z * ny;
            rowStart = row * nx;
          }
        }
        runFirst[runs] = s;
        runY[runs] = y;
        runZ[runs] = z;
        runX0[runs] = runX1[runs] = g - rowStart;
        runs++;
      }
      lastG = g;
      lastPositive = positive;
    }
    if (runs > 0) this.link(runs - 1, lattice);
    runFirst[runs] = n;
    // Roots come first (each is its cluster's first run), so a root is met before any of its voxels is
    // counted in: sizes and masses only grow, and the largest met is the largest final. Each mass is
    // summed in the voxels' order, first voxel first.
    let extent = 0;
    let most = 0;
    for (let r = 0; r < runs; r++) {
      const root = findRoot(parent, r);
      const end = runFirst[r + 1]!;
      if (root === r) {
        count[r] = 0;
        mass[r] = 0;
      }
      let m = mass[root]!;
      for (let s = runFirst[r]!; s < end; s++) m += Math.abs(value[s]!);
      mass[root] = m;
      count[root]! += end - runFirst[r]!;
      if (count[root]! > extent) extent = count[root]!;
      if (m > most) most = m;
    }
    return { extent, mass: most };
  }

  /**
   * Links run r to the runs of its earlier neighbour rows that overlap its x range widened by the
   * row's dx range, and enters it in its row. r comes after every run linked so far, so it is still
   * its own root: its root is followed as it merges. Roots stay each cluster's first run.
   */
  private link(r: number, { rows, ny }: SupraLattice): void {
    const { runFirst, runY, runZ, runX0, runX1, parent, value, rowId, rowFirst, rowEnd } = this;
    const y = runY[r]!;
    const z = runZ[r]!;
    const row = y + z * ny;
    const slot = y + (z & 1) * ny;
    if (rowId[slot] !== row) {
      rowId[slot] = row;
      rowFirst[slot] = r;
    }
    rowEnd[slot] = r + 1;
    parent[r] = r;
    const x0 = runX0[r]!;
    const x1 = runX1[r]!;
    const positive = value[runFirst[r]!]! > 0;
    let rr = r;
    for (let k = 0; k < rows.length; k += ROW) {
      const oy = y + rows[k + 2]!;
      const oz = z + rows[k + 3]!;
      if (oy < 0 || oy >= ny || oz < 0) continue;
      const os = oy + (oz & 1) * ny;
      if (rowId[os] !== oy + oz * ny) continue;
      // Run q touches [x0, x1] through a dx in [lo, hi] when q's x0 <= x1 + hi and q's x1 >= x0 + lo.
      const from = x0 + rows[k]!;
      const to = x1 + rows[k + 1]!;
      const end = rowEnd[os]!;
      for (let q = rowFirst[os]!; q < end; q++) {
        if (runX1[q]! < from) continue;
        if (runX0[q]! > to) break;
        if (value[runFirst[q]!]! > 0 !== positive || parent[q] === rr) continue;
        const rq = findRoot(parent, q);
        if (rq === rr) continue;
        if (rq < rr) {
          parent[rr] = rq;
          rr = rq;
        } else parent[rq] = rr;
      }
    }
  }
}

/**
 * What ClusterScratch.finish needs of a mask and a connectivity: each masked voxel's grid index, and
 * the earlier neighbour rows but the voxel's own, ROW numbers each: the dx range (first, last), dy, dz.
 */
export interface SupraLattice {
  readonly voxelIndex: Uint32Array;
  readonly rows: Int32Array;
  readonly nx: number;
  readonly ny: number;
}

const ROW = 4;

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
  // One row a (dy, dz), with its dx range (contiguous under every connectivity).
  const rows: number[] = [];
  for (const [dx, dy, dz] of BACKWARD_NEIGHBOURS) {
    // The voxel before in the same row is in the same run (ClusterScratch.finish).
    if (!connects([dx, dy, dz], connectivity) || (dy === 0 && dz === 0)) continue;
    let r = 0;
    while (r < rows.length && !(rows[r + 2] === dy && rows[r + 3] === dz)) r += ROW;
    if (r < rows.length) {
      rows[r] = Math.min(rows[r]!, dx);
      rows[r + 1] = Math.max(rows[r + 1]!, dx);
    } else rows.push(dx, dx, dy, dz);
  }
  return { voxelIndex, rows: Int32Array.from(rows), nx, ny };
}
