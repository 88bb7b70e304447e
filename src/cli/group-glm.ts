import { COMMAND_BATCH_MS } from '../analysis/constants';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { GroupError, planSubjects, type Excluded, type GroupDesign, type SubjectFiles } from '../analysis/group/design';
import { readStudy } from '../analysis/group/study';
import { modelFromFsl } from '../analysis/glm/fsl';
import type { GlmModel } from '../analysis/glm/model';
import {
  buildParticipantsModel,
  readParticipants,
  type ParticipantsModelSpec,
  type ParticipantsTable,
} from '../analysis/glm/participants';
import { runGlmAnalysis } from '../analysis/glm/run';
import { CpuEngine } from '../compute/cpu/engine';
import type { Engine } from '../compute/engine';
import type { GlmEngine } from '../compute/glm';
import { flag, UsageError, type Parsed } from './args';
import { engineFrom } from './engine';
import { ThreadPoolEngine, threadsAtOnce } from './thread-pool-engine';
import { readMap, studyMapReader, type GroupOptions } from './group-options';
import { glmDocument, glmText } from './group-glm-doc';
import { writeGlmOutputs } from './group-glm-out';

/** The flags that make `siglens group` fit a general linear model (../shared/SPEC.md) rather than a named t-test alone. */
export const GLM_FLAGS = [
  'design-mat',
  'contrasts',
  'f-tests',
  'blocks',
  'demean',
  'covariate',
  'effect',
  'uncorrp',
  'save-permutations',
  'sign-flips',
  'permute',
] as const;

/** A model is asked for: any GLM flag, three or more groups, or groups with a one-sample or paired design (the interaction). */
export function wantsGlm(p: Parsed, design: GroupDesign): boolean {
  if (GLM_FLAGS.some((f) => flag(p, f) !== undefined)) return true;
  const groups = flag(p, 'groups')?.split(',') ?? [];
  return groups.length >= 3 || (groups.length > 0 && design !== 'two-sample');
}

/** Where the model comes from: FSL's files, or participants.tsv (with the spec), or the design's own mean. */
type ModelSource =
  | { kind: 'fsl'; files: { design: string; contrasts: string; fTests?: string; blocks?: string } }
  | { kind: 'participants'; table: ParticipantsTable; spec: ParticipantsModelSpec }
  | { kind: 'mean'; name: string };

function modelSource(p: Parsed, design: GroupDesign, pair: readonly [string, string] | undefined): ModelSource {
  const read = (f: string | undefined, what: string): string | undefined => {
    if (f === undefined) return undefined;
    try {
      return readFileSync(f, 'utf8');
    } catch {
      throw new UsageError(`cannot read the ${what} ${f}`);
    }
  };
  const covariates = p.flags.get('covariate') ?? [];
  const effect = flag(p, 'effect');
  const groups = flag(p, 'groups')
    ?.split(',')
    .map((g) => g.trim());
  const fromTsv = covariates.length > 0 || effect !== undefined || groups !== undefined;
  if (flag(p, 'design-mat') !== undefined) {
    if (fromTsv)
      throw new UsageError(
        'give the model either as FSL files (--design-mat ...) or from participants.tsv (--covariate, --effect, --groups), not both',
      );
    if (flag(p, 'contrasts') === undefined) throw new UsageError('--design-mat needs --contrasts design.con');
    return {
      kind: 'fsl',
      files: {
        design: read(flag(p, 'design-mat'), 'design matrix')!,
        contrasts: read(flag(p, 'contrasts'), 'contrasts')!,
        fTests: read(flag(p, 'f-tests'), 'F-tests'),
        blocks: read(flag(p, 'blocks'), 'block file'),
      },
    };
  }
  for (const f of ['contrasts', 'f-tests'])
    if (flag(p, f) !== undefined) throw new UsageError(`--${f} goes with --design-mat`);
  if (fromTsv) {
    const tsv = flag(p, 'participants');
    if (!tsv) throw new UsageError('--covariate, --effect and --groups need --participants TSV');
    if (design === 'two-sample' && !groups) throw new UsageError('a two-sample design needs --groups A,B');
    return {
      kind: 'participants',
      table: readParticipants(read(tsv, 'participants file')!),
      spec: {
        covariates,
        effect,
        groupColumn: flag(p, 'group-column') ?? 'group',
        groups,
        pair,
        meanName: design === 'paired' ? 'change' : 'mean',
      },
    };
  }
  if (design === 'two-sample') throw new UsageError('a two-sample design needs --participants TSV and --groups A,B');
  return { kind: 'mean', name: design === 'paired' ? 'change' : 'mean' };
}

function meanModel(n: number, name: string): GlmModel {
  return {
    columns: [name],
    rows: Array.from({ length: n }, () => [1]),
    contrasts: [{ name, weights: [1] }],
    fTests: [],
    blocks: null,
  };
}

function buildModel(source: ModelSource, kept: readonly SubjectFiles[]): GlmModel {
  if (source.kind === 'fsl') return modelFromFsl(source.files);
  if (source.kind === 'mean') return meanModel(kept.length, source.name);
  return buildParticipantsModel(
    source.table,
    kept.map((s) => s.subject),
    source.spec,
  ).model;
}

function isGlmEngine(e: Engine): e is Engine & GlmEngine {
  const c = e as Partial<GlmEngine>;
  return typeof c.glmStat === 'function' && typeof c.glmMaxima === 'function';
}

export interface GlmRows {
  readonly pattern?: RegExp;
  readonly pair?: readonly [string, string];
}

/** The flags a model cannot take, or takes only with another: a usage error before any map is read. */
function checkGlmFlags(p: Parsed, o: GroupOptions): void {
  if (o.twoSided)
    throw new UsageError(
      "a model's t-contrasts are one-sided, as randomise's: test the other direction with its own contrast (+COL and -COL, A-B and B-A), not --two-sided",
    );
  if (flag(p, 'sign-flips') && flag(p, 'permute'))
    throw new UsageError('--sign-flips and --permute exclude each other');
  if (flag(p, 'save-permutations') && !o.out)
    throw new UsageError('--save-permutations writes PREFIX_perm_tstatN.txt: give --out PREFIX');
}

/** The subjects whose maps the model reads, and those left out with the reason. */
function modelSubjects(
  p: Parsed,
  paired: boolean,
  rows: GlmRows,
  source: ModelSource,
): { subjects: SubjectFiles[]; excluded: Excluded[] } {
  const plan = planSubjects(p.positionals, {
    design: paired ? 'paired' : 'one-sample',
    pattern: rows.pattern,
    pair: rows.pair,
  });
  const excluded: Excluded[] = plan.excluded;
  if (source.kind !== 'participants') return { subjects: plan.subjects, excluded };
  // Subjects lacking a value are left out before their maps are read.
  const pre = buildParticipantsModel(
    source.table,
    plan.subjects.map((s) => s.subject),
    source.spec,
  );
  const keep = new Set(pre.kept);
  for (const e of pre.excluded) {
    const s = plan.subjects.find((x) => x.subject === e.subject);
    excluded.push({ file: basename(s?.files[0] ?? e.subject), reason: e.reason });
  }
  return { subjects: plan.subjects.filter((s) => keep.has(s.subject)), excluded };
}

/** `siglens group` with a model: rows from the maps (or pairs), the model, Freedman-Lane on the engine, randomise's outputs. */
export async function glmGroup(
  p: Parsed,
  design: GroupDesign,
  rows: GlmRows,
  o: GroupOptions,
): Promise<{ doc: unknown; text: string }> {
  checkGlmFlags(p, o);
  const source = modelSource(p, design, rows.pair);
  const paired = design === 'paired';
  const { subjects, excluded } = modelSubjects(p, paired, rows, source);
  const choice = await engineFrom(p);
  let pool: ThreadPoolEngine | null = null;
  try {
    const engine: GlmEngine & Engine = isGlmEngine(choice.engine) ? choice.engine : new CpuEngine();
    const reason =
      engine === choice.engine
        ? choice.reason
        : `${choice.reason}; its GLM pass is not there yet, so the CPU engine runs it`;
    // The CPU twin's permutations on every thread (a GPU engine runs its own): threads asked for with
    // --threads, and a long TFCE run's, start first, to be ready by the time the maps are read; others
    // once the run's length is known to pay for them (POOL_MIN_RUN_MS).
    const rows = o.permutations === 'all' ? Infinity : o.permutations;
    const atOnce = threadsAtOnce(o.threadsAsked, o.tfce !== null, rows);
    pool = engine instanceof CpuEngine && o.threads > 1 ? new ThreadPoolEngine(engine, o.threads, atOnce) : null;
    const { builder, kept, first } = await readStudy(subjects, excluded, paired ? 'paired' : 'one-sample', {
      ...studyMapReader(),
      fileName: basename,
    });
    const model = buildModel(source, kept);
    const mask = o.mask ? await readMap(o.mask) : null;
    const { stack, geometry } = builder.finish(mask, null);
    const method = flag(p, 'sign-flips') ? 'sign-flip' : flag(p, 'permute') ? 'permutation' : undefined;
    const result = await runGlmAnalysis(
      {
        model,
        subjects: kept.map((s) => s.subject),
        stack,
        geometry,
        grid: builder.gridOf,
        excluded,
        thresholdZ: o.thresholdZ,
        connectivity: o.connectivity,
        permutations: o.permutations,
        seed: o.seed,
        tfce: o.tfce,
        demean: flag(p, 'demean') !== undefined,
        method,
        uncorrected: flag(p, 'uncorrp') !== undefined,
      },
      pool ?? engine,
      { batchMs: COMMAND_BATCH_MS },
    );
    const files = o.out
      ? writeGlmOutputs(o.out, result, first.volume, flag(p, 'save-permutations') !== undefined)
      : null;
    const doc = glmDocument(design, result, files, { kind: engine.kind, description: engine.description, reason });
    return { doc, text: glmText(doc) };
  } catch (e) {
    if (e instanceof GroupError) throw new UsageError(e.message);
    throw e;
  } finally {
    pool?.dispose();
    choice.engine.dispose();
  }
}
