import { voxelToMm } from '../nifti/affine';
import { unflat, type GridMap, type SizedGrid, type TableGrid } from './grid';

/** A local maximum of a map: its value, voxel and position in mm. */
export interface Peak {
  readonly value: number;
  readonly voxel: [number, number, number];
  readonly mm: [number, number, number];
}

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
  /**
   * The voxels given are already their clusters' local maxima (a 26-connected threshold index, or a
   * map read slice by slice, knows them), with their values where the map itself is not at hand.
   */
  | { readonly kind: 'maxima'; readonly values?: Float32Array };

/**
 * Local maxima of |value| within each cluster (26-neighbourhood, same cluster; equal values go to the
 * earlier voxel), strongest first, each at least minDistanceMm from the peak and from those kept.
 * `voxels` lists every voxel of the listed clusters (or, with member 'maxima', their local maxima),
 * with its cluster index in `clusters`.
 */
export function findSubpeaks(
  map: TableGrid,
  clusterCount: number,
  opts: SubpeakOptions,
  voxels: Int32Array,
  clusters: Int32Array,
  member: Membership,
): Peak[][] {
  const [nx, ny] = map.dims;
  // Candidates are positions in `voxels`.
  const candidates: number[][] = Array.from({ length: clusterCount }, () => []);
  if (opts.max <= 0 || clusterCount === 0) return candidates.map(() => []);
  const data = map.data;
  const given = member.kind === 'maxima' ? member.values : undefined;
  if (!given && !data) throw new Error('sub-peaks need the map, or the values of their candidates');
  const value = given ? (k: number) => given[k]! : (k: number) => data![voxels[k]!]!;
  const full = data && { ...map, data };
  for (let k = 0; k < voxels.length; k++) {
    const i = voxels[k]!;
    const c = clusters[k]!;
    if (i === opts.peaks[c - 1]) continue;
    if (member.kind === 'maxima' || examine(full!, member, i, c)) candidates[c - 1]!.push(k);
  }
  return candidates.map((list, c) => {
    list.sort((a, b) => Math.abs(value(b)) - Math.abs(value(a)) || voxels[a]! - voxels[b]!);
    const kept: [number, number, number][] = [mm(map, opts.peaks[c]!, nx, ny)];
    const out: Peak[] = [];
    for (const k of list) {
      if (out.length >= opts.max) break;
      const i = voxels[k]!;
      const p = mm(map, i, nx, ny);
      if (kept.every((q) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) >= opts.minDistanceMm)) {
        kept.push(p);
        out.push({ value: value(k), voxel: unflat(i, nx, ny), mm: p });
      }
    }
    return out;
  });
}

/** Whether no neighbour of voxel i in its cluster c beats it. */
function examine(map: GridMap<SizedGrid>, member: Membership, i: number, c: number): boolean {
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
        const xx = x + dx,
          yy = y + dy,
          zz = z + dz;
        if ((dx | dy | dz) === 0 || xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
        const j = xx + nx * (yy + ny * zz);
        const w = data[j]!;
        if (
          labels
            ? labels[j] !== c
            : listed
              ? clusterOf(listed, j) !== c
              : !(positive ? w >= t && w !== Infinity : w <= -t && w !== -Infinity)
        )
          continue;
        const u = Math.abs(w);
        if (u > v || (u === v && j < i)) return false;
      }
    }
  }
  return true;
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

function mm(map: TableGrid, i: number, nx: number, ny: number): [number, number, number] {
  return voxelToMm(map.affine, ...unflat(i, nx, ny));
}
