import {
  GrfUnavailableError,
  sparseClusterTable,
  streamedClusterTable,
  type ClusterOptions,
  type ClusterTable,
  type Extent,
} from '../analysis/clusters';
import { SliceLabeller } from '../analysis/slice-labels';
import type { Engine } from '../compute/engine';
import { DEFAULT_CONNECTIVITY } from '../analysis/constants';
import type { Connectivity } from '../compute/engine';
import { flag, numberFlag, parseOptions, UsageError, type Parsed } from './args';
import { CLUSTERS_OPTIONS, dfFlag, emptyTable, heightRequest, heightTable } from './clusters-height';
import { mapStatistic, type MapStatistic } from '../analysis/statistic';
import { parseFwhm, parseResels } from '../analysis/cluster-grf';
import type { Intent } from '../nifti';
import { INTENT_ESTIMATE } from '../nifti/intent';
import { afniFramesOf } from '../nifti/afni';
import { frameShape } from '../nifti/header';
import type { CommandSpec } from './command';
import { engineDocument, engineFrom } from './engine';
import { readNiftiFile } from './files';
import { readSlices } from './slices';

export const CLUSTERS_USAGE =
  'clusters FILE (--threshold T | --height fdr:Q|bonferroni:A|fpr:P [--df N]) [--two-sided] [--connectivity 6|18|26] [--min-voxels N | --min-mm3 V | --cluster-p P] [--dlh D --volume V | --fwhm MM[,MM,MM] | --resels R | --estimate-smoothness] [--frame K]';

export async function clustersCommand(argv: string[]): Promise<{ doc: unknown; text: string }> {
  const p = parseOptions(argv, CLUSTERS_OPTIONS);
  if (p.positionals.length !== 1) throw new UsageError(`usage: siglens ${CLUSTERS_USAGE}`);
  const height = heightRequest(p);
  const threshold = height ? 0 : numberFlag(p, 'threshold');
  if (threshold === undefined)
    throw new UsageError('clusters needs --threshold T or --height fdr:Q|bonferroni:A|fpr:P');
  if (threshold <= 0 && !height) throw new UsageError('--threshold must be above 0 (negative clusters: --two-sided)');
  const connectivity = (numberFlag(p, 'connectivity') ?? DEFAULT_CONNECTIVITY) as Connectivity;
  if (![6, 18, 26].includes(connectivity)) throw new UsageError('--connectivity must be 6, 18 or 26');
  const extent = extentOption(p);
  const smoothness = smoothnessOption(p, extent);
  const frame = numberFlag(p, 'frame', (n) => Number.isInteger(n) && n >= 0) ?? 0;
  const path = p.positionals[0]!;
  const opts: ClusterOptions = {
    threshold,
    twoSided: flag(p, 'two-sided') === 'true',
    connectivity,
    extent,
    smoothness,
  };
  const df = dfFlag(p);
  const choice = await engineFrom(p);
  try {
    if (height) {
      const h = await heightTable(path, frame, opts, height, choice.engine);
      const table = h.table ?? emptyTable(opts, choice.engine.description);
      const doc = {
        file: h.name,
        frame,
        ...tableDocument(table),
        ...(h.table ? {} : { threshold: null }),
        heightControl: h.control,
        engine: engineDocument(choice),
      };
      return {
        doc,
        text: `${h.control.method} ${h.control.alpha} (${h.control.statistic}, ${h.control.voxels} voxels tested): ${h.table ? `height ${h.control.threshold}` : 'no voxel survives'}\n${tableText(h.name, table, choice.reason)}`,
      };
    }
    const { name, table } =
      (choice.engine.kind === 'cpu'
        ? await streamedTable(path, frame, opts, choice.engine.description, df)
        : undefined) ?? (await wholeTable(path, frame, opts, choice.engine, df));
    const doc = { file: name, frame, ...tableDocument(table), engine: engineDocument(choice) };
    // The text is not made for --json: at 1 mm on noise it is thousands of formatted rows.
    return { doc, text: flag(p, 'json') === 'true' ? '' : tableText(name, table, choice.reason) };
  } catch (e) {
    // GRF that cannot be had (a t-map's unknown df under --cluster-p) is the user's to fix: exit 2.
    if (e instanceof GrfUnavailableError) throw new UsageError(e.message);
    throw e;
  } finally {
    choice.engine.dispose();
  }
}

/** A size, a volume or a smoothness: a finite number above 0. */
const positive = (n: number): boolean => Number.isFinite(n) && n > 0;

/** The extent threshold: at most one of --min-voxels, --min-mm3 and --cluster-p. */
function extentOption(p: Parsed): Extent {
  const extents = (['min-voxels', 'min-mm3', 'cluster-p'] as const).filter((f) => flag(p, f) !== undefined);
  if (extents.length > 1)
    throw new UsageError(`give one extent threshold, not ${extents.map((e) => `--${e}`).join(' and ')}`);
  return extents[0] === 'min-voxels'
    ? { kind: 'voxels', min: numberFlag(p, 'min-voxels', positive)! }
    : extents[0] === 'min-mm3'
      ? { kind: 'mm3', min: numberFlag(p, 'min-mm3', positive)! }
      : extents[0] === 'cluster-p'
        ? { kind: 'grf', alpha: numberFlag(p, 'cluster-p', (n) => n > 0 && n < 1)! }
        : { kind: 'none' };
}

/** The smoothness GRF needs: at most one of --dlh (with --volume), --fwhm and --resels, else estimated when asked or needed. */
function smoothnessOption(p: Parsed, extent: Extent): ClusterOptions['smoothness'] {
  const dlh = numberFlag(p, 'dlh', positive);
  const volume = numberFlag(p, 'volume', positive);
  if (volume !== undefined && dlh === undefined) throw new UsageError('--volume goes with --dlh');
  const given = (['dlh', 'fwhm', 'resels'] as const).filter((f) => flag(p, f) !== undefined);
  if (given.length > 1) throw new UsageError(`give one smoothness, not ${given.map((g) => `--${g}`).join(' and ')}`);
  const fwhmText = flag(p, 'fwhm');
  const fwhm = fwhmText === undefined ? undefined : parseFwhm(fwhmText);
  if (typeof fwhm === 'string') throw new UsageError(`--fwhm: ${fwhm}`);
  const reselsText = flag(p, 'resels');
  const resels = reselsText === undefined ? undefined : parseResels(reselsText);
  if (typeof resels === 'string') throw new UsageError(`--resels: ${resels}`);
  return dlh !== undefined
    ? { kind: 'given', dlh, volume }
    : fwhm
      ? { kind: 'fwhm', mm: fwhm }
      : resels !== undefined
        ? { kind: 'resels', resels }
        : flag(p, 'estimate-smoothness') || extent.kind === 'grf'
          ? { kind: 'estimate' }
          : { kind: 'none' };
}

type NamedTable = { readonly name: string; readonly table: Omit<ClusterTable, 'labels'> };

/**
 * The table of a map read one slice at a time, so the command never holds the map (26-connected, the
 * smoothness given or none, on the CPU); undefined when the file must be read whole for it.
 */
export async function streamedTable(
  path: string,
  frame: number,
  opts: ClusterOptions,
  engine: string,
  df?: GivenDf,
): Promise<NamedTable | undefined> {
  if (opts.connectivity !== 26 || (opts.smoothness.kind !== 'given' && opts.smoothness.kind !== 'none'))
    return undefined;
  let labeller: SliceLabeller | undefined;
  const grid = await readSlices(path, frame, (g) => {
    // The mask is counted only for the search volume of a DLH given without one.
    const l = new SliceLabeller(
      g.dims,
      opts.threshold,
      opts.twoSided,
      opts.smoothness.kind === 'given' && opts.smoothness.volume === undefined,
    );
    labeller = l;
    return (slice) => l.push(slice);
  });
  if (!grid || !labeller) return undefined;
  // The frame's statistic: AFNI's header extension names one per frame, else the header's intent.
  const afni = afniFramesOf(grid.extensions, grid.header.littleEndian, frameShape(grid.header).frames, true);
  const statistic = statisticFor(afni?.intents[frame] ?? grid.header.intent, df);
  return { name: grid.name, table: streamedClusterTable(grid, labeller.finish(), { ...opts, statistic }, engine) };
}

/** The table of a map read whole (the list of labelled voxels, not a label volume: the command prints no labels). */
export async function wholeTable(
  path: string,
  frame: number,
  opts: ClusterOptions,
  engine: Engine,
  df?: GivenDf,
): Promise<NamedTable> {
  const img = await readNiftiFile(path);
  if (frame >= img.frames) throw new UsageError(`--frame ${frame}: ${img.name} has ${img.frames} frame(s)`);
  const map = {
    data: img.frame(frame),
    dims: img.dims,
    affine: Array.from(img.affine),
    pixdim: [1, 2, 3].map((i) => img.header.pixdim[i]!),
  };
  return {
    name: img.name,
    table: await sparseClusterTable(map, { ...opts, statistic: statisticFor(img.frameIntent(frame), df) }, engine),
  };
}

type GivenDf = number | readonly [number, number] | undefined;

/** The statistic GRF reads the map through: its intent, with --df where given (a bad combination is a usage error). */
function statisticFor(intent: Intent, df: GivenDf): MapStatistic | null {
  try {
    const s = mapStatistic(intent, df);
    // An effect estimate (AFNI's "none" sub-brick, intent estimate) has no distribution.
    return s.kind === 'z' && s.assumed && intent.code === INTENT_ESTIMATE ? null : s;
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(`--df: ${e.message}`);
    throw e;
  }
}

/** The SPEC's JSON shape of a cluster table (the label volume stays out). */
export function tableDocument(t: Omit<ClusterTable, 'labels'>): Record<string, unknown> {
  return {
    threshold: t.threshold,
    connectivity: t.connectivity,
    twoSided: t.twoSided,
    dlh: t.dlh,
    volume: t.volume,
    minVoxels: t.minVoxels,
    zThreshold: t.zThreshold,
    warnings: t.warnings,
    smoothness: t.smoothness && {
      fwhmVoxels: t.smoothness.fwhmVoxels,
      fwhmMm: t.smoothness.fwhmMm,
      reselSize: t.smoothness.reselSize,
      resels: t.smoothness.resels,
      warnings: t.smoothness.warnings,
    },
    clusters: t.clusters.map((c) => ({
      index: c.index,
      sign: c.sign,
      voxels: c.voxels,
      volumeMm3: c.volumeMm3,
      p: c.p,
      peak: { ...c.peak, z: c.peakZ ?? null, pFweGrf: c.peakPFwe ?? null },
      cog: { mm: c.cog.mm },
      mean: c.mean,
      subpeaks: c.subpeaks.map((s) => ({ value: s.value, mm: s.mm })),
    })),
  };
}

function tableText(name: string, t: Omit<ClusterTable, 'labels'>, reason: string): string {
  const f = (v: number, d = 1): string => v.toFixed(d);
  const rows = t.clusters.map(
    (c) =>
      `${c.index}\t${c.sign > 0 ? '+' : '-'}\t${c.voxels}\t${f(c.volumeMm3)}\t${c.p === null ? '-' : c.p.toExponential(2)}\t${f(c.peak.value, 2)}\t${c.peakZ == null ? '-' : f(c.peakZ, 2)}\t${c.peakPFwe == null ? '-' : c.peakPFwe.toExponential(2)}\t(${c.peak.mm.map((v) => f(v)).join(', ')})\t(${c.cog.mm.map((v) => f(v)).join(', ')})`,
  );
  return [
    `${name}: ${t.clusters.length} cluster(s) at ${t.twoSided ? '|z|' : 'z'} >= ${t.threshold}, ${t.connectivity}-connected, at least ${t.minVoxels} voxel(s)${t.dlh ? `; DLH ${t.dlh.toPrecision(6)}, volume ${t.volume}` : ''}`,
    `engine: ${t.engine} (${reason})`,
    ...t.warnings.map((w) => `warning: ${w}`),
    'index\tsign\tvoxels\tmm3\tp\tpeak\tpeak z\tpeak p FWE\tpeak mm\tcog mm',
    ...rows,
  ].join('\n');
}

export const CLUSTERS_COMMAND: CommandSpec = {
  name: 'clusters',
  usage: CLUSTERS_USAGE,
  summary:
    "The cluster table of a map at a height (FSL cluster's conventions), with GRF cluster p when the smoothness is known.",
  options: CLUSTERS_OPTIONS,
  run: clustersCommand,
};
