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

export function sparseLabels(labels: Int32Array): SparseLabels {
  let n = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] !== 0) n++;
  const voxels = new Int32Array(n);
  const index = new Int32Array(n);
  for (let i = 0, k = 0; i < labels.length; i++) {
    const c = labels[i]!;
    if (c === 0) continue;
    voxels[k] = i;
    index[k++] = c;
  }
  return { size: labels.length, voxels, index };
}

export function denseLabels(s: SparseLabels): Int32Array {
  const out = new Int32Array(s.size);
  for (let k = 0; k < s.voxels.length; k++) out[s.voxels[k]!] = s.index[k]!;
  return out;
}

export function sparseTable(t: ClusterTable): SparseClusterTable {
  return { ...t, labels: sparseLabels(t.labels) };
}
