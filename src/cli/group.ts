import { COMMAND_BATCH_MS } from '../analysis/constants';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  GROUP_DESIGNS,
  GroupError,
  participantColumn,
  planSubjects,
  type Excluded,
  type GroupDesign,
  type SubjectFiles,
} from '../analysis/group/design';
import { scatter } from '../analysis/group/inference';
import { distinctPermutations } from '../analysis/group/permutations';
import { checkGroupMemory, runGroupAnalysis, type GroupResult } from '../analysis/group/run';
import type { SizedGrid } from '../analysis/grid';
import { readStudy as readSubjects } from '../analysis/group/study';
import { CpuEngine } from '../compute/cpu/engine';
import type { Engine } from '../compute/engine';
import type { GroupStack, MaskGeometry, PermutationEngine } from '../compute/permutation';
import { writeNifti1, type Volume } from '../nifti';
import { INTENT_TTEST, INTENT_ZSCORE } from '../nifti/intent';
import { flag, parseArgs, UsageError, type Parsed } from './args';
import { engineFrom } from './engine';
import { groupDocument, groupText, OUTPUTS, type OutputName } from './group-doc';
import { mergeNulls } from './group-merge';
import { options, readMap, studyMapReader, type GroupOptions } from './group-options';
import { glmGroup, wantsGlm } from './group-glm';
import { ThreadPoolEngine, threadsAtOnce } from './thread-pool-engine';

export const GROUP_USAGE =
  'group MAPS... --design one-sample|paired|two-sample [--pair PRE,POST] [--pattern REGEX] [--participants TSV --group-column COL --groups A,B] [--mask FILE] [--threshold Z] [--two-sided] [--connectivity 6|18|26] [--permutations N|all] [--seed S] [--tfce [--tfce-step D] [--tfce-e E] [--tfce-h H] [--tfce-connectivity 6|18|26]] [--out PREFIX] [model: --design-mat design.mat --contrasts design.con [--f-tests design.fts] [--blocks design.grp] [--demean] | --participants TSV [--covariate COL]... [--effect COL] [--group-column COL --groups A,B[,C...]]] [--uncorrp] [--save-permutations] [--sign-flips|--permute] [--threads N] | group --merge-nulls SHARD.json... [--out PREFIX]';

/** The sessions `--design paired` pairs when --pair is not given (as planSubjects). */
const DEFAULT_PAIR = ['ses-pre', 'ses-post'] as const;

const SWITCHES = [
  'json',
  'two-sided',
  'tfce',
  'merge-nulls',
  'demean',
  'uncorrp',
  'save-permutations',
  'sign-flips',
  'permute',
];
const VALUED = [
  'design',
  'pair',
  'pattern',
  'participants',
  'group-column',
  'groups',
  'mask',
  'threshold',
  'connectivity',
  'permutations',
  'seed',
  'tfce-step',
  'tfce-e',
  'tfce-h',
  'tfce-connectivity',
  'out',
  'engine',
  'threads',
  'design-mat',
  'contrasts',
  'f-tests',
  'blocks',
  'covariate',
  'effect',
];

export async function groupCommand(argv: string[]): Promise<{ doc: unknown; text: string }> {
  try {
    return await group(argv);
  } catch (e) {
    // Bad input the user can fix is a usage error: one line, exit code 2, as every command's.
    if (e instanceof GroupError) throw new UsageError(e.message);
    throw e;
  }
}

async function group(argv: string[]): Promise<{ doc: unknown; text: string }> {
  const p = parseArgs(argv, SWITCHES, VALUED);
  if (flag(p, 'merge-nulls')) return mergeNulls(p);
  const design = flag(p, 'design') as GroupDesign | undefined;
  if (!design || !GROUP_DESIGNS.includes(design))
    throw new UsageError(`group needs --design ${GROUP_DESIGNS.join('|')}\nusage: siglens ${GROUP_USAGE}`);
  if (p.positionals.length < 1) throw new UsageError(`usage: siglens ${GROUP_USAGE}`);
  const o = options(p);
  if (wantsGlm(p, design)) {
    const { pattern, pair } = rowSpec(p);
    return glmGroup(p, design, { pattern, pair: pair ?? (design === 'paired' ? DEFAULT_PAIR : undefined) }, o);
  }
  const { subjects, excluded, contrast } = planSubjects(p.positionals, spec(p, design));
  const choice = await engineFrom(p);
  let pool: ThreadPoolEngine | null = null;
  try {
    const engine: PermutationEngine & Engine = isPermutationEngine(choice.engine) ? choice.engine : new CpuEngine();
    const reason =
      engine === choice.engine
        ? choice.reason
        : `${choice.reason}; its permutation passes are not there yet, so the CPU engine runs them`;
    // The CPU twin's permutations on every thread (a GPU engine runs its own): threads asked for with
    // --threads, and a long TFCE run's, start first, to be ready by the time the maps are read; others
    // once the run's length is known to pay for them (POOL_MIN_RUN_MS).
    const atOnce = threadsAtOnce(o.threadsAsked, o.tfce !== null, plannedRows(subjects, design, o));
    pool = engine instanceof CpuEngine && o.threads > 1 ? new ThreadPoolEngine(engine, o.threads, atOnce) : null;
    const data = await readStudy(subjects, excluded, design, o);
    const result = await runGroupAnalysis({ design, contrast, ...data, ...o }, pool ?? engine, {
      batchMs: COMMAND_BATCH_MS,
    });
    const files = o.out ? writeOutputs(o.out, result, data.template) : null;
    const doc = groupDocument(result, files, { kind: engine.kind, description: engine.description, reason });
    return { doc, text: groupText(result, reason) };
  } finally {
    pool?.dispose();
    choice.engine.dispose();
  }
}

function isPermutationEngine(e: Engine): e is Engine & PermutationEngine {
  const c = e as Partial<PermutationEngine>;
  return typeof c.permutedT === 'function' && typeof c.permutationMaxima === 'function' && typeof c.tfce === 'function';
}

function rowSpec(p: Parsed): { pattern: RegExp | undefined; pair: readonly [string, string] | undefined } {
  let pattern: RegExp | undefined;
  try {
    pattern = flag(p, 'pattern') ? new RegExp(flag(p, 'pattern')!) : undefined;
  } catch (e) {
    throw new UsageError(`--pattern is not a regular expression (${e instanceof Error ? e.message : e})`);
  }
  const pairFlag = flag(p, 'pair')?.split(',');
  if (pairFlag && (pairFlag.length !== 2 || !pairFlag[0] || !pairFlag[1]))
    throw new UsageError('--pair takes two sessions, e.g. ses-pre,ses-post');
  const pair = pairFlag ? ([pairFlag[0]!, pairFlag[1]!] as const) : undefined;
  return { pattern, pair };
}

function spec(p: Parsed, design: GroupDesign) {
  const { pattern, pair } = rowSpec(p);
  if (design !== 'two-sample') return { design, pattern, pair };
  const tsv = flag(p, 'participants');
  const names = flag(p, 'groups')?.split(',');
  if (!tsv || !names || names.length !== 2 || !names[0] || !names[1] || names[0] === names[1])
    throw new UsageError(
      'a two-sample design needs --participants TSV and --groups A,B (two different values of --group-column, default group)',
    );
  return {
    design,
    pattern,
    pair,
    groups: {
      of: participantColumn(readFileSync(tsv, 'utf8'), flag(p, 'group-column') ?? 'group'),
      names: [names[0], names[1]] as const,
    },
  };
}

type Options = GroupOptions;

interface Study {
  readonly subjects: string[];
  readonly stack: GroupStack;
  readonly geometry: MaskGeometry;
  readonly grid: SizedGrid;
  readonly labels: Uint8Array | null;
  readonly excluded: Excluded[];
  readonly template: Volume;
}

/** The permutations the run will make if every subject is read: the count asked for, or every distinct one. */
function plannedRows(subjects: SubjectFiles[], design: GroupDesign, o: Options): number {
  const labels = design === 'two-sample' ? Uint8Array.from(subjects, (s) => s.group ?? 0) : null;
  return Math.min(o.permutations === 'all' ? Infinity : o.permutations, distinctPermutations(subjects.length, labels));
}

/** Reads the maps one subject at a time (src/analysis/group/study.ts), refusing up front a permutation count memory cannot hold. */
async function readStudy(
  subjects: SubjectFiles[],
  excluded: Excluded[],
  design: GroupDesign,
  o: Options,
): Promise<Study> {
  const { builder, kept, first } = await readSubjects(subjects, excluded, design, {
    ...studyMapReader(),
    fileName: basename,
    onFirst: (m) => {
      // Refused up front, before the other maps are read: the whole grid bounds the masked voxels.
      const size = m.volume.dims[0] * m.volume.dims[1] * m.volume.dims[2];
      checkGroupMemory(size, size, plannedRows(subjects, design, o), o.tfce !== null, subjects.length * size * 8);
    },
  });
  const labels = design === 'two-sample' ? Uint8Array.from(kept, (s) => s.group ?? 0) : null;
  const mask = o.mask ? await readMap(o.mask) : null;
  const grid = builder.gridOf;
  const { stack, geometry } = builder.finish(mask, labels);
  return { subjects: kept.map((s) => s.subject), stack, geometry, grid, labels, excluded, template: first.volume };
}

function volumeOf(
  template: Volume,
  data: Float32Array,
  intent: { code: number; p1: number },
  description: string,
): Volume {
  return {
    ...template,
    data,
    intent: { ...template.intent, code: intent.code, kind: '', name: '', p1: intent.p1, p2: 0, p3: 0 },
    description,
    frames: 1,
    frame: 0,
  };
}

function writeOutputs(prefix: string, r: GroupResult, template: Volume): Record<OutputName, string | null> {
  const size = template.dims[0] * template.dims[1] * template.dims[2];
  const files = {} as Record<OutputName, string | null>;
  const idx = r.voxelIndex;
  for (const name of OUTPUTS) {
    const values = r.maps[name];
    if (!values) {
      files[name] = null;
      continue;
    }
    const intent =
      name === 'tstat'
        ? { code: INTENT_TTEST, p1: r.df }
        : name === 'zstat'
          ? { code: INTENT_ZSCORE, p1: 0 }
          : { code: 0, p1: 0 };
    const path = `${prefix}_${name}.nii.gz`;
    writeFileSync(
      path,
      gzipSync(writeNifti1(volumeOf(template, scatter(values, idx, size), intent, `siglens group ${name}`))),
    );
    files[name] = path;
  }
  return files;
}
