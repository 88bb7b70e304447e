import { checkMaskVoxels } from '../permutation';
import type { Connectivity } from '../engine';
import { BACKWARD_NEIGHBOURS, connects } from '../neighbourhood';
import type { MaskGeometry } from '../permutation';

/** No neighbour there (outside the volume or the mask); NONE in shaders/lib/perm-labels.wgsl. */
export const NO_NEIGHBOUR = 0xffffffff;

/**
 * Each masked voxel's masked neighbours, as masked indices: `stride` slots a voxel, the `backward`
 * earlier ones (x-fastest order) first, then the same offsets mirrored (the later ones). The
 * per-permutation labelling runs in the mask's index space with this table, so a batch of t-maps
 * never has to be scattered into the volume.
 */
export interface NeighbourTable {
  readonly table: Uint32Array;
  readonly stride: number;
  readonly backward: number;
}

/** Checks the geometry once: indices inside the volume and strictly ascending (the contract). */
export function checkGeometry(geometry: MaskGeometry, voxels: number): void {
  const [nx, ny, nz] = geometry.dims;
  const total = nx * ny * nz;
  const idx = geometry.voxelIndex;
  checkMaskVoxels(geometry, voxels);
  for (let v = 0; v < idx.length; v++) {
    if (idx[v]! >= total) throw new Error(`mask voxel ${v} (index ${idx[v]}) is outside the ${nx}x${ny}x${nz} volume`);
    if (v > 0 && idx[v]! <= idx[v - 1]!) throw new Error(`the mask's voxel indices must ascend (voxel ${v})`);
  }
}

export function maskNeighbours(geometry: MaskGeometry, connectivity: Connectivity): NeighbourTable {
  const [nx, ny, nz] = geometry.dims;
  const idx = geometry.voxelIndex;
  const offsets = BACKWARD_NEIGHBOURS.filter((o) => connects(o, connectivity));
  const backward = offsets.length;
  const stride = 2 * backward;
  // Volume index -> masked index (NO_NEIGHBOUR outside the mask): one volume-sized array, once.
  const inMask = new Uint32Array(nx * ny * nz).fill(NO_NEIGHBOUR);
  for (let v = 0; v < idx.length; v++) inMask[idx[v]!] = v;
  const table = new Uint32Array(idx.length * stride).fill(NO_NEIGHBOUR);
  for (let v = 0; v < idx.length; v++) {
    const f = idx[v]!;
    const x = f % nx;
    const y = Math.floor(f / nx) % ny;
    const z = Math.floor(f / (nx * ny));
    for (let k = 0; k < backward; k++) {
      const [dx, dy, dz] = offsets[k]!;
      for (const [slot, s] of [
        [k, 1],
        [backward + k, -1],
      ] as const) {
        const xx = x + s * dx;
        const yy = y + s * dy;
        const zz = z + s * dz;
        if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
        table[v * stride + slot] = inMask[xx + nx * (yy + ny * zz)]!;
      }
    }
  }
  return { table, stride, backward };
}
