import type { Connectivity } from '../engine';
import { BACKWARD_NEIGHBOURS, connects } from '../neighbourhood';
import type { MaskGeometry } from '../permutation';

/**
 * The neighbours of each masked voxel among the masked voxels (compressed rows: the neighbours of
 * voxel j are nbrs[start[j]] .. nbrs[start[j + 1] - 1]). Permutations run TFCE on thousands of maps
 * over the same mask: the volume's bounds and the mask are looked at once.
 */
export interface MaskGraph {
  readonly start: Int32Array;
  readonly nbrs: Int32Array;
}

/**
 * The neighbours of each masked voxel, both earlier and later, numbered in blocks of
 * TFCE_BLOCK^3 voxels (`order[b]` is the mask's number of block-ordered voxel b). TFCE adds voxels by
 * level, all over the volume, and reads each one's neighbours: numbered by blocks, a voxel's face
 * neighbours mostly share its cache lines and pages, where in the mask's order those in the next row
 * and slice lie hundreds and thousands of voxels away (a TFCE pass 12-18% faster here).
 */
export interface BlockedGraph extends MaskGraph {
  readonly order: Int32Array;
}

/** Voxels a side of a block of BlockedGraph's order: 2^3 voxels' union-find records fill a 64-byte cache line. */
export const TFCE_BLOCK = 2;

/** Built once per geometry and connectivity. */
const graphs = new WeakMap<MaskGeometry, Map<Connectivity, BlockedGraph>>();

function cached(geometry: MaskGeometry, key: Connectivity, build: () => BlockedGraph): BlockedGraph {
  let byRule = graphs.get(geometry);
  if (!byRule) graphs.set(geometry, (byRule = new Map()));
  let g = byRule.get(key);
  if (!g) byRule.set(key, (g = build()));
  return g;
}

/** Where a graph's arrays are made, when one is built: plain by default; the command's threads share theirs. */
export type IntAlloc = (length: number) => Int32Array;
const plain: IntAlloc = (n) => new Int32Array(n);

/** Each voxel's neighbours on both sides, in blocks (TFCE). */
export function blockedGraph(geometry: MaskGeometry, connectivity: Connectivity, alloc = plain): BlockedGraph {
  return cached(geometry, connectivity, () => {
    const order = blockOrder(geometry, alloc);
    return { ...buildGraph(geometry, connectivity, order, alloc), order };
  });
}

/** The mask's voxels in blocks of TFCE_BLOCK^3, blocks and the voxels within each in x-fastest order. */
function blockOrder({ dims, voxelIndex }: MaskGeometry, alloc: IntAlloc): Int32Array {
  const [nx, ny, nz] = dims;
  const B = TFCE_BLOCK;
  const [bx, by, bz] = [Math.ceil(nx / B), Math.ceil(ny / B), Math.ceil(nz / B)];
  // Each voxel's place in the padded volume of blocks is its own: a scatter, then the occupied places in order.
  const slot = new Int32Array(bx * by * bz * B * B * B).fill(-1);
  const nxy = nx * ny;
  for (let j = 0; j < voxelIndex.length; j++) {
    const i = voxelIndex[j]!;
    const z = (i / nxy) | 0;
    const y = ((i - z * nxy) / nx) | 0;
    const x = i - z * nxy - y * nx;
    const block = (((z / B) | 0) * by + ((y / B) | 0)) * bx + ((x / B) | 0);
    slot[block * B * B * B + ((z % B) * B + (y % B)) * B + (x % B)] = j;
  }
  const order = alloc(voxelIndex.length);
  let b = 0;
  for (let s = 0; s < slot.length; s++) if (slot[s]! >= 0) order[b++] = slot[s]!;
  return order;
}

/**
 * Hands this thread's cache a graph another thread built for the same mask (the command's threads
 * share the main thread's, in shared memory, rather than each building its own).
 */
export function adoptGraph(geometry: MaskGeometry, connectivity: Connectivity, graph: BlockedGraph): void {
  cached(geometry, connectivity, () => graph);
}

/** Both sides' neighbours, the voxels numbered by `order`. */
function buildGraph(
  { dims, voxelIndex }: MaskGeometry,
  connectivity: Connectivity,
  order: Int32Array,
  alloc: IntAlloc,
): MaskGraph {
  const [nx, ny, nz] = dims;
  const size = nx * ny * nz;
  const m = voxelIndex.length;
  for (let j = 1; j < m; j++)
    if (!(voxelIndex[j]! > voxelIndex[j - 1]!)) throw new RangeError('the mask geometry lists its voxels out of order');
  if (m > 0 && voxelIndex[m - 1]! >= size) throw new RangeError('the mask geometry lists a voxel outside its volume');
  const back = BACKWARD_NEIGHBOURS.filter((o) => connects(o, connectivity));
  const offsets = [...back, ...back.map(([dx, dy, dz]) => [-dx, -dy, -dz] as const)];
  const K = offsets.length;
  const nxy = nx * ny;
  // Flat offsets: a voxel away from every face needs no bounds test, only its neighbours' linear offsets.
  const d = Int32Array.from(offsets.flat());
  const lin = Int32Array.from(offsets, ([dx, dy, dz]) => dx + dy * nx + dz * nxy);
  const rank = new Int32Array(size).fill(-1);
  for (let j = 0; j < m; j++) rank[voxelIndex[order[j]!]!] = j;
  const start = alloc(m + 1);
  // Room for every neighbour; the unused tail (voxels at the mask's edge) is left, not copied away.
  const nbrs = alloc(m * K);
  let k = 0;
  for (let j = 0; j < m; j++) {
    start[j] = k;
    const i = voxelIndex[order[j]!]!;
    const z = (i / nxy) | 0;
    const y = ((i - z * nxy) / nx) | 0;
    const x = i - z * nxy - y * nx;
    const inside = x > 0 && y > 0 && z > 0 && x < nx - 1 && y < ny - 1 && z < nz - 1;
    for (let o = 0; o < K; o++) {
      if (!inside) {
        const xx = x + d[3 * o]!;
        const yy = y + d[3 * o + 1]!;
        const zz = z + d[3 * o + 2]!;
        if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
      }
      const r = rank[i + lin[o]!]!;
      if (r >= 0) nbrs[k++] = r;
    }
  }
  start[m] = k;
  return { start, nbrs: nbrs.subarray(0, k) };
}
