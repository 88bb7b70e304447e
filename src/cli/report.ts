import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DEFAULT_CONNECTIVITY, DEFAULT_Z_THRESHOLD } from '../analysis/constants';
import { describeStatistic, mapStatistic } from '../analysis/statistic';
import pkg from '../../package.json';
import { buildReport } from '../report/build';
import type { ReportBatch, ReportClusterTable, ReportFile, ReportRois, ReportSignature } from '../report/types';
import { flag, parseOptions, UsageError, type OptionSpec, type Parsed } from './args';
import { CLUSTERS_OPTIONS } from './clusters-height';
import { clustersCommand } from './clusters';
import type { CommandSpec } from './command';
import { cpuOnlyEngine } from './engine-mode';
import { readNiftiFile } from './files';
import { roiCommand } from './roi';
import { signatureCommand } from './signature';

const REPORT_OWN: readonly OptionSpec[] = [
  { name: 'out', value: 'FILE.html', help: 'write the report there (default: the HTML on stdout)' },
  { name: 'title', value: 'TEXT', help: 'the report\'s title (default "SigLens report")' },
  {
    name: 'sphere',
    value: 'x,y,z,r[,name]',
    help: 'ROI spheres for the ROI table (repeatable; default the three Berry et al. 2021 peaks)',
  },
  { name: 'weights', value: 'WEIGHTS', help: "a signature weight map: each MAP's response goes in the report" },
  { name: 'metric', value: 'dot|cosine|correlation', help: 'the signature response (with --weights; default dot)' },
  {
    name: 'resample',
    value: 'weights-to-data|data-to-weights',
    help: "the signature's resampling direction (default weights-to-data)",
  },
  {
    name: 'batch',
    value: 'BATCH.json',
    help: 'a siglens batch --json document: its paired, group and association statistics and figures',
  },
  { name: 'figure', value: 'FIGURE.png', help: "a PNG to embed (e.g. the page's mosaic; repeatable)" },
];
const REPORT_OPTIONS: readonly OptionSpec[] = [...REPORT_OWN, ...CLUSTERS_OPTIONS];
const CLUSTER_NAMES = new Set(CLUSTERS_OPTIONS.map((o) => o.name));

export const REPORT_USAGE =
  'report MAP... [--out FILE.html] [--title T] [clusters options] [--sphere ...]... [--weights W [--metric M]] [--batch BATCH.json] [--figure PNG]...';

/** The flags of `names` as given, to hand on to another command. */
function handOn(p: Parsed, names: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const [name, values] of p.flags) {
    if (!names(name)) continue;
    for (const v of values)
      out.push(
        v === 'true' && REPORT_OPTIONS.find((o) => o.name === name)?.value === undefined
          ? `--${name}`
          : `--${name}=${v}`,
      );
  }
  return out;
}

function readJson(path: string, option: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${option} ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A batch document, checked as far as the report reads it. */
function batchDocument(doc: unknown, path: string): ReportBatch {
  const d = doc as Partial<ReportBatch> | null;
  const ok =
    typeof d === 'object' &&
    d !== null &&
    Array.isArray(d.pair) &&
    d.pair.length === 2 &&
    Array.isArray(d.subjects) &&
    d.subjects.every((s) => typeof s?.subject === 'string' && typeof s.change === 'number');
  if (!ok) throw new UsageError(`--batch ${path}: not a siglens batch --json document (pair and subjects)`);
  return d as ReportBatch;
}

function pngDataUrl(path: string): string {
  const bytes = readFileSync(path);
  if (bytes.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a')
    throw new UsageError(`--figure ${path}: not a PNG file`);
  return `data:image/png;base64,${bytes.toString('base64')}`;
}

async function mapFile(path: string): Promise<ReportFile> {
  const img = await readNiftiFile(path);
  const v = img.header.pixdim;
  return {
    name: img.name,
    bytes: statSync(path).size,
    kind: `${describeStatistic(mapStatistic(img.header.intent))}; ${img.dims.join('×')}${img.frames > 1 ? ` × ${img.frames}` : ''}, ${[v[1], v[2], v[3]].map((x) => +x!.toFixed(3)).join('×')} mm, ${img.header.datatype.name}`,
  };
}

function settings(p: Parsed): { name: string; value: string }[] {
  const given = (name: string, fallback: string): { name: string; value: string } => ({
    name,
    value: p.flags.get(name)?.join('; ') ?? fallback,
  });
  const height = flag(p, 'height');
  return [
    height ? { name: 'height', value: height } : given('threshold', `${DEFAULT_Z_THRESHOLD} (default)`),
    given('df', height ? "the map's own" : 'not used'),
    { name: 'two-sided', value: flag(p, 'two-sided') ? 'yes' : 'no' },
    given('connectivity', `${DEFAULT_CONNECTIVITY} (default)`),
    given('min-voxels', 'none'),
    given('min-mm3', 'none'),
    given('cluster-p', 'none'),
    given('dlh', flag(p, 'estimate-smoothness') ? 'estimated from the map' : 'none'),
    given('volume', 'none'),
    given('frame', '0'),
    given('sphere', 'the three Berry et al. 2021 peaks, r = 2 mm'),
    given('weights', 'none'),
    given('metric', 'dot'),
    given('resample', 'weights-to-data'),
    given('batch', 'none'),
    given('engine', 'auto'),
  ];
}

export async function reportCommand(argv: string[]): Promise<{ doc: unknown; text: string }> {
  const p = parseOptions(argv, REPORT_OPTIONS);
  const maps = p.positionals;
  const batchPath = flag(p, 'batch');
  if (!maps.length && !batchPath) throw new UsageError(`usage: siglens ${REPORT_USAGE}`);
  const weights = flag(p, 'weights');
  const engine = ['--engine', flag(p, 'engine') ?? 'auto'];
  const clusterArgs = [
    ...handOn(p, (n) => CLUSTER_NAMES.has(n)),
    ...(flag(p, 'threshold') || flag(p, 'height') ? [] : ['--threshold', String(DEFAULT_Z_THRESHOLD)]),
    ...engine,
  ];
  const inputs: ReportFile[] = [];
  const clusterTables: ReportClusterTable[] = [];
  const rois: ReportRois[] = [];
  let engineDoc: unknown = cpuOnlyEngine(p, 'report');
  for (const map of maps) {
    inputs.push(await mapFile(map));
    const c = (await clustersCommand([map, ...clusterArgs])).doc as ReportClusterTable & { engine: unknown };
    engineDoc = c.engine;
    clusterTables.push(c);
  }
  if (maps.length)
    rois.push(
      ...((await roiCommand([...maps, ...handOn(p, (n) => n === 'sphere')])).doc as { results: ReportRois[] }).results,
    );
  let signature: ReportSignature | undefined;
  if (weights) {
    inputs.push({ ...(await mapFile(weights)), kind: 'signature weights' });
    if (maps.length)
      signature = (
        await signatureCommand([weights, ...maps, ...handOn(p, (n) => n === 'metric' || n === 'resample'), ...engine])
      ).doc as ReportSignature;
  }
  const batch = batchPath ? batchDocument(readJson(batchPath, '--batch'), batchPath) : undefined;
  if (batchPath)
    inputs.push({
      name: basename(batchPath),
      bytes: statSync(batchPath).size,
      kind: `siglens batch document (${batch!.subjects.length} subjects)`,
    });
  const figures = (p.flags.get('figure') ?? []).map((f) => {
    inputs.push({ name: basename(f), bytes: statSync(f).size, kind: 'figure (PNG)' });
    return { title: basename(f), png: pngDataUrl(f) };
  });
  const title = flag(p, 'title') ?? 'SigLens report';
  const html = buildReport({
    title,
    generated: new Date().toISOString(),
    generator: `SigLens ${pkg.version}, siglens report`,
    inputs,
    settings: settings(p),
    clusterTables,
    rois,
    signature,
    batch,
    figures,
  });
  const out = flag(p, 'out');
  if (out) writeFileSync(out, html);
  const doc = {
    out: out ?? null,
    bytes: Buffer.byteLength(html),
    title,
    inputs,
    clusterTables: clusterTables.length,
    engine: engineDoc,
  };
  return { doc, text: out ? `wrote ${out} (${Buffer.byteLength(html)} bytes)` : html.trimEnd() };
}

export const REPORT_COMMAND: CommandSpec = {
  name: 'report',
  usage: REPORT_USAGE,
  summary:
    "One self-contained HTML report (no network needed): the inputs, every setting, each map's cluster table, ROI and signature tables, and a batch document's group and association statistics with figures.",
  options: REPORT_OPTIONS,
  run: reportCommand,
};
