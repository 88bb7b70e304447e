import { SliceUnion } from '../compute/cpu/slice-union';
import { grown, INITIAL_LIST_CAPACITY } from '../compute/cpu/union-find';
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
  /** Finite non-zero voxels (the search volume when a DLH is given without one); null when not counted. */
  readonly maskVoxels: number | null;
}

/**
 * 26-connected labelling of a map that arrives one z-slice at a time, holding three slices of values
 * and two of voxel numbers, never the map: `labelSupraVoxels`' union-find (a `SliceUnion`, so the same
 * roots), with the values, local maxima and mask size a table needs gathered on the way.
 */
export class SliceLabeller {
  private readonly nx: number;
  private readonly ny: number;
  private readonly nz: number;
  private readonly union: SliceUnion;
  /** Values of slices z-2, z-1 and z, rotated as slices arrive. */
  private slices: [Float32Array, Float32Array, Float32Array];
  private values = new Float32Array(INITIAL_LIST_CAPACITY);
  private localMax = new Uint8Array(INITIAL_LIST_CAPACITY);
  private maskVoxels = 0;

  /** `countMask`: also count the finite non-zero voxels (a pass over every voxel, so only when asked). */
  constructor(
    dims: readonly [number, number, number],
    threshold: number,
    twoSided: boolean,
    private readonly countMask = true,
  ) {
    [this.nx, this.ny, this.nz] = dims;
    this.union = new SliceUnion(dims, threshold, twoSided, 26);
    const nxy = this.nx * this.ny;
    this.slices = [new Float32Array(nxy), new Float32Array(nxy), new Float32Array(nxy)];
    // Assigned twice, as SliceUnion's lists: V8 keeps the optimised code when they grow.
    this.values = new Float32Array(INITIAL_LIST_CAPACITY);
    this.localMax = new Uint8Array(INITIAL_LIST_CAPACITY);
  }

  /** The next z-slice (x fastest); the array is copied, so the caller may reuse it. */
  push(slice: Float32Array): void {
    const u = this.union;
    const z = u.z;
    if (z >= this.nz) throw new RangeError(`the map has ${this.nz} slices`);
    const [a, b, c] = this.slices;
    this.slices = [b, c, a];
    a.set(slice);
    if (this.countMask) {
      for (let s = 0; s < a.length; s++) {
        const v = a[s]!;
        if (v !== 0 && v - v === 0) this.maskVoxels++;
      }
    }
    const first = u.count;
    u.label(a, c);
    this.keepValues(first, a, z);
    // Slice z-1's local maxima, now that the slice above it is in.
    if (z > 0) this.flagMaxima(z - 1, false);
  }

  finish(): SliceLabelling {
    const u = this.union;
    if (u.z !== this.nz) throw new RangeError(`${u.z} of ${this.nz} slices arrived`);
    // The last slice has no slice above it: shift it into the middle.
    const [, b, c] = this.slices;
    this.slices = [b, c, c];
    this.flagMaxima(this.nz - 1, true);
    const n = u.count;
    return {
      ...u.finish(),
      values: this.values.slice(0, n),
      localMax: this.localMax.slice(0, n),
      maskVoxels: this.countMask ? this.maskVoxels : null,
    };
  }

  /** The values of the voxels numbered from `first` on, all in slice z. */
  private keepValues(first: number, slice: Float32Array, z: number): void {
    const u = this.union;
    while (this.values.length < u.count) {
      this.values = grown(this.values, Float32Array);
      this.localMax = grown(this.localMax, Uint8Array);
    }
    const base = z * this.nx * this.ny;
    for (let k = first; k < u.count; k++) this.values[k] = slice[u.voxels[k]! - base]!;
  }

  /** Flags the local maxima of slice zz (in slices[1]), visiting its supra-threshold voxels only; `last`: no slice above. */
  private flagMaxima(zz: number, last: boolean): void {
    const { nx, ny } = this;
    const [under, mid, over] = this.slices;
    const u = this.union;
    const base = zz * nx * ny;
    for (let k = u.sliceStart(zz), end = u.sliceStart(zz + 1); k < end; k++) {
      const s = u.voxels[k]! - base;
      const y = (s / nx) | 0;
      const x = s - y * nx;
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
            const b = Math.abs(w);
            if (b > a || (b === a && dz * nx * ny + dy * nx + dx < 0)) {
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
