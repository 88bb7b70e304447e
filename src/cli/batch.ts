import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { summarizeBatch, type BatchSummary } from '../analysis/batch';
import type { BatchItem } from '../analysis/batch-stats';
import {
  covariateValues,
  CovariateError,
  parseParticipants,
  parseParticipantsTable,
  type Covariate,
} from '../analysis/bids';
import { ClusterDocumentError, spheresFromClusters } from '../analysis/peak-spheres';
import { BERRY_ROI_RADIUS_MM } from '../analysis/constants';
import { sphereMeans, type Sphere } from '../analysis/roi';
import { METRICS, responseOf, SignatureScorer, type Metric } from '../analysis/signature';
import { batchCsv } from '../report/batch-csv';
import { isNiftiError } from '../nifti';
import { flag, numberFlag, parseOptions, UsageError, type OptionSpec, type Parsed } from './args';
import type { CommandSpec } from './command';
import { engineDocument, engineFrom } from './engine';
import { readNiftiFile } from './files';
import { parseSphere } from './roi';
import { namedMap } from './signature';

export const BATCH_USAGE =
  'batch WEIGHTS FILES... --pair ses-pre,ses-post [--metric dot|cosine|correlation] [--participants participants.tsv] [--pattern REGEX] [--sphere x,y,z,r[,name]]... [--spheres-from CLUSTERS.json [--radius R]] [--covariate COL]... [--csv]';

const BATCH_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'pair',
    value: 'PRE,POST',
    help: 'the two sessions to pair by subject (default ses-pre,ses-post); change = POST - PRE',
  },
  { name: 'metric', value: 'dot|cosine|correlation', help: 'the signature response (default dot)' },
  { name: 'participants', value: 'TSV', help: 'BIDS participants.tsv: the group column, and covariates' },
  {
    name: 'pattern',
    value: 'REGEX',
    help: 'subject and session from file names by the named groups (?<sub>...) and (?<ses>...), where names are not BIDS',
  },
  {
    name: 'sphere',
    value: 'x,y,z,r[,name]',
    help: "an ROI sphere in MNI mm (repeatable): each map's mean in it, paired like the response",
  },
  {
    name: 'spheres-from',
    value: 'CLUSTERS.json',
    help: "a sphere at each cluster's peak of a siglens clusters or group --json document, named cluster N",
  },
  {
    name: 'radius',
    value: 'R',
    help: `the radius in mm of the --spheres-from spheres (default ${BERRY_ROI_RADIUS_MM}, 4 mm across as Berry et al. 2021)`,
  },
  {
    name: 'covariate',
    value: 'COL',
    help: 'a participants.tsv column COL, or else COL_<post> - COL_<pre> (sessions less ses-), correlated with each change (repeatable)',
  },
  { name: 'csv', help: 'print the per-subject table as CSV (without --json)' },
];

export async function batchCommand(argv: string[]): Promise<{ doc: unknown; text: string }> {
  const p = parseOptions(argv, BATCH_OPTIONS);
  if (p.positionals.length < 2) throw new UsageError(`usage: siglens ${BATCH_USAGE}`);
  const pair = (flag(p, 'pair') ?? 'ses-pre,ses-post').split(',');
  if (pair.length !== 2 || !pair[0] || !pair[1])
    throw new UsageError('--pair takes two sessions, e.g. ses-pre,ses-post');
  const metric = (flag(p, 'metric') ?? 'dot') as Metric;
  if (!METRICS.includes(metric)) throw new UsageError(`--metric must be one of ${METRICS.join(', ')}`);
  let pattern: RegExp | undefined;
  try {
    pattern = flag(p, 'pattern') ? new RegExp(flag(p, 'pattern')!) : undefined;
  } catch (e) {
    throw new UsageError(`--pattern is not a regular expression (${e instanceof Error ? e.message : e})`);
  }
  const participantsFile = flag(p, 'participants');
  const tsv = participantsFile ? readText(participantsFile, '--participants') : undefined;
  const participants = tsv ? parseParticipants(tsv) : new Map<string, string>();
  const covariates = covariatesFrom(p.flags.get('covariate') ?? [], tsv, [pair[0], pair[1]]);
  const spheres: Sphere[] = [...(p.flags.get('sphere')?.map(parseSphere) ?? []), ...peakSpheres(p)];
  const [weightsPath, ...files] = p.positionals as [string, ...string[]];
  const weights = namedMap(await readNiftiFile(weightsPath));
  const choice = await engineFrom(p);
  try {
    const scorer = new SignatureScorer(weights, 'weights-to-data', choice.engine);
    const items: BatchItem[] = [];
    // One map at a time: hundreds of maps never sit in memory together, and a bad file stops nothing.
    for (const f of files) items.push(await scoreFile(f, scorer, metric, spheres));
    const summary = summarizeBatch(items, [pair[0], pair[1]], participants, pattern, covariates);
    const doc = { metric, weights: weights.name, spheres, ...summary, engine: engineDocument(choice) };
    return { doc, text: flag(p, 'csv') ? batchCsv(summary).trimEnd() : batchText(summary) };
  } finally {
    choice.engine.dispose();
  }
}

function readText(path: string, option: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${option} ${path}: cannot read it (${(e as { code?: string }).code ?? String(e)})`);
  }
}

function covariatesFrom(names: readonly string[], tsv: string | undefined, pair: [string, string]): Covariate[] {
  if (!names.length) return [];
  if (tsv === undefined) throw new UsageError('--covariate needs --participants participants.tsv');
  const table = parseParticipantsTable(tsv);
  try {
    return names.map((n) => covariateValues(table, n, pair));
  } catch (e) {
    if (e instanceof CovariateError) throw new UsageError(`--covariate: ${e.message}`);
    throw e;
  }
}

function peakSpheres(p: Parsed): Sphere[] {
  const file = flag(p, 'spheres-from');
  const radius = numberFlag(p, 'radius', (n) => Number.isFinite(n) && n > 0);
  if (file === undefined) {
    if (radius !== undefined) throw new UsageError('--radius goes with --spheres-from');
    return [];
  }
  try {
    return spheresFromClusters(JSON.parse(readText(file, '--spheres-from')), radius);
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof ClusterDocumentError)
      throw new UsageError(`--spheres-from ${file}: ${e.message}`);
    throw e;
  }
}

async function scoreFile(path: string, scorer: SignatureScorer, metric: Metric, spheres: Sphere[]): Promise<BatchItem> {
  try {
    const map = namedMap(await readNiftiFile(path));
    const r = responseOf(await scorer.score(map), metric);
    return { file: map.name, value: r.value, voxels: r.voxels, rois: sphereMeans(map, spheres) };
  } catch (e) {
    if (!isNiftiError(e)) throw e;
    return { file: basename(path), value: null, voxels: 0, rois: [], error: e.reason };
  }
}

function batchText(s: BatchSummary): string {
  const st = s.paired;
  return [
    ...s.subjects.map((r) => `${r.subject}\t${r.group ?? ''}\t${r.pre.value}\t${r.post.value}\t${r.change}`),
    st
      ? `paired (${s.pair[1]} - ${s.pair[0]}): n ${st.n}, mean ${st.mean.toPrecision(4)}, SD ${st.sd.toPrecision(4)}, t(${st.df}) = ${st.t.toFixed(3)}, p = ${st.p.toPrecision(3)}, dz ${st.dz.toFixed(3)}, 95% CI [${st.ci95.map((v) => v.toPrecision(4)).join(', ')}]`
      : 'fewer than two pairs',
    ...groupsText(s),
    ...s.correlations.map(
      (c) =>
        `${c.measure} change vs ${c.covariate}: n ${c.n} (${c.missing} without a value), Spearman rho ${c.spearman ? `${c.spearman.rho.toFixed(3)}, p = ${c.spearman.p.toPrecision(3)}` : '-'}; Pearson r ${c.pearson ? `${c.pearson.r.toFixed(3)}, p = ${c.pearson.p.toPrecision(3)}` : '-'}`,
    ),
    ...s.excluded.map((e) => `excluded ${e.file}: ${e.reason}`),
  ].join('\n');
}

export const BATCH_COMMAND: CommandSpec = {
  name: 'batch',
  usage: BATCH_USAGE,
  summary:
    'Scores subject maps with a signature (and ROI spheres), pairs them by subject and session, and gives the paired and group statistics of the change.',
  options: BATCH_OPTIONS,
  run: batchCommand,
};

function groupsText(s: BatchSummary): string[] {
  const g = s.groups;
  if (!g) return [];
  const head =
    'difference' in g
      ? `${g.groups.join(' vs ')}: Welch t(${g.df.toFixed(1)}) = ${g.t.toFixed(3)}, p = ${g.p.toPrecision(3)}`
      : `${g.groups.join(', ')}: ${g.anova ? `ANOVA F(${g.anova.df1}, ${g.anova.df2}) = ${g.anova.F.toFixed(3)}, p = ${g.anova.p.toPrecision(3)}` : 'ANOVA undefined'}`;
  return [
    head,
    ...g.byGroup.map(
      (b) =>
        `  ${b.group}: ${b.paired ? `n ${b.paired.n}, t(${b.paired.df}) = ${b.paired.t.toFixed(3)}, p = ${b.paired.p.toPrecision(3)}` : 'fewer than two pairs'}`,
    ),
  ];
}
