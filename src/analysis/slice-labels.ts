import { backwardOffsets, grown, INITIAL_LIST_CAPACITY, unite } from '../compute/cpu/union-find';
import type { SupraComponents } from '../compute/supra';

/** What a cluster table needs of a map read slice by slice, 26-connected. */
export interface SliceLabelling extends SupraComponents {
  /** The value of each supra-threshold voxel. */
  readonly values: Float32Array;
  /**
   * 1 where a supra-threshold voxel has no 26-neighbour of its sign that beats it (larger |value|, or
   * equal and earlier): within its 26-connected cluster it is a local maximum, a sub-peak candidate.
   */
  readonly localMax: Uint8Array;
  /** Finite non-zero voxels: the search volume when a DLH is given without one. */
  readonly maskVoxels: number;
}

/**
 * 26-connected labelling of a map that arrives one z-slice at a time, holding three slices of values
 * and two of voxel numbers, never the map: `labelSupraVoxels`' union-find (so the same roots), with
 * the values, local maxima and mask size a table needs gathered on the way.
 */
export class SliceLabeller {
  private readonly nx: number;
  private readonly ny: number;
  private readonly nz: number;
  private readonly t: number;
  private readonly offsets: ReturnType<typeof backwardOffsets>;
  /** Values of slices z-2, z-1 and z, rotated as slices arrive. */
  private slices: Float32Array[];
  /** Voxel numbers of slices z-1 and z (-1: not supra-threshold). */
  private ids: Int32Array[];
  private voxels = new Int32Array(INITIAL_LIST_CAPACITY);
  private parent = new Int32Array(INITIAL_LIST_CAPACITY);
  private values = new Float32Array(INITIAL_LIST_CAPACITY);
  private localMax = new Uint8Array(INITIAL_LIST_CAPACITY);
  private count = 0;
  private z = 0;
  private maskVoxels = 0;

  constructor(
    dims: readonly [number, number, number],
    threshold: number,
    private readonly twoSided: boolean,
  ) {
    [this.nx, this.ny, this.nz] = dims;
    this.t = Math.fround(threshold);
    this.offsets = backwardOffsets(26, this.nx, this.ny);
    const nxy = this.nx * this.ny;
    this.slices = [new Float32Array(nxy), new Float32Array(nxy), new Float32Array(nxy)];
    this.ids = [new Int32Array(nxy).fill(-1), new Int32Array(nxy).fill(-1)];
  }

  /** The next z-slice (x fastest); the array is copied, so the caller may reuse it. */
  push(slice: Float32Array): void {
    if (this.z >= this.nz) throw new RangeError(`the map has ${this.nz} slices`);
    const [a, b, c] = this.slices;
    this.slices = [b!, c!, a!];
    this.slices[2]!.set(slice);
    this.ids = [this.ids[1]!, this.ids[0]!];
    this.label();
    if (this.z > 0) this.flagMaxima(this.z - 1);
    this.z++;
  }

  finish(): SliceLabelling {
    if (this.z !== this.nz) throw new RangeError(`${this.z} of ${this.nz} slices arrived`);
    // The last slice has no slice above it: shift it into the middle with an empty one on top.
    const [, b, c] = this.slices;
    this.slices = [b!, c!, new Float32Array(this.nx * this.ny)];
    this.ids = [this.ids[1]!, new Int32Array(this.nx * this.ny).fill(-1)];
    if (this.nz > 0) this.flagMaxima(this.nz - 1, true);
    const n = this.count;
    const parent = this.parent;
    for (let k = 0; k < n; k++) parent[k] = parent[parent[k]!]!;
    for (let k = 0; k < n; k++) parent[k] = this.voxels[parent[k]!]!;
    return { voxels: this.voxels.slice(0, n), roots: parent.slice(0, n), values: this.values.slice(0, n), localMax: this.localMax.slice(0, n), maskVoxels: this.maskVoxels };
  }

  /** Union-find of slice z (in slices[2], numbers into ids[1]) against its earlier neighbours. */
  private label(): void {
    const { nx, ny, t, twoSided, z } = this;
    const { count: m, dxs, dys, dzs } = this.offsets;
    const data = this.slices[2]!;
    const below = this.slices[1]!;
    const [prevIds, ids] = this.ids as [Int32Array, Int32Array];
    ids.fill(-1);
    const base = z * nx * ny;
    for (let y = 0, s = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, s++) {
        const v = data[s]!;
        if (v !== 0 && v - v === 0) this.maskVoxels++;
        const sign = v >= t ? (v !== Infinity ? 1 : 0) : twoSided && v <= -t && v !== -Infinity ? -1 : 0;
        if (sign === 0) continue;
        const k = this.add(base + s, v);
        ids[s] = k;
        let root = k;
        for (let o = 0; o < m; o++) {
          const xx = x + dxs[o]!;
          const yy = y + dys[o]!;
          if (xx < 0 || xx >= nx || yy < 0 || yy >= ny || z + dzs[o]! < 0) continue;
          const at = xx + yy * nx;
          const id = dzs[o] === 0 ? ids[at]! : prevIds[at]!;
          if (id === -1 || ((dzs[o] === 0 ? data[at]! : below[at]!) >= t) !== (sign === 1)) continue;
          root = unite(this.parent, root, id);
        }
      }
    }
  }

  /** Flags the local maxima of slice zz (in slices[1], numbers in ids[0]); `last`: no slice above. */
  private flagMaxima(zz: number, last = false): void {
    const { nx, ny } = this;
    const [under, mid, over] = this.slices as [Float32Array, Float32Array, Float32Array];
    const ids = this.ids[0]!;
    for (let y = 0, s = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, s++) {
        const k = ids[s]!;
        if (k === -1) continue;
        const v = mid[s]!;
        const a = Math.abs(v);
        let beaten = false;
        for (let dz = -1; dz <= 1 && !beaten; dz++) {
          if ((dz === -1 && zz === 0) || (dz === 1 && last)) continue;
          const plane = dz === -1 ? under : dz === 0 ? mid : over;
          for (let dy = -1; dy <= 1 && !beaten; dy++) {
            const yy = y + dy;
            if (yy < 0 || yy >= ny) continue;
            for (let dx = -1; dx <= 1; dx++) {
              const xx = x + dx;
              if ((dx | dy | dz) === 0 || xx < 0 || xx >= nx) continue;
              const w = plane[xx + yy * nx]!;
              // Same sign and finite; larger, or equal and earlier in x-fastest order.
              if (!(v > 0 ? w > 0 : w < 0) || w - w !== 0) continue;
              const u = Math.abs(w);
              if (u > a || (u === a && dz * nx * ny + dy * nx + dx < 0)) {
                beaten = true;
                break;
              }
            }
          }
        }
        if (!beaten) this.localMax[k] = 1;
      }
    }
  }

  private add(i: number, v: number): number {
    if (this.count === this.voxels.length) {
      this.voxels = grown(this.voxels, Int32Array);
      this.parent = grown(this.parent, Int32Array);
      this.values = grown(this.values, Float32Array);
      this.localMax = grown(this.localMax, Uint8Array);
    }
    const k = this.count++;
    this.voxels[k] = i;
    this.parent[k] = k;
    this.values[k] = v;
    return k;
  }
}
