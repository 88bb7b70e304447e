import type { Grid } from '../analysis/grid';
import type { SparseLabels } from '../analysis/sparse-labels';
import { invertAffine } from '../nifti/affine';

/** Where a cluster's number goes: pane `pane` (by position), at `mm` (world, on that pane's slice). */
export interface ClusterSpot {
  readonly index: number;
  readonly pane: number;
  readonly mm: [number, number, number];
}

/**
 * Where to number every cluster the figure shows: on the shown slice that cuts the most of its
 * voxels (the largest cross-section), at its largest |value| on that slice. A voxel shows on a slice
 * when the slice's plane samples it (the nearest voxel, as the panes draw the map). A cluster no
 * slice cuts is not drawn, so it gets no number.
 */
export function clusterSpots(
  map: Grid & { readonly data: Float32Array },
  labels: SparseLabels,
  slices: readonly number[],
  worldAxis: 0 | 1 | 2,
): ClusterSpot[] {
  const a = map.affine;
  const inv = invertAffine(a);
  const [nx, ny] = map.dims;
  // Per cluster and pane: voxels cut, and the largest |value| there with its place.
  const best = new Map<number, { count: number[]; top: number[]; at: [number, number, number][] }>();
  for (let k = 0; k < labels.voxels.length; k++) {
    const i = labels.voxels[k]!;
    const v = [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))] as const;
    const mm = [0, 1, 2].map((r) => a[4 * r]! * v[0] + a[4 * r + 1]! * v[1] + a[4 * r + 2]! * v[2] + a[4 * r + 3]!);
    const c = labels.index[k]!;
    let entry = best.get(c);
    slices.forEach((s, p) => {
      const q = [...mm];
      q[worldAxis] = s;
      // The voxel this slice's plane samples at the voxel's in-plane place: the voxel itself when it shows there.
      const back = [0, 1, 2].map((r) =>
        Math.round(inv[4 * r]! * q[0]! + inv[4 * r + 1]! * q[1]! + inv[4 * r + 2]! * q[2]! + inv[4 * r + 3]!),
      );
      if (back[0] !== v[0] || back[1] !== v[1] || back[2] !== v[2]) return;
      entry ??= { count: slices.map(() => 0), top: slices.map(() => -1), at: slices.map(() => [0, 0, 0]) };
      best.set(c, entry);
      entry.count[p]!++;
      const value = Math.abs(map.data[i]!);
      if (value > entry.top[p]!) {
        entry.top[p] = value;
        entry.at[p] = [q[0]!, q[1]!, q[2]!];
      }
    });
  }
  const spots: ClusterSpot[] = [];
  for (const [index, e] of best) {
    const pane = e.count.indexOf(Math.max(...e.count));
    spots.push({ index, pane, mm: e.at[pane]! });
  }
  return spots.sort((x, y) => x.index - y.index);
}
