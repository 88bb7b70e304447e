import type { MaskGraph } from './mask-graph';
import { findRoot } from './union-find';

/**
 * The clusters of one permuted t-map at the masked voxels: union-find over the supra-threshold voxels
 * only, through the mask's earlier neighbours, with arrays reused from map to map. A map's
 * supra-threshold voxels are handed in with `add` (in ascending order); the stamp of each is +epoch
 * (positive) or -epoch (negative), so a neighbour joins when its stamp is the same, and nothing is cleared.
 */
export class ClusterScratch {
  private readonly parent: Int32Array;
  private readonly stamp: Int32Array;
  private readonly count: Int32Array;
  private readonly mass: Float64Array;
  private readonly supra: Int32Array;
  private n = 0;
  private epoch = 0;

  constructor(voxels: number) {
    this.parent = new Int32Array(voxels);
    this.stamp = new Int32Array(voxels);
    this.count = new Int32Array(voxels);
    this.mass = new Float64Array(voxels);
    this.supra = new Int32Array(voxels);
  }

  begin(): void {
    this.epoch++;
    this.n = 0;
  }

  /** Voxel j passes with value t (t >= threshold, or t <= -threshold two-sided). */
  add(j: number, t: number): void {
    this.supra[this.n++] = j;
    this.stamp[j] = t > 0 ? this.epoch : -this.epoch;
    this.parent[j] = j;
    this.count[j] = 1;
    this.mass[j] = Math.abs(t);
  }

  /** Every supra-threshold voxel of a whole t-map. */
  addMap(t: Float32Array, threshold: number, twoSided: boolean): void {
    const u = Math.fround(threshold);
    for (let j = 0; j < t.length; j++) {
      const v = t[j]!;
      if (v >= u || (twoSided && v <= -u)) this.add(j, v);
    }
  }

  /** Every supra-threshold voxel of the mirror of a one-sided t-map (-t >= threshold), as the mirror's own t. */
  addMirror(t: Float32Array, threshold: number): void {
    const u = Math.fround(threshold);
    for (let j = 0; j < t.length; j++) {
      const v = -t[j]!;
      if (v >= u) this.add(j, v);
    }
  }

  /** The largest cluster's voxel count and the largest mass (sum of |t|); 0 and 0 when no voxel passed. */
  finish(graph: MaskGraph): { extent: number; mass: number } {
    const { parent, stamp, count, mass, supra, n } = this;
    const { start, nbrs } = graph;
    for (let s = 0; s < n; s++) {
      const j = supra[s]!;
      const sj = stamp[j]!;
      // j comes after every voxel linked so far, so it is still its own root: follow its root as it
      // merges rather than finding it again at each neighbour. Roots stay each cluster's first voxel.
      let rj = j;
      for (let k = start[j]!, end = start[j + 1]!; k < end; k++) {
        const i = nbrs[k]!;
        // A neighbour hanging straight from j's root (the usual case inside a cluster) needs no find.
        if (stamp[i] !== sj || parent[i] === rj) continue;
        const ri = findRoot(parent, i);
        if (ri === rj) continue;
        if (ri < rj) {
          parent[rj] = ri;
          rj = ri;
        } else parent[ri] = rj;
      }
    }
    // Roots come first in `supra` (each is its cluster's lowest voxel), so a root is met before any
    // of its voxels is counted in: sizes and masses only grow, and the largest met is the largest final.
    let extent = 0;
    let most = 0;
    for (let s = 0; s < n; s++) {
      const j = supra[s]!;
      const r = findRoot(parent, j);
      if (r !== j) {
        count[r]! += 1;
        mass[r]! += mass[j]!;
      }
      if (count[r]! > extent) extent = count[r]!;
      if (mass[r]! > most) most = mass[r]!;
    }
    return { extent, mass: most };
  }
}
