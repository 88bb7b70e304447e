import type { Connectivity } from '../compute/engine';
import { findRoot } from '../compute/cpu/union-find';
import { connects } from '../compute/neighbourhood';
import {
  assembleTable,
  type ClusterOptions,
  type ClusterTable,
  type Component,
  type Labelled,
  type SparseClusterTable,
} from './clusters';
import type { GridMap, SizedGrid } from './grid';
import { denseLabels, listClustered } from './sparse-labels';

/**
 * The clusters of one map at every threshold at once: a component tree (max-tree) of its voxels with
 * |value| >= floor, built by union-find in order of decreasing |value| (Najman & Couprie 2006; Berger
 * et al. 2007), joining only neighbours of the same sign. The clusters at a threshold t >= floor are
 * the subtrees whose root is >= t and whose parent is below it, so a threshold slider costs time in
 * proportion to the voxels above t, not to the volume, and needs no new labelling.
 *
 * Tables equal `clusterTable` voxel for voxel (tests/unit/cluster-index.test.ts).
 */
export class ClusterIndex {
  private constructor(
    readonly map: GridMap<SizedGrid>,
    readonly floor: number,
    readonly connectivity: Connectivity,
    /** Voxels with |value| >= floor (finite), by |value| descending, ties by flat index ascending. */
    private readonly order: Int32Array,
    /** |value| at each position of `order` (float32, as compared with the threshold). */
    private readonly absAt: Float32Array,
    /** Tree parent of each position (a later position), or itself at a root. */
    private readonly parent: Int32Array,
    /** Subtree sums per position: count; sum v, v*x, v*y, v*z; the smallest position (the peak). */
    private readonly count: Int32Array,
    private readonly sums: Float64Array,
    private readonly peakPos: Int32Array,
    /**
     * 26-connected indexes only: 1 where a voxel has no 26-neighbour of its sign that beats it (larger
     * |value|, or equal and earlier). Within any 26-connected cluster that holds it such a voxel is a
     * local maximum, whatever the threshold, so a table's sub-peak candidates are read, not searched.
     */
    private readonly localMax: Uint8Array | null,
  ) {}

  /** The index's arrays, to send to another thread (transfer their buffers: nothing map-sized). */
  parts(): IndexParts {
    const { floor, connectivity, order, absAt, parent, count, sums, peakPos, localMax } = this;
    return { floor, connectivity, order, absAt, parent, count, sums, peakPos, localMax };
  }

  /** An index from another thread's parts, over that thread's copy of the same map. */
  static fromParts(map: GridMap<SizedGrid>, p: IndexParts): ClusterIndex {
    const n = p.order.length;
    const localMaxFits = p.connectivity === 26 ? p.localMax?.length === n : p.localMax === null;
    if (
      [p.absAt, p.parent, p.count, p.peakPos].some((a) => a.length !== n) ||
      p.sums.length !== 4 * n ||
      n > map.data.length ||
      !localMaxFits
    ) {
      throw new RangeError('These index parts do not fit together or do not fit this map.');
    }
    return new ClusterIndex(
      map,
      p.floor,
      p.connectivity,
      p.order,
      p.absAt,
      p.parent,
      p.count,
      p.sums,
      p.peakPos,
      p.localMax,
    );
  }

  /** How many voxels a table at this threshold visits (the cost of a query). */
  voxelsAbove(threshold: number): number {
    return prefixAtLeast(this.absAt, Math.fround(threshold));
  }

  /**
   * The index for thresholds >= floor (floor > 0: a zero threshold has no sign to split clusters by).
   * The long loops await `pause` every few milliseconds, so a worker building one stays responsive.
   */
  static async build(
    map: GridMap<SizedGrid>,
    floor: number,
    connectivity: Connectivity,
    pause: Pause = noPause,
  ): Promise<ClusterIndex> {
    if (!(floor > 0)) throw new RangeError(`The threshold index needs a positive floor, not ${floor}.`);
    const data = map.data;
    const f = Math.fround(floor);
    let n = 0;
    for (let i = 0; i < data.length; i++) {
      const a = Math.abs(data[i]!);
      if (a >= f && a !== Infinity) n++;
    }
    const voxels = new Int32Array(n);
    for (let i = 0, k = 0; i < data.length; i++) {
      const a = Math.abs(data[i]!);
      if (a >= f && a !== Infinity) voxels[k++] = i;
    }
    const order = sortByAbsDescending(data, voxels);
    const absAt = new Float32Array(n);
    for (let k = 0; k < n; k++) absAt[k] = Math.abs(data[order[k]!]!);
    const { parent, localMax } = await buildTree(map, order, connectivity, pause);
    const { count, sums, peakPos } = await accumulate(map, order, parent, pause);
    return new ClusterIndex(map, floor, connectivity, order, absAt, parent, count, sums, peakPos, localMax);
  }

  /** Whether this index answers these options (same connectivity, threshold at or above the floor). */
  covers(opts: Pick<ClusterOptions, 'threshold' | 'connectivity'>): boolean {
    return opts.connectivity === this.connectivity && Math.fround(opts.threshold) >= Math.fround(this.floor);
  }

  /** The cluster table at opts.threshold, equal to clusterTable's. */
  table(opts: ClusterOptions): ClusterTable {
    return this.query(opts, (voxels, rank) => {
      const { voxels: listed, clusters } = listClustered(voxels, rank);
      const labels = denseLabels({ size: this.map.data.length, voxels: listed, index: clusters });
      return this.localMax
        ? { labels, ...this.maxima(voxels, rank) }
        : { labels, voxels: listed, clusters, member: { kind: 'labels', labels } };
    });
  }

  /**
   * The same table with its labels as the labelled voxels, what the page keeps. With 26-connected
   * clusters no label volume is made at all (sub-peaks tell membership from the threshold); with 6
   * or 18 one lives for the query only.
   */
  sparseTable(opts: ClusterOptions): SparseClusterTable {
    const size = this.map.data.length;
    return this.query(opts, (voxels, rank) => {
      const { voxels: listed, clusters } = listClustered(voxels, rank);
      const labels = { size, voxels: listed, index: clusters };
      if (this.localMax) return { labels, ...this.maxima(voxels, rank) };
      return { labels, voxels: listed, clusters, member: { kind: 'labels', labels: denseLabels(labels) } };
    });
  }

  /** The labelled voxels that are local maxima (26-connected indexes), as sub-peak candidates. */
  private maxima(voxels: Int32Array, rank: Int32Array): Omit<Labelled<never>, 'labels'> {
    const { voxels: listed, clusters } = listClustered(voxels, rank, this.localMax!);
    return { voxels: listed, clusters, member: { kind: 'maxima' } };
  }

  /**
   * The table at opts.threshold. `label` gets the voxels above the threshold and each one's cluster
   * index (0: dropped by the extent, or of the other sign in a one-sided table).
   */
  private query<L>(
    opts: ClusterOptions,
    label: (voxels: Int32Array, rank: Int32Array) => Labelled<L>,
  ): Omit<ClusterTable, 'labels'> & { readonly labels: L } {
    if (!this.covers(opts))
      throw new RangeError(`This index answers ${this.connectivity}-connectivity at thresholds >= ${this.floor}.`);
    const t = Math.fround(opts.threshold);
    const { order, absAt, parent, count, sums, peakPos } = this;
    const data = this.map.data;
    const above = prefixAtLeast(absAt, t);
    // Roots of clusters: at or above t, with the parent (if any) below it.
    const roots: number[] = [];
    const comps: Component[] = [];
    for (let k = 0; k < above; k++) {
      const p = parent[k]!;
      if (p !== k && p < above) continue;
      const v = data[order[k]!]!;
      if (v < 0 && !opts.twoSided) continue;
      const peak = order[peakPos[k]!]!;
      roots.push(k);
      comps.push({
        sign: v > 0 ? 1 : -1,
        count: count[k]!,
        sum: sums[4 * k]!,
        sx: sums[4 * k + 1]!,
        sy: sums[4 * k + 2]!,
        sz: sums[4 * k + 3]!,
        peakAbs: Math.abs(data[peak]!),
        peakIdx: peak,
      });
    }
    return assembleTable(this.map, opts, comps, 'threshold index (CPU)', (indexOf) => {
      const rank = new Int32Array(above);
      roots.forEach((k, c) => (rank[k] = indexOf[c]!));
      // Parents come later in `order`: walking backwards, a voxel's parent already has its cluster.
      for (let k = above - 1; k >= 0; k--) {
        const p = parent[k]!;
        if (p !== k && p < above) rank[k] = rank[p]!;
      }
      return label(order.subarray(0, above), rank);
    });
  }
}

/** A ClusterIndex as plain data (typed arrays), for postMessage. */
export interface IndexParts {
  readonly floor: number;
  readonly connectivity: Connectivity;
  readonly order: Int32Array;
  readonly absAt: Float32Array;
  readonly parent: Int32Array;
  readonly count: Int32Array;
  readonly sums: Float64Array;
  readonly peakPos: Int32Array;
  /** 26-connectivity only (null otherwise). */
  readonly localMax: Uint8Array | null;
}

/** Awaited now and then by the long loops of a build (a worker yields to its messages there). */
export type Pause = () => Promise<void>;
const noPause: Pause = () => Promise.resolve();
/** How long a build runs between pauses. */
const SLICE_MS = 8;

/** A clock for the loops: true when a slice is used up (checked every 4096 steps). */
function sliceTimer(): (step: number) => boolean {
  let start = performance.now();
  return (step) => {
    if ((step & 4095) !== 0 || performance.now() - start < SLICE_MS) return false;
    start = performance.now();
    return true;
  };
}

/** Subtree sums, children into parents (a child always comes before its parent in `order`). */
async function accumulate(
  map: GridMap<SizedGrid>,
  order: Int32Array,
  parent: Int32Array,
  pause: Pause,
): Promise<{ count: Int32Array; sums: Float64Array; peakPos: Int32Array }> {
  const n = order.length;
  const count = new Int32Array(n);
  const sums = new Float64Array(4 * n);
  const peakPos = new Int32Array(n);
  const data = map.data;
  const [nx, ny] = map.dims;
  const nxy = nx * ny;
  const due = sliceTimer();
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const v = data[i]!;
    const z = (i / nxy) | 0;
    const y = ((i - z * nxy) / nx) | 0;
    const x = i - z * nxy - y * nx;
    count[k] = 1;
    sums[4 * k] = v;
    sums[4 * k + 1] = v * x;
    sums[4 * k + 2] = v * y;
    sums[4 * k + 3] = v * z;
    peakPos[k] = k;
  }
  for (let k = 0; k < n; k++) {
    if (due(k)) await pause();
    const p = parent[k]!;
    if (p === k) continue;
    count[p]! += count[k]!;
    for (let s = 0; s < 4; s++) sums[4 * p + s]! += sums[4 * k + s]!;
    if (peakPos[k]! < peakPos[p]!) peakPos[p] = peakPos[k]!;
  }
  return { count, sums, peakPos };
}

/** How many leading entries of a descending array are >= t. */
function prefixAtLeast(desc: Float32Array, t: number): number {
  let lo = 0;
  let hi = desc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (desc[mid]! >= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Voxels by |value| descending, ties in the given (ascending) order: a stable LSD radix sort on the
 * float32 bits of |value|, which order like unsigned integers for non-negative floats.
 */
function sortByAbsDescending(data: Float32Array, voxels: Int32Array): Int32Array {
  const n = voxels.length;
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  let keys = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    f32[0] = Math.abs(data[voxels[k]!]!);
    keys[k] = ~u32[0]! >>> 0;
  }
  let vals = voxels.slice();
  let keys2 = new Uint32Array(n);
  let vals2 = new Int32Array(n);
  const counts = new Uint32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[(keys[k]! >>> shift) & 2047]!++;
    for (let b = 0, sum = 0; b < 2048; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const b = (keys[k]! >>> shift) & 2047;
      const dst = counts[b]!++;
      keys2[dst] = keys[k]!;
      vals2[dst] = vals[k]!;
    }
    [keys, keys2] = [keys2, keys];
    [vals, vals2] = [vals2, vals];
  }
  return vals;
}

/**
 * Union-find in `order`: each new voxel becomes the parent of the trees of its earlier same-sign
 * neighbours. With 26-connectivity those neighbours are exactly the ones that beat it, so a voxel
 * that has none is flagged a local maximum on the way.
 */
async function buildTree(
  map: GridMap<SizedGrid>,
  order: Int32Array,
  connectivity: Connectivity,
  pause: Pause,
): Promise<{ parent: Int32Array; localMax: Uint8Array | null }> {
  const [nx, ny, nz] = map.dims;
  const data = map.data;
  const n = order.length;
  const posOf = new Int32Array(data.length).fill(-1);
  for (let k = 0; k < n; k++) posOf[order[k]!] = k;
  const offsets: [number, number, number][] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++)
        if ((dx | dy | dz) !== 0 && connects([dx, dy, dz], connectivity)) offsets.push([dx, dy, dz]);
  // Flat typed arrays: the inner loop runs up to 26 times per voxel above the floor.
  const m = offsets.length;
  const dxs = Int32Array.from(offsets, (o) => o[0]);
  const dys = Int32Array.from(offsets, (o) => o[1]);
  const dzs = Int32Array.from(offsets, (o) => o[2]);
  const flat = Int32Array.from(offsets, ([dx, dy, dz]) => dx + nx * (dy + ny * dz));
  const nxy = nx * ny;
  const parent = new Int32Array(n);
  const zpar = new Int32Array(n);
  const localMax = connectivity === 26 ? new Uint8Array(n) : null;
  const due = sliceTimer();
  for (let k = 0; k < n; k++) {
    if (due(k)) await pause();
    const i = order[k]!;
    parent[k] = k;
    zpar[k] = k;
    const v = data[i]!;
    const positive = v > 0;
    const z = (i / nxy) | 0;
    const y = ((i - z * nxy) / nx) | 0;
    const x = i - z * nxy - y * nx;
    const interior = x > 0 && y > 0 && z > 0 && x < nx - 1 && y < ny - 1 && z < nz - 1;
    let beaten = false;
    for (let o = 0; o < m; o++) {
      if (!interior) {
        const xx = x + dxs[o]!,
          yy = y + dys[o]!,
          zz = z + dzs[o]!;
        if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
      }
      const j = i + flat[o]!;
      // Processed already: larger |value|, or equal and earlier (the order's tie rule), same sign.
      const u = data[j]!;
      if (positive ? !(u > v || (u === v && j < i)) : !(u < v || (u === v && j < i))) continue;
      const q = posOf[j]!;
      // Not in the index though it beats this voxel: infinite, never in a cluster.
      if (q < 0) continue;
      beaten = true;
      const r = findRoot(zpar, q);
      if (r === k) continue;
      parent[r] = k;
      zpar[r] = k;
    }
    if (localMax && !beaten) localMax[k] = 1;
  }
  return { parent, localMax };
}
