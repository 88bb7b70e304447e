import type { BlockedGraph } from './mask-graph';

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
  /**
   * Per voxel, its union-find parent (as 2 x its voxel) and its level side by side at 2j, 2j + 1:
   * voxels are added in order of level, all over the volume, so what a neighbour check reads comes in
   * one cache line, and eight voxels share a line. A root's size and node sit apart (rootSize,
   * rootNode): there are few roots, and they stay in cache.
   */
  private readonly uf: Int32Array;
  private readonly rootSize: Int32Array;
  private readonly rootNode: Int32Array;
  private readonly nodeOf: Int32Array;
  private readonly byLevel: Int32Array;
  private readonly order: Int32Array;
  private readonly nodeLevel: Int32Array;
  private readonly nodeEnd: Int32Array;
  private readonly nodeSize: Int32Array;
  private readonly nodeRep: Int32Array;
  private readonly nodeParent: Int32Array;
  private readonly cum: Float64Array;
  private readonly touched: Int32Array;
  /** size^E by size, filled as sizes are met (the same float64 power each time), for `powersE`. */
  private powers: Float64Array;
  private powersE = NaN;

  constructor(voxels: number) {
    const a = (): Int32Array => new Int32Array(voxels);
    this.uf = new Int32Array(2 * voxels);
    this.rootSize = new Int32Array(voxels);
    this.rootNode = new Int32Array(voxels);
    [this.nodeOf, this.byLevel, this.order] = [a(), a(), a()];
    [this.nodeLevel, this.nodeEnd, this.nodeSize, this.nodeRep, this.nodeParent, this.touched] = [
      a(),
      a(),
      a(),
      a(),
      a(),
      a(),
    ];
    this.cum = new Float64Array(voxels);
    this.powers = new Float64Array(0);
  }

  /**
   * TFCE of sign * t (sign +1 or -1) at the voxels where it is >= step. With `out`, each such voxel's
   * value times sign is written there (others untouched); returns the largest value.
   */
  run(
    t: Float32Array,
    sign: 1 | -1,
    step: number,
    E: number,
    H: number,
    graph: BlockedGraph,
    out?: Float32Array,
  ): number {
    if (!(step > 0)) throw new RangeError(`the TFCE step must be above 0, not ${step}`);
    const { byLevel, order, uf, rootSize, rootNode } = this;
    const blocked = graph.order;
    if (blocked.length !== t.length)
      throw new RangeError(`a graph of ${blocked.length} voxels for a map of ${t.length}`);
    // Levels: k with k * step <= value, as a float64 product (the reference's h_k). Voxels here are
    // numbered in the graph's block order: j is the map's voxel blocked[j].
    const perStep = 1 / step;
    let n = 0;
    let top = 0;
    for (let j = 0; j < t.length; j++) {
      const v = sign * t[blocked[j]!]!;
      if (!(v >= step) || v === Infinity) {
        uf[(j << 1) + 1] = 0;
        continue;
      }
      // A product, not a division, then the exact test against k * step puts it right by one level.
      let k = Math.floor(v * perStep);
      if ((k + 1) * step <= v) k++;
      else if (k * step > v) k--;
      // In order of voxel, each voxel its own root before its level is reached: the tree's levels then
      // only link (a voxel below the level being added is never read: its level keeps it out).
      uf[j << 1] = j << 1;
      uf[(j << 1) + 1] = k;
      rootSize[j] = 1;
      rootNode[j] = -1;
      byLevel[n++] = j;
      if (k > top) top = k;
    }
    if (n === 0) return 0;
    if (top > MAX_LEVELS)
      throw new RangeError(`TFCE step ${step} gives ${top} levels under the map's largest value; give a larger step`);
    // Counting sort by level, highest first.
    const first = new Int32Array(top + 2);
    for (let s = 0; s < n; s++) first[top - uf[(byLevel[s]! << 1) + 1]! + 1]!++;
    for (let k = 1; k <= top + 1; k++) first[k]! += first[k - 1]!;
    const fill = first.slice(0, top + 1);
    for (let s = 0; s < n; s++) {
      const j = byLevel[s]!;
      order[fill[top - uf[(j << 1) + 1]!]!++] = j;
    }
    const hsum = new Float64Array(top + 1);
    for (let k = 1; k <= top; k++) hsum[k] = hsum[k - 1]! + (k * step) ** H;
    const nodes = this.tree(first, top, graph, out !== undefined);
    return this.sums(nodes, hsum, E, sign, n, blocked, out);
  }

  /** The component tree, level by level from the top: its nodes (level, size, parent, end) and, with `perVoxel`, each voxel's node. */
  private tree(first: Int32Array, top: number, graph: BlockedGraph, perVoxel: boolean): number {
    const { uf, rootSize, rootNode, order, nodeOf, nodeLevel, nodeEnd, nodeSize, nodeRep, nodeParent, touched } = this;
    const { start, nbrs } = graph;
    let nodes = 0;
    for (let k = top; k >= 1; k--) {
      const from = first[top - k]!;
      const to = first[top - k + 1]!;
      if (from === to) continue;
      let nTouched = 0;
      for (let s = from; s < to; s++) {
        const j = order[s]!;
        // j's root (as 2 x its voxel), followed as j's component merges, not found at each neighbour.
        let rj = find2(uf, j << 1);
        for (let e = start[j]!, end = start[j + 1]!; e < end; e++) {
          const i2 = nbrs[e]! << 1;
          // A neighbour of a level at or above k is in; level 0 is below the first (or not this map's).
          if (uf[i2 + 1]! < k || uf[i2] === rj) continue;
          const ri = find2(uf, i2);
          if (ri === rj) continue;
          // The nodes of the components this level merges end above it.
          const a = ri >> 1;
          const b = rj >> 1;
          const ni = rootNode[a]!;
          const nj = rootNode[b]!;
          if (ni !== -1) touched[nTouched++] = ni;
          if (nj !== -1) touched[nTouched++] = nj;
          if (rootSize[a]! >= rootSize[b]!) {
            uf[rj] = ri;
            rootSize[a]! += rootSize[b]!;
            rj = ri;
            rootNode[a] = -1;
          } else {
            uf[ri] = rj;
            rootSize[b]! += rootSize[a]!;
            rootNode[b] = -1;
          }
        }
      }
      for (let s = from; s < to; s++) {
        const j = order[s]!;
        const r = find2(uf, j << 1) >> 1;
        let node = rootNode[r]!;
        if (node === -1) {
          node = nodes++;
          nodeLevel[node] = k;
          nodeSize[node] = rootSize[r]!;
          nodeRep[node] = r << 1;
          nodeParent[node] = -1;
          rootNode[r] = node;
        }
        if (perVoxel) nodeOf[j] = node;
      }
      // A component that only grew (no merge) had its node replaced at its root too.
      for (let s = 0; s < nTouched; s++) {
        const m = touched[s]!;
        nodeParent[m] = rootNode[find2(uf, nodeRep[m]!) >> 1]!;
        nodeEnd[m] = k + 1;
      }
    }
    return nodes;
  }

  /** Each node's TFCE from the root down (a node's own levels plus its parent's sum); the largest, and with `out` each voxel's. */
  private sums(
    nodes: number,
    hsum: Float64Array,
    E: number,
    sign: 1 | -1,
    n: number,
    blocked: Int32Array,
    out?: Float32Array,
  ): number {
    const { nodeLevel, nodeEnd, nodeSize, nodeParent, cum, order, nodeOf } = this;
    if (this.powersE !== E || this.powers.length < this.cum.length + 1) {
      this.powers = new Float64Array(this.cum.length + 1).fill(NaN);
      this.powersE = E;
    }
    const powers = this.powers;
    let best = 0;
    for (let m = nodes - 1; m >= 0; m--) {
      const up = nodeParent[m]!;
      const end = up === -1 ? 1 : nodeEnd[m]!;
      const size = nodeSize[m]!;
      let p = powers[size]!;
      if (Number.isNaN(p)) p = powers[size] = size ** E;
      const own = p * (hsum[nodeLevel[m]!]! - hsum[end - 1]!);
      const c = own + (up === -1 ? 0 : cum[up]!);
      cum[m] = c;
      if (c > best) best = c;
    }
    if (out) for (let s = 0; s < n; s++) out[blocked[order[s]!]!] = sign * cum[nodeOf[order[s]!]!]!;
    return best;
  }
}

/** The root of x in a two-field union-find (parent at x, x a multiple of 2), halving the path on the way (union-find.ts's findRoot, for this layout). */
function find2(uf: Int32Array, x: number): number {
  while (uf[x] !== x) {
    const up = uf[uf[x]!]!;
    uf[x] = up;
    x = up;
  }
  return x;
}
