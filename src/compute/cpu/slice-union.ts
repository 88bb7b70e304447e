import type { Connectivity } from '../engine';
import type { SupraComponents } from '../supra';
import { backwardOffsets, grown, INITIAL_LIST_CAPACITY, unite, type BackwardOffsets } from './union-find';

/**
 * `labelComponents`' union-find (the smaller root wins, so every root is its component's first
 * voxel) over the supra-threshold voxels only, numbered in scan order, fed one z-slice at a time.
 * Backward neighbours are one slice back at most, so two slices of voxel numbers find them: memory is
 * two slices plus 8 bytes per supra-threshold voxel, where the volume form takes 4 bytes per voxel.
 * A whole map in memory (`labelSupraVoxels`) and a map read slice by slice (`SliceLabeller`) share it.
 */
export class SliceUnion {
  private readonly nx: number;
  private readonly ny: number;
  private readonly t: number;
  private readonly offsets: BackwardOffsets;
  /** Voxel numbers of the slice before the last one labelled and of the last (-1: not supra-threshold). */
  private ids: [Int32Array, Int32Array];
  voxels = new Int32Array(INITIAL_LIST_CAPACITY);
  private parent = new Int32Array(INITIAL_LIST_CAPACITY);
  /** Supra-threshold voxels numbered so far. */
  count = 0;
  /** starts[z]: the first voxel number of slice z (and starts[z + 1] its end, once labelled). */
  private starts = new Int32Array(1024);
  /** The next slice's z. */
  z = 0;

  constructor(
    dims: readonly [number, number, number],
    threshold: number,
    private readonly twoSided: boolean,
    connectivity: Connectivity,
  ) {
    [this.nx, this.ny] = dims;
    this.t = Math.fround(threshold);
    this.offsets = backwardOffsets(connectivity, this.nx, this.ny);
    const nxy = this.nx * this.ny;
    this.ids = [new Int32Array(nxy).fill(-1), new Int32Array(nxy).fill(-1)];
    // The growing lists are assigned a second time here: V8 then tracks them as fields that change,
    // so the optimised label loop is not thrown away when they first grow (about 30 ms at 1 mm).
    this.voxels = new Int32Array(INITIAL_LIST_CAPACITY);
    this.parent = new Int32Array(INITIAL_LIST_CAPACITY);
    this.starts = new Int32Array(1024);
  }

  /** Voxel numbers of the last slice labelled (-1: not supra-threshold); valid until the next `label`. */
  get current(): Int32Array {
    return this.ids[1];
  }

  /** Voxel numbers of the slice before it; valid until the next `label`. */
  get previous(): Int32Array {
    return this.ids[0];
  }

  /** The number of the first supra-threshold voxel of slice z (z <= the slices labelled); voxels of slice z are numbered from here on. */
  sliceStart(z: number): number {
    return this.starts[z]!;
  }

  /**
   * Labels the next slice (x fastest) against itself and `below`, the slice before it (unused at z = 0).
   * The scan over the slice only compares each value with the threshold: the supra-threshold voxels
   * (a few percent) find their x, y and neighbours, and only their entries of the reused voxel-number
   * slice are cleared afterwards, rather than the whole slice. Every branch of the loop is taken from
   * the first slice on (the slice before the first reads as all -1, the lists have room for a whole
   * slice before it starts), so V8's optimised code for it is not thrown away on a later slice: that
   * cost 3-6 recompilations of 5-20 ms each at 1 mm.
   */
  label(slice: Float32Array, below: Float32Array): void {
    const { nx, ny, t, twoSided, z } = this;
    const { count: m, dxs, dys, dzs } = this.offsets;
    this.ids = [this.ids[1], this.ids[0]];
    const [prevIds, ids] = this.ids;
    const nxy = nx * ny;
    this.clear(ids, z - 2);
    this.reserve(nxy);
    const { voxels, parent } = this;
    let count = this.count;
    const base = z * nxy;
    const nt = -t;
    for (let s = 0; s < nxy; s++) {
      const v = slice[s]!;
      // supraSign, inlined: this test runs for every voxel of the volume, so it comes first and alone.
      if (!(v >= t || (twoSided && v <= nt)) || v === Infinity || v === -Infinity) continue;
      const positive = v >= t;
      const k = count++;
      voxels[k] = base + s;
      parent[k] = k;
      ids[s] = k;
      const y = (s / nx) | 0;
      const x = s - y * nx;
      let root = k;
      for (let o = 0; o < m; o++) {
        const xx = x + dxs[o]!;
        const yy = y + dys[o]!;
        if (xx < 0 || xx >= nx || yy < 0 || yy >= ny) continue;
        const at = xx + yy * nx;
        const same = dzs[o] === 0;
        // At z = 0 the slice before reads as all -1, so the test below runs for it from the start.
        const id = same ? ids[at]! : prevIds[at]!;
        // A supra-threshold neighbour is positive exactly when it is >= t: no sign array needed.
        if (id === -1 || (same ? slice : below)[at]! >= t !== positive) continue;
        root = unite(parent, root, id);
      }
    }
    this.count = count;
    this.z++;
    this.starts[this.z] = count;
  }

  /** Resets the entries of `ids` that slice z's voxels set (nothing for z < 0). */
  private clear(ids: Int32Array, z: number): void {
    if (z < 0) return;
    const b = z * this.nx * this.ny;
    for (let k = this.starts[z]!, end = this.starts[z + 1]!; k < end; k++) ids[this.voxels[k]! - b] = -1;
  }

  /** Room for `more` voxels in the lists, and for the next slice's start. */
  private reserve(more: number): void {
    while (this.voxels.length < this.count + more) {
      this.voxels = grown(this.voxels, Int32Array);
      this.parent = grown(this.parent, Int32Array);
    }
    if (this.starts.length <= this.z + 1) this.starts = grown(this.starts, Int32Array);
  }

  /** Each voxel's root as a flat index: every non-root points to an earlier number, so one ascending pass finds each root. */
  finish(): SupraComponents {
    const { voxels, parent, count } = this;
    for (let k = 0; k < count; k++) parent[k] = parent[parent[k]!]!;
    for (let k = 0; k < count; k++) parent[k] = voxels[parent[k]!]!;
    return { voxels: voxels.slice(0, count), roots: parent.slice(0, count) };
  }
}
