import type { MaskGraph } from './mask-graph';
import { findRoot } from './union-find';

/** More levels than this (max t / step) is a step too small for the map, not a computation to run. */
const MAX_LEVELS = 10_000_000;

/**
 * Exact TFCE at levels h_k = k * step (Smith & Nichols 2009, FSL's sum without the dh factor) for
 * one sign of a map, from one pass over its voxels in order of level: a union-find adds the voxels
 * of each level, highest first, and each component tree node (a component over the levels where it
 * neither grows nor merges) is worth size^E * sum of h_k^H over those levels. A voxel's TFCE is the
 * sum of the nodes from the one it joined up to the root, so the cost is one labelling, not one per
 * level (a max-tree, as the threshold index builds; Najman & Couprie 2006).
 */
export class TfceScratch {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;
  private readonly stamp: Int32Array;
  private readonly nodeAt: Int32Array;
  private readonly nodeOf: Int32Array;
  private readonly level: Int32Array;
  private readonly byLevel: Int32Array;
  private readonly nodeLevel: Int32Array;
  private readonly nodeEnd: Int32Array;
  private readonly nodeSize: Int32Array;
  private readonly nodeRep: Int32Array;
  private readonly nodeParent: Int32Array;
  private readonly cum: Float64Array;
  private readonly touched: Int32Array;
  private epoch = 0;

  constructor(voxels: number) {
    const a = (): Int32Array => new Int32Array(voxels);
    [this.parent, this.size, this.stamp, this.nodeAt, this.nodeOf, this.level, this.byLevel] = [a(), a(), a(), a(), a(), a(), a()];
    [this.nodeLevel, this.nodeEnd, this.nodeSize, this.nodeRep, this.nodeParent, this.touched] = [a(), a(), a(), a(), a(), a()];
    this.cum = new Float64Array(voxels);
  }

  /**
   * TFCE of sign * t (sign +1 or -1) at the voxels where it is >= step. With `out`, each such voxel's
   * value times sign is written there (others untouched); returns the largest value.
   */
  run(t: Float32Array, sign: 1 | -1, step: number, E: number, H: number, graph: MaskGraph, out?: Float32Array): number {
    if (!(step > 0)) throw new RangeError(`the TFCE step must be above 0, not ${step}`);
    const { parent, size, stamp, nodeAt, nodeOf, nodeLevel, nodeEnd, nodeSize, nodeRep, nodeParent, cum, touched } = this;
    const ep = ++this.epoch;
    const sorted = this.sortByLevel(t, sign, step);
    if (!sorted) return 0;
    const { n, top, first, order } = sorted;
    const hsum = new Float64Array(top + 1);
    for (let k = 1; k <= top; k++) hsum[k] = hsum[k - 1]! + (k * step) ** H;
    const { start, nbrs } = graph;
    let nodes = 0;
    for (let k = top; k >= 1; k--) {
      const from = first[top - k]!;
      const to = first[top - k + 1]!;
      if (from === to) continue;
      let nTouched = 0;
      for (let s = from; s < to; s++) {
        const j = order[s]!;
        parent[j] = j;
        size[j] = 1;
        nodeAt[j] = -1;
        stamp[j] = ep;
      }
      for (let s = from; s < to; s++) {
        const j = order[s]!;
        for (let e = start[j]!, end = start[j + 1]!; e < end; e++) {
          const i = nbrs[e]!;
          if (stamp[i] !== ep) continue;
          const a = findRoot(parent, i);
          const b = findRoot(parent, j);
          if (a === b) continue;
          // The nodes of the components this level merges end above it.
          if (nodeAt[a] !== -1) touched[nTouched++] = nodeAt[a]!;
          if (nodeAt[b] !== -1) touched[nTouched++] = nodeAt[b]!;
          const [big, small] = size[a]! >= size[b]! ? [a, b] : [b, a];
          parent[small] = big;
          size[big]! += size[small]!;
          nodeAt[big] = -1;
        }
      }
      for (let s = from; s < to; s++) {
        const j = order[s]!;
        const r = findRoot(parent, j);
        if (nodeAt[r] === -1) {
          nodeLevel[nodes] = k;
          nodeSize[nodes] = size[r]!;
          nodeRep[nodes] = r;
          nodeParent[nodes] = -1;
          nodeAt[r] = nodes++;
        }
        nodeOf[j] = nodeAt[r]!;
      }
      // A component that only grew (no merge) had its node replaced at its root too.
      for (let s = 0; s < nTouched; s++) {
        const m = touched[s]!;
        nodeParent[m] = nodeAt[findRoot(parent, nodeRep[m]!)]!;
        nodeEnd[m] = k + 1;
      }
    }
    let best = 0;
    for (let m = nodes - 1; m >= 0; m--) {
      const end = nodeParent[m] === -1 ? 1 : nodeEnd[m]!;
      const own = nodeSize[m]! ** E * (hsum[nodeLevel[m]!]! - hsum[end - 1]!);
      const c = own + (nodeParent[m] === -1 ? 0 : cum[nodeParent[m]!]!);
      cum[m] = c;
      if (c > best) best = c;
    }
    if (out) for (let s = 0; s < n; s++) out[order[s]!] = sign * cum[nodeOf[order[s]!]!]!;
    return best;
  }

  /**
   * Each voxel's level (k with k * step <= sign * t, as a float64 product: the reference's h_k), and
   * the voxels at a level >= 1 in order of level, highest first (a counting sort): `order`, with level
   * k's voxels at first[top - k] .. first[top - k + 1]. Null when no voxel reaches the first level.
   */
  private sortByLevel(t: Float32Array, sign: 1 | -1, step: number): { n: number; top: number; first: Int32Array; order: Int32Array } | null {
    const { level, byLevel } = this;
    let n = 0;
    let top = 0;
    for (let j = 0; j < t.length; j++) {
      const v = sign * t[j]!;
      if (!(v >= step) || v === Infinity) continue;
      let k = Math.floor(v / step);
      if ((k + 1) * step <= v) k++;
      else if (k * step > v) k--;
      level[j] = k;
      byLevel[n++] = j;
      if (k > top) top = k;
    }
    if (n === 0) return null;
    if (top > MAX_LEVELS) throw new RangeError(`TFCE step ${step} gives ${top} levels under the map's largest value; give a larger step`);
    const first = new Int32Array(top + 2);
    for (let s = 0; s < n; s++) first[top - level[byLevel[s]!]! + 1]!++;
    for (let k = 1; k <= top + 1; k++) first[k]! += first[k - 1]!;
    const order = new Int32Array(n);
    const fill = first.slice(0, top + 1);
    for (let s = 0; s < n; s++) {
      const j = byLevel[s]!;
      order[fill[top - level[j]!]!++] = j;
    }
    return { n, top, first, order };
  }
}
