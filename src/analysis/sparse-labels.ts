import type { ClusterTable } from './clusters';

/**
 * A label volume as the list of its labelled voxels: what the page keeps of it. Clusters
 * cover a few per cent of a map, so this is a small fraction of a volume-sized Int32Array.
 */
export interface SparseLabels {
  /** Voxels in the volume. */
  readonly size: number;
  /** Flat indices of the labelled voxels (in no particular order). */
  readonly voxels: Int32Array;
  /** Their cluster index (1 = largest). */
  readonly index: Int32Array;
}

/** A cluster table as it crosses to the page. */
export type SparseClusterTable = Omit<ClusterTable, 'labels'> & { readonly labels: SparseLabels };

export function denseLabels(s: SparseLabels): Int32Array {
  const out = new Int32Array(s.size);
  for (let k = 0; k < s.voxels.length; k++) out[s.voxels[k]!] = s.index[k]!;
  return out;
}
