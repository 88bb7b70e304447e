import { voxelToMm } from '../nifti/affine';
import type { MapGrid, Peak } from './clusters';
import { unflat } from './grid';

interface SubpeakOptions {
  readonly minDistanceMm: number;
  readonly max: number;
  /** Each cluster's peak voxel (flat index), by cluster index - 1. */
  readonly peaks: readonly number[];
}

/**
 * Which 26-neighbours of a cluster voxel are in its cluster: a label volume tells, or the list of the
 * clusters' voxels (ascending, searched); with 26-connected clusters the threshold alone does (a
 * supra-threshold neighbour of the same sign is in the same component), so no volume-sized label
 * array is needed for them.
 */
export type Membership =
  | { readonly kind: 'labels'; readonly labels: Int32Array }
  | { readonly kind: 'listed'; readonly voxels: Int32Array; readonly clusters: Int32Array }
  | { readonly kind: 'threshold'; readonly threshold: number }
  /** The voxels given are already their clusters' local maxima (a 26-connected threshold index knows them). */
  | { readonly kind: 'maxima' };

/**
 * Local maxima of |value| within each cluster (26-neighbourhood, same cluster; equal values go to the
 * earlier voxel), strongest first, each at least minDistanceMm from the peak and from those kept.
 * `voxels` lists every voxel of the listed clusters, with its cluster index in `clusters`.
 */
export function findSubpeaks(map: MapGrid, clusterCount: number, opts: SubpeakOptions, voxels: Int32Array, clusters: Int32Array, member: Membership): Peak[][] {
  const [nx, ny] = map.dims;
  const candidates: number[][] = Array.from({ length: clusterCount }, () => []);
  if (opts.max <= 0 || clusterCount === 0) return candidates.map(() => []);
  for (let k = 0; k < voxels.length; k++) {
    const i = voxels[k]!;
    const c = clusters[k]!;
    if (member.kind === 'maxima') {
      if (i !== opts.peaks[c - 1]) candidates[c - 1]!.push(i);
    } else {
      examine(map, member, opts.peaks, i, c, candidates);
    }
  }
  const data = map.data;
  return candidates.map((list, k) => {
    list.sort((a, b) => Math.abs(data[b]!) - Math.abs(data[a]!) || a - b);
    const kept: [number, number, number][] = [mm(map, opts.peaks[k]!, nx, ny)];
    const out: Peak[] = [];
    for (const i of list) {
      if (out.length >= opts.max) break;
      const p = mm(map, i, nx, ny);
      if (kept.every((q) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) >= opts.minDistanceMm)) {
        kept.push(p);
        out.push({ value: data[i]!, voxel: unflat(i, nx, ny), mm: p });
      }
    }
    return out;
  });
}

/** Adds voxel i (of cluster c) to its cluster's candidates when no neighbour of the same cluster beats it. */
function examine(map: MapGrid, member: Membership, peaks: readonly number[], i: number, c: number, candidates: number[][]): void {
  if (i === peaks[c - 1]) return;
  const [nx, ny, nz] = map.dims;
  const data = map.data;
  const labels = member.kind === 'labels' ? member.labels : null;
  const listed = member.kind === 'listed' ? member : null;
  const t = member.kind === 'threshold' ? member.threshold : 0;
  const positive = data[i]! > 0;
  const x = i % nx;
  const y = Math.floor(i / nx) % ny;
  const z = Math.floor(i / (nx * ny));
  const v = Math.abs(data[i]!);
  for (let dz = -1; dz <= 1; dz++) {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx, yy = y + dy, zz = z + dz;
        if ((dx | dy | dz) === 0 || xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
        const j = xx + nx * (yy + ny * zz);
        const w = data[j]!;
        if (labels ? labels[j] !== c : listed ? clusterOf(listed, j) !== c : !(positive ? w >= t && w !== Infinity : w <= -t && w !== -Infinity)) continue;
        const u = Math.abs(w);
        if (u > v || (u === v && j < i)) return;
      }
    }
  }
  candidates[c - 1]!.push(i);
}

/** The cluster index of voxel j in an ascending list, or 0. */
function clusterOf(list: { readonly voxels: Int32Array; readonly clusters: Int32Array }, j: number): number {
  const v = list.voxels;
  let lo = 0;
  let hi = v.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = v[mid]!;
    if (x === j) return list.clusters[mid]!;
    if (x < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

function mm(map: MapGrid, i: number, nx: number, ny: number): [number, number, number] {
  return voxelToMm(map.affine, ...unflat(i, nx, ny));
}
