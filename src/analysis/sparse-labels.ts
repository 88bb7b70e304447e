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

export function denseLabels(s: SparseLabels): Int32Array {
  const out = new Int32Array(s.size);
  for (let k = 0; k < s.voxels.length; k++) out[s.voxels[k]!] = s.index[k]!;
  return out;
}

/**
 * The voxels with a cluster (index non-zero; with `only`, also flagged there), their clusters and,
 * given `values` (one per voxel), their values: a labelling's voxels as the table keeps them.
 */
export function listClustered(
  voxels: Int32Array,
  index: Int32Array,
  only?: Uint8Array,
  values?: Float32Array,
): { voxels: Int32Array; clusters: Int32Array; values: Float32Array } {
  let n = 0;
  for (let k = 0; k < index.length; k++) if (index[k] !== 0 && (!only || only[k] === 1)) n++;
  const listed = new Int32Array(n);
  const clusters = new Int32Array(n);
  const picked = new Float32Array(values ? n : 0);
  for (let k = 0, j = 0; k < index.length; k++) {
    if (index[k] === 0 || (only && only[k] !== 1)) continue;
    listed[j] = voxels[k]!;
    clusters[j] = index[k]!;
    if (values) picked[j] = values[k]!;
    j++;
  }
  return { voxels: listed, clusters, values: picked };
}
