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
  }

  /** Voxel numbers of the last slice labelled (-1: not supra-threshold); valid until the next `label`. */
  get current(): Int32Array {
    return this.ids[1];
  }

  /** Voxel numbers of the slice before it; valid until the next `label`. */
  get previous(): Int32Array {
    return this.ids[0];
  }

  /** Labels the next slice (x fastest) against itself and `below`, the slice before it (unused at z = 0). */
  label(slice: Float32Array, below: Float32Array): void {
    const { nx, ny, t, twoSided, z } = this;
    const { count: m, dxs, dys, dzs } = this.offsets;
    this.ids = [this.ids[1], this.ids[0]];
    const [prevIds, ids] = this.ids;
    ids.fill(-1);
    const base = z * nx * ny;
    let { voxels, parent, count } = this;
    for (let y = 0, s = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, s++) {
        const v = slice[s]!;
        // supraSign, inlined: this test runs for every voxel of the volume.
        const sign = v >= t ? (v !== Infinity ? 1 : 0) : twoSided && v <= -t && v !== -Infinity ? -1 : 0;
        if (sign === 0) continue;
        if (count === voxels.length) {
          voxels = grown(voxels, Int32Array);
          parent = grown(parent, Int32Array);
        }
        const k = count++;
        voxels[k] = base + s;
        parent[k] = k;
        ids[s] = k;
        let root = k;
        for (let o = 0; o < m; o++) {
          const xx = x + dxs[o]!;
          const yy = y + dys[o]!;
          if (xx < 0 || xx >= nx || yy < 0 || yy >= ny || z + dzs[o]! < 0) continue;
          const at = xx + yy * nx;
          const same = dzs[o] === 0;
          const id = same ? ids[at]! : prevIds[at]!;
          // A supra-threshold neighbour is positive exactly when it is >= t: no sign array needed.
          if (id === -1 || ((same ? slice[at]! : below[at]!) >= t) !== (sign === 1)) continue;
          root = unite(parent, root, id);
        }
      }
    }
    this.voxels = voxels;
    this.parent = parent;
    this.count = count;
    this.z++;
  }

  /** Each voxel's root as a flat index: every non-root points to an earlier number, so one ascending pass finds each root. */
  finish(): SupraComponents {
    const { voxels, parent, count } = this;
    for (let k = 0; k < count; k++) parent[k] = parent[parent[k]!]!;
    for (let k = 0; k < count; k++) parent[k] = voxels[parent[k]!]!;
    return { voxels: voxels.slice(0, count), roots: parent.slice(0, count) };
  }
}
