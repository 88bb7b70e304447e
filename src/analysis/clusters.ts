import type { Connectivity, Engine } from '../compute/engine';
import type { SupraComponents } from '../compute/supra';
import { det3, voxelToMm } from '../nifti/affine';
import { clusterP, minimumClusterSize, type GrfParams } from './grf';
import { grfSetup, type SmoothnessOption } from './cluster-grf';
import { peakFweP } from './peak-fwe';
import type { MapStatistic } from './statistic';
import { zEquivalent } from './z-equivalent';
import { MAX_SUBPEAKS, SUBPEAK_MIN_DISTANCE_MM } from './constants';
import type { Smoothness } from './smoothness';
import { denseLabels, listClustered, type SparseLabels } from './sparse-labels';
import type { SliceLabelling } from './slice-labels';
import { findSubpeaks, type Membership, type Peak } from './subpeaks';
import { unflat, type GridMap, type SizedGrid, type TableGrid } from './grid';

/** A GRF extent threshold asked of a map that gives no GRF p (no smoothness, or a t-map without its df). */
export class GrfUnavailableError extends Error {
  override readonly name = 'GrfUnavailableError';
}

export type Extent =
  | { readonly kind: 'none' }
  | { readonly kind: 'voxels'; readonly min: number }
  | { readonly kind: 'mm3'; readonly min: number }
  | { readonly kind: 'grf'; readonly alpha: number };

export interface ClusterOptions {
  readonly threshold: number;
  readonly twoSided: boolean;
  readonly connectivity: Connectivity;
  readonly extent: Extent;
  /** DLH and search volume: given, SPM's FWHM or resels, estimated from the map, or none (p-values are then null). */
  readonly smoothness: SmoothnessOption;
  readonly subpeakDistanceMm?: number;
  readonly maxSubpeaks?: number;
  /**
   * What the map's values follow, for GRF: absent, a z-map; a t- or F-map gets GRF p through its
   * z-equivalent when its df is known, and no p otherwise; null (an effect, 1 − p or other map) no p.
   */
  readonly statistic?: MapStatistic | null;
}

export interface Cluster {
  /** 1 = the largest. */
  readonly index: number;
  readonly sign: 1 | -1;
  readonly voxels: number;
  readonly volumeMm3: number;
  readonly p: number | null;
  readonly peak: Peak;
  readonly cog: { readonly mm: [number, number, number]; readonly voxel: [number, number, number] };
  readonly mean: number;
  readonly subpeaks: Peak[];
  /** The peak's z-equivalent (SPM's "Z_E"; the value itself on a z-map), null when the map's statistic gives none. */
  readonly peakZ?: number | null;
  /** Peak-level FWE p by random field theory at the peak's height (src/analysis/peak-fwe.ts), null without DLH or for an F-map. */
  readonly peakPFwe?: number | null;
}

export interface ClusterTable {
  readonly threshold: number;
  readonly connectivity: Connectivity;
  readonly twoSided: boolean;
  readonly dlh: number | null;
  readonly volume: number | null;
  readonly smoothness: Smoothness | null;
  /** The z of the threshold GRF used (its z-equivalent on a t- or F-map), null without GRF. */
  readonly zThreshold: number | null;
  /** Why GRF p-values are missing, or how they were had (a t-map's z-equivalent). */
  readonly warnings: string[];
  /** Why the GRF cluster p-values are withheld (a cluster-forming threshold below GRF_MIN_CLUSTER_Z); absent or null when they are not. */
  readonly grfWithheld?: string | null;
  /** The extent actually applied, in voxels (GRF and mm^3 extents converted). */
  readonly minVoxels: number;
  readonly clusters: Cluster[];
  /** Cluster index (1 = largest) of every voxel, 0 outside the listed clusters: the display label map. */
  readonly labels: Int32Array;
  readonly engine: string;
}

/** A cluster table as it crosses to the page. */
export type SparseClusterTable = Omit<ClusterTable, 'labels'> & { readonly labels: SparseLabels };

/** One connected component's sums, before the extent threshold. */
export interface Component {
  sign: 1 | -1;
  count: number;
  sum: number;
  sx: number;
  sy: number;
  sz: number;
  peakAbs: number;
  /** Flat index of the largest |value|; ties keep the first voxel in x-fastest order, as FSL does. */
  peakIdx: number;
}

/** The cluster table of a map: labelling on the engine, the table here (the same code for both engines). */
export function clusterTable(map: GridMap<SizedGrid>, opts: ClusterOptions, engine: Engine): Promise<ClusterTable> {
  return labelledTable(map, opts, engine, (voxels, index) => denseLabels({ size: map.data.length, voxels, index }));
}

/** The same table with its labels as the labelled voxels (what crosses to the page and what the command needs). */
export function sparseClusterTable(
  map: GridMap<SizedGrid>,
  opts: ClusterOptions,
  engine: Engine,
): Promise<SparseClusterTable> {
  return labelledTable(map, opts, engine, (voxels, index) => ({ size: map.data.length, voxels, index }));
}

/** The table from the engine's list of supra-threshold voxels: nothing volume-sized unless `pick` makes it. */
async function labelledTable<L>(
  map: GridMap<SizedGrid>,
  opts: ClusterOptions,
  engine: Engine,
  pick: (voxels: Int32Array, clusters: Int32Array) => L,
): Promise<Omit<ClusterTable, 'labels'> & { readonly labels: L }> {
  const supra = await engine.labelVoxels({
    data: map.data,
    dims: map.dims,
    threshold: opts.threshold,
    twoSided: opts.twoSided,
    connectivity: opts.connectivity,
  });
  const values = new Float32Array(supra.voxels.length);
  for (let k = 0; k < values.length; k++) values[k] = map.data[supra.voxels[k]!]!;
  const { accs, slot } = gather({ ...supra, values }, map.dims);
  return assembleTable(map, opts, accs, engine.description, (indexOf) => {
    const { voxels, clusters } = listClustered(supra.voxels, clusterOfEach(supra, slot, indexOf));
    const member: Membership =
      opts.connectivity === 26
        ? { kind: 'threshold', threshold: Math.fround(opts.threshold) }
        : { kind: 'listed', voxels, clusters };
    return { labels: pick(voxels, clusters), voxels, clusters, member };
  });
}

/**
 * The table of a map read slice by slice (26-connected; smoothness given or none): sub-peaks come
 * from the local maxima flagged on the way, and the search volume, when not given, from the mask
 * counted on the way. Equal to `sparseClusterTable` on the whole map, less the labels: the command
 * that reads slices prints no labels, and listing them took a pass over the voxels.
 */
export function streamedClusterTable(
  grid: SizedGrid,
  s: SliceLabelling,
  opts: ClusterOptions,
  engine: string,
): Omit<ClusterTable, 'labels'> & { readonly labels: null } {
  if (opts.connectivity !== 26 || (opts.smoothness.kind !== 'given' && opts.smoothness.kind !== 'none'))
    throw new RangeError('a map read slice by slice gives 26-connected tables with the smoothness given or none');
  const sm = opts.smoothness;
  const needsVolume = sm.kind === 'given' && sm.volume === undefined;
  if (needsVolume && s.maskVoxels === null)
    throw new RangeError('the search volume was not counted while the slices were read');
  const o: ClusterOptions = needsVolume ? { ...opts, smoothness: { ...sm, volume: s.maskVoxels! } } : opts;
  const { accs, slot } = gather(s, grid.dims);
  return assembleTable({ ...grid, data: null }, o, accs, engine, (indexOf) => {
    const maxima = listClustered(s.voxels, clusterOfEach(s, slot, indexOf), s.localMax, s.values);
    return {
      labels: null,
      voxels: maxima.voxels,
      clusters: maxima.clusters,
      member: { kind: 'maxima', values: maxima.values },
    };
  });
}

/** Each supra-threshold voxel's cluster index (0: its component was dropped). */
function clusterOfEach(supra: SupraComponents, slot: Map<number, number>, indexOf: Int32Array): Int32Array {
  const index = new Int32Array(supra.voxels.length);
  for (let k = 0, lastRoot = -1, lastIndex = 0; k < index.length; k++) {
    const r = supra.roots[k]!;
    if (r !== lastRoot) {
      lastRoot = r;
      lastIndex = indexOf[slot.get(r)!]!;
    }
    index[k] = lastIndex;
  }
  return index;
}

/** Where the clusters are, as `assembleTable` needs it: the labels, the sub-peak candidates and how to tell membership. */
export interface Labelled<L> {
  /** What the table carries as its labels (a volume, or the labelled voxels). */
  readonly labels: L;
  /** The voxels sub-peaks are sought among: every voxel of the listed clusters, or their local maxima (member 'maxima'). */
  readonly voxels: Int32Array;
  /** Cluster index (1 = largest) of each of `voxels`. */
  readonly clusters: Int32Array;
  readonly member: Membership;
}

/**
 * The table from a map's components, however they were found (labelling or the threshold index):
 * extent threshold, order (largest first), p-values, peaks, centres of gravity and sub-peaks.
 * `label` is told each component's cluster index (0 = dropped) and says where the clusters are.
 */
export function assembleTable<L>(
  map: TableGrid,
  opts: ClusterOptions,
  accs: readonly Component[],
  engine: string,
  label: (indexOf: Int32Array) => Labelled<L>,
): Omit<ClusterTable, 'labels'> & { readonly labels: L } {
  const [nx, ny] = map.dims;
  const order = accs
    .map((_, k) => k)
    .sort((a, b) => {
      const x = accs[a]!;
      const y = accs[b]!;
      return y.count - x.count || y.peakAbs - x.peakAbs || x.peakIdx - y.peakIdx;
    });

  const voxelMm3 = Math.abs(det3(map.affine));
  const whole = (why: string): Float32Array => {
    if (!map.data) throw new Error(`${why} needs the whole map`);
    return map.data;
  };
  const setup = grfSetup(map, opts, whole, maskVolume);
  const { grf, statistic, clusterGrf } = setup;
  const smooth = setup.smoothness;
  const why = setup.withheld ? [setup.withheld] : [...setup.warnings, ...(smooth?.warnings ?? [])];
  const minVoxels = extentInVoxels(opts.extent, voxelMm3, clusterGrf, why);
  const keptOrder = order.filter((k) => accs[k]!.count >= minVoxels);
  const kept = keptOrder.map((k) => accs[k]!);

  const indexOf = new Int32Array(accs.length);
  keptOrder.forEach((k, rank) => (indexOf[k] = rank + 1));
  const where = label(indexOf);
  const subpeaks = findSubpeaks(
    map,
    kept.length,
    {
      minDistanceMm: opts.subpeakDistanceMm ?? SUBPEAK_MIN_DISTANCE_MM,
      max: opts.maxSubpeaks ?? MAX_SUBPEAKS,
      peaks: kept.map((a) => a.peakIdx),
    },
    where.voxels,
    where.clusters,
    where.member,
  );
  const labels = where.labels;

  const clusters = kept.map((a, k): Cluster => {
    const voxel = unflat(a.peakIdx, nx, ny);
    const cogVoxel: [number, number, number] = [a.sx / a.sum, a.sy / a.sum, a.sz / a.sum];
    return {
      index: k + 1,
      sign: a.sign,
      voxels: a.count,
      volumeMm3: a.count * voxelMm3,
      p: clusterGrf ? clusterP(a.count, clusterGrf) : null,
      // Every voxel of a component has its sign: the peak's value is its |value| signed.
      peak: { value: a.sign * a.peakAbs, voxel, mm: voxelToMm(map.affine, ...voxel) },
      cog: { mm: voxelToMm(map.affine, ...cogVoxel), voxel: cogVoxel },
      mean: a.sum / a.count,
      subpeaks: subpeaks[k]!,
      peakZ: statistic ? zEquivalent(a.sign * a.peakAbs, statistic) : null,
      peakPFwe: grf && statistic ? peakFweP(a.peakAbs, statistic, grf.dlh, grf.volume) : null,
    };
  });
  return {
    threshold: opts.threshold,
    connectivity: opts.connectivity,
    twoSided: opts.twoSided,
    dlh: grf?.dlh ?? null,
    volume: grf?.volume ?? null,
    smoothness: smooth,
    zThreshold: grf?.threshold ?? null,
    warnings: setup.warnings,
    grfWithheld: setup.withheld,
    minVoxels,
    clusters,
    labels,
    engine,
  };
}

/** Per-component sums, and where each root's sums are (slot.get(root)). */
function gather(
  supra: SupraComponents & { readonly values: Float32Array },
  [nx, ny]: readonly [number, number, number],
): { accs: Component[]; slot: Map<number, number> } {
  const accs: Component[] = [];
  // A root is its component's first voxel, so it is met before any other voxel of the component.
  // Neighbouring voxels mostly share a root, so the map is consulted only when the root changes.
  const slot = new Map<number, number>();
  const nxy = nx * ny;
  let lastRoot = -1;
  let a: Component | undefined;
  for (let k = 0; k < supra.voxels.length; k++) {
    const i = supra.voxels[k]!;
    const r = supra.roots[k]!;
    const v = supra.values[k]!;
    if (r === i) {
      slot.set(i, accs.length);
      accs.push({ sign: v > 0 ? 1 : -1, count: 0, sum: 0, sx: 0, sy: 0, sz: 0, peakAbs: -1, peakIdx: i });
    }
    if (r !== lastRoot || !a) {
      lastRoot = r;
      a = accs[slot.get(r)!]!;
    }
    const z = Math.floor(i / nxy);
    const rest = i - z * nxy;
    const y = Math.floor(rest / nx);
    const x = rest - y * nx;
    a.count++;
    a.sum += v;
    a.sx += v * x;
    a.sy += v * y;
    a.sz += v * z;
    const abs = Math.abs(v);
    // Strictly greater: ties keep the first voxel in x-fastest order, as FSL does.
    if (abs > a.peakAbs) {
      a.peakAbs = abs;
      a.peakIdx = i;
    }
  }
  return { accs, slot };
}

function maskVolume(data: Float32Array): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v !== 0 && v - v === 0) n++;
  }
  return n;
}

function extentInVoxels(extent: Extent, voxelMm3: number, grf: GrfParams | null, why: readonly string[]): number {
  switch (extent.kind) {
    case 'none':
      return 1;
    case 'voxels':
      return Math.max(1, Math.ceil(extent.min));
    case 'mm3':
      // A cluster of k voxels passes when k * voxel volume >= the minimum; guard float fuzz at exact multiples.
      return Math.max(1, Math.ceil(extent.min / voxelMm3 - 1e-9));
    case 'grf':
      if (!grf)
        throw new GrfUnavailableError(
          why[0]?.startsWith('GRF cluster p withheld')
            ? `A GRF extent threshold is not given at this threshold: ${why[0]}.`
            : `A GRF extent threshold needs the smoothness (DLH and volume), given or estimated, and a z-map or a t- or F-map with its df${why.length ? `: ${why.join('; ')}` : '.'}`,
        );
      return minimumClusterSize(extent.alpha, grf);
  }
}
