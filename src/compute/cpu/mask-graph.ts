import type { Connectivity } from '../engine';
import { BACKWARD_NEIGHBOURS, connects } from '../neighbourhood';
import type { MaskGeometry } from '../permutation';

/**
 * The neighbours of each masked voxel among the masked voxels, numbered as the mask lists them
 * (compressed rows: the neighbours of j are nbrs[start[j]] .. nbrs[start[j + 1] - 1]). Permutations
 * label thousands of maps over the same mask: the volume's bounds and the mask are looked at once.
 */
export interface MaskGraph {
  readonly start: Int32Array;
  readonly nbrs: Int32Array;
}

/** Built once per geometry and connectivity; `both` adds the later neighbours too (TFCE adds voxels by level, not in index order). */
const graphs = new WeakMap<MaskGeometry, Map<string, MaskGraph>>();

export function maskGraph(geometry: MaskGeometry, connectivity: Connectivity, both: boolean): MaskGraph {
  let byRule = graphs.get(geometry);
  if (!byRule) graphs.set(geometry, (byRule = new Map()));
  const key = `${connectivity}${both ? 'b' : 'e'}`;
  let g = byRule.get(key);
  if (!g) byRule.set(key, (g = buildGraph(geometry, connectivity, both)));
  return g;
}

function buildGraph({ dims, voxelIndex }: MaskGeometry, connectivity: Connectivity, both: boolean): MaskGraph {
  const [nx, ny, nz] = dims;
  const size = nx * ny * nz;
  const m = voxelIndex.length;
  for (let j = 1; j < m; j++)
    if (!(voxelIndex[j]! > voxelIndex[j - 1]!)) throw new RangeError('the mask geometry lists its voxels out of order');
  if (m > 0 && voxelIndex[m - 1]! >= size) throw new RangeError('the mask geometry lists a voxel outside its volume');
  const back = BACKWARD_NEIGHBOURS.filter((o) => connects(o, connectivity));
  const offsets = both ? [...back, ...back.map(([dx, dy, dz]) => [-dx, -dy, -dz] as const)] : back;
  const rank = new Int32Array(size).fill(-1);
  for (let j = 0; j < m; j++) rank[voxelIndex[j]!] = j;
  const start = new Int32Array(m + 1);
  let nbrs = new Int32Array(Math.max(16, m * Math.min(offsets.length, 8)));
  let k = 0;
  const nxy = nx * ny;
  for (let j = 0; j < m; j++) {
    start[j] = k;
    const i = voxelIndex[j]!;
    const z = (i / nxy) | 0;
    const y = ((i - z * nxy) / nx) | 0;
    const x = i - z * nxy - y * nx;
    for (const [dx, dy, dz] of offsets) {
      const xx = x + dx,
        yy = y + dy,
        zz = z + dz;
      if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
      const r = rank[xx + yy * nx + zz * nxy]!;
      if (r < 0) continue;
      if (k === nbrs.length) {
        const grown = new Int32Array(nbrs.length * 2);
        grown.set(nbrs);
        nbrs = grown;
      }
      nbrs[k++] = r;
    }
  }
  start[m] = k;
  return { start, nbrs: nbrs.slice(0, k) };
}
