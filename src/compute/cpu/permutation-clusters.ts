import type { MaskGraph } from './mask-graph';

/**
 * The clusters of one permuted t-map at the masked voxels: union-find over the supra-threshold voxels
 * only, through the mask's earlier neighbours, with arrays reused from map to map (an epoch stamp,
 * not a clear, marks this map's supra-threshold voxels).
 */
export class ClusterScratch {
  private readonly parent: Int32Array;
  private readonly stamp: Int32Array;
  private readonly count: Int32Array;
  private readonly mass: Float64Array;
  private readonly supra: Int32Array;
  private epoch = 0;

  constructor(voxels: number) {
    this.parent = new Int32Array(voxels);
    this.stamp = new Int32Array(voxels);
    this.count = new Int32Array(voxels);
    this.mass = new Float64Array(voxels);
    this.supra = new Int32Array(voxels);
  }

  /**
   * The largest cluster's voxel count and the largest mass (sum of |t|) among the clusters of
   * t >= threshold and, two-sided, of t <= -threshold apart; 0 and 0 when no voxel passes.
   */
  maxima(t: Float32Array, threshold: number, twoSided: boolean, graph: MaskGraph): { extent: number; mass: number } {
    const u = Math.fround(threshold);
    const { parent, stamp, count, mass, supra } = this;
    const ep = ++this.epoch;
    let n = 0;
    for (let j = 0; j < t.length; j++) {
      const v = t[j]!;
      if (v >= u || (twoSided && v <= -u)) {
        supra[n++] = j;
        stamp[j] = ep;
        parent[j] = j;
        count[j] = 1;
        mass[j] = Math.abs(v);
      }
    }
    const { start, nbrs } = graph;
    for (let s = 0; s < n; s++) {
      const j = supra[s]!;
      const positive = t[j]! >= u;
      for (let k = start[j]!, end = start[j + 1]!; k < end; k++) {
        const i = nbrs[k]!;
        if (stamp[i] !== ep || (t[i]! >= u) !== positive) continue;
        const a = find(parent, i);
        const b = find(parent, j);
        if (a === b) continue;
        if (a < b) parent[b] = a;
        else parent[a] = b;
      }
    }
    let extent = 0;
    let most = 0;
    for (let s = 0; s < n; s++) {
      const j = supra[s]!;
      const r = find(parent, j);
      if (r === j) continue;
      count[r] += 1;
      mass[r] += mass[j]!;
    }
    for (let s = 0; s < n; s++) {
      const j = supra[s]!;
      if (parent[j] !== j) continue;
      if (count[j]! > extent) extent = count[j]!;
      if (mass[j]! > most) most = mass[j]!;
    }
    return { extent, mass: most };
  }
}

/** The root of x, halving the path on the way. */
export function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    const up = parent[parent[x]!]!;
    parent[x] = up;
    x = up;
  }
  return x;
}
