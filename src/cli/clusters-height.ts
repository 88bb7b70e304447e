import { sparseClusterTable, type ClusterOptions, type ClusterTable } from '../analysis/clusters';
import { heightControl, parseHeight, type HeightControl, type HeightMethod } from '../analysis/height';
import { mapStatistic, requireKnownDf, UnknownDfError, type MapStatistic } from '../analysis/statistic';
import type { Engine } from '../compute/engine';
import type { Intent } from '../nifti';
import { flag, UsageError, type OptionSpec, type Parsed } from './args';
import { readNiftiFile } from './files';

export const CLUSTERS_OPTIONS: readonly OptionSpec[] = [
  { name: 'threshold', value: 'T', help: "the cluster-forming height in the map's units (z, t), inclusive" },
  {
    name: 'height',
    value: 'fdr:Q|bonferroni:A|fpr:P',
    help: "the height from voxelwise p through the map's statistic instead of --threshold (nilearn threshold_stats_img)",
  },
  {
    name: 'df',
    value: 'N|DF1,DF2',
    help: "the t-map's df (or the F-map's two) where the map does not say them: p through the statistic (--height) and GRF p through the z-equivalent",
  },
  { name: 'two-sided', help: 'negative clusters too (z <= -T), and two-sided p for --height' },
  { name: 'connectivity', value: '6|18|26', help: 'neighbours that join a cluster (default 26, as FSL cluster)' },
  { name: 'min-voxels', value: 'N', help: 'extent threshold in voxels' },
  { name: 'min-mm3', value: 'V', help: 'extent threshold in mm^3' },
  { name: 'cluster-p', value: 'P', help: 'extent threshold: GRF cluster p < P (smoothness estimated unless --dlh)' },
  { name: 'dlh', value: 'D', help: "the map's smoothness (FSL smoothest's DLH), for GRF cluster p" },
  { name: 'volume', value: 'V', help: 'the search volume in voxels (with --dlh)' },
  {
    name: 'fwhm',
    value: 'MM[,MM,MM]',
    help: "SPM's FWHM in mm (one isotropic or x,y,z) over the map's finite non-zero voxels, for GRF p (instead of --dlh)",
  },
  {
    name: 'resels',
    value: 'R',
    help: "SPM's search volume in resels over the map's finite non-zero voxels, for GRF p (instead of --dlh)",
  },
  { name: 'estimate-smoothness', help: 'estimate DLH and the volume from the map, as FSL smoothest -z' },
  { name: 'frame', value: 'K', help: 'the frame of a 4D map (from 0, default 0)' },
];

export interface HeightRequest {
  readonly method: HeightMethod;
  readonly alpha: number;
  readonly df: number | readonly [number, number] | undefined;
}

/** --height and --df as given (undefined without --height). */
export function heightRequest(p: Parsed): HeightRequest | undefined {
  const text = flag(p, 'height');
  const df = dfFlag(p);
  if (text === undefined) return undefined;
  if (flag(p, 'threshold') !== undefined) throw new UsageError('give --threshold or --height, not both');
  const h = parseHeight(text);
  if (!h) throw new UsageError(`--height ${text}: expected fdr:Q, bonferroni:A or fpr:P with a value between 0 and 1`);
  return { ...h, df };
}

export function dfFlag(p: Parsed): number | [number, number] | undefined {
  const text = flag(p, 'df');
  if (text === undefined) return undefined;
  const parts = text.split(',').map(Number);
  if (!(parts.length === 1 || parts.length === 2) || !parts.every((n) => Number.isFinite(n) && n > 0)) {
    throw new UsageError(`--df ${text}: expected N, or DF1,DF2 for an F-map, above 0`);
  }
  return parts.length === 1 ? parts[0]! : [parts[0]!, parts[1]!];
}

/** The map's statistic with --df applied; a p that cannot be had is a usage error that says why. */
export function statisticOf(intent: Intent, df: HeightRequest['df'], twoSided: boolean): MapStatistic {
  try {
    const s = mapStatistic(intent, df);
    requireKnownDf(s);
    if (twoSided && s.kind === 'f') throw new RangeError('an F-map has one tail: --two-sided does not apply');
    return s;
  } catch (e) {
    if (e instanceof UnknownDfError || e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * The table at the height --height gives (SPEC "Study statistics"): the map read whole (every tested
 * voxel's p is needed), its height control, and the clusters at that height; `table: null` when no
 * voxel survives.
 */
export async function heightTable(
  path: string,
  frame: number,
  opts: ClusterOptions,
  request: HeightRequest,
  engine: Engine,
): Promise<{ name: string; control: HeightControl; table: Omit<ClusterTable, 'labels'> | null }> {
  const img = await readNiftiFile(path);
  if (frame >= img.frames) throw new UsageError(`--frame ${frame}: ${img.name} has ${img.frames} frame(s)`);
  const data = img.frame(frame);
  const statistic = statisticOf(img.frameIntent(frame), request.df, opts.twoSided);
  const control = heightControl(data, statistic, request.method, request.alpha, opts.twoSided);
  if (control.threshold === null || control.survivors === 0) return { name: img.name, control, table: null };
  if (control.threshold <= 0)
    throw new UsageError(
      `--height ${request.method}:${request.alpha} gives a height of ${control.threshold}, not above 0`,
    );
  const map = {
    data,
    dims: img.dims,
    affine: Array.from(img.affine),
    pixdim: [1, 2, 3].map((i) => img.header.pixdim[i]!),
  };
  return {
    name: img.name,
    control,
    table: await sparseClusterTable(map, { ...opts, threshold: control.threshold, statistic }, engine),
  };
}

/** The table when no voxel survives the height: no clusters, the rest as asked. */
export function emptyTable(opts: ClusterOptions, engine: string): Omit<ClusterTable, 'labels'> {
  const given = opts.smoothness.kind === 'given' ? opts.smoothness : undefined;
  return {
    threshold: NaN,
    connectivity: opts.connectivity,
    twoSided: opts.twoSided,
    dlh: given?.dlh ?? null,
    volume: given?.volume ?? null,
    smoothness: null,
    zThreshold: null,
    warnings: [],
    minVoxels: opts.extent.kind === 'voxels' ? opts.extent.min : 0,
    clusters: [],
    engine,
  };
}
