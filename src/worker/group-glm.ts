import { buildParticipantsModel, readParticipants, type ParticipantsModelSpec } from '../analysis/glm/participants';
import { runGlmAnalysis, type GlmResult } from '../analysis/glm/run';
import { GroupError, planSubjects, type Excluded } from '../analysis/group/design';
import type { SizedGrid } from '../analysis/grid';
import { readStudy } from '../analysis/group/study';
import { TFCE_CONNECTIVITY, TFCE_E, TFCE_H } from '../analysis/constants';
import type { GlmEngine } from '../compute/glm';
import { readMap, type GroupFile, type GroupSpec, type ModelChoices } from './group';

/** A finished model run, and the grid its maps are on, for the page to open them as maps. */
export interface GlmRun {
  readonly result: GlmResult;
  readonly grid: SizedGrid;
  /** The rows' design: each map (one-sample) or each subject's post - pre (paired). */
  readonly design: 'one-sample' | 'paired';
  readonly engine: string;
}

/** The builder's choices as the participants model takes them (as `siglens group --covariate ... --effect ... --groups`). */
export function participantsSpec(
  design: 'one-sample' | 'paired',
  pair: readonly [string, string],
  c: ModelChoices,
): ParticipantsModelSpec {
  const groups = c.groupColumn && c.groups.length >= 2 ? c.groups : undefined;
  return {
    covariates: c.covariates,
    effect: c.effect ?? undefined,
    groupColumn: groups ? c.groupColumn! : undefined,
    groups,
    pair: design === 'paired' ? pair : undefined,
    meanName: design === 'paired' ? 'change' : 'mean',
  };
}

/**
 * `siglens group` with a model from participants.tsv, in the worker: the same subjects in the same
 * order (a subject lacking a value left out before its maps are read), one subject's maps at a time,
 * Freedman-Lane per contrast and F-test on the engine given.
 */
export async function runGlmFiles(
  files: readonly GroupFile[],
  spec: GroupSpec,
  model: ModelChoices,
  engine: GlmEngine,
  engineNote: string,
  control: { onProgress: (p: { done: number; total: number }) => void; signal: AbortSignal },
): Promise<GlmRun> {
  if (spec.design === 'two-sample')
    throw new GroupError(
      'DESIGN',
      'a model from participants.tsv runs on the one-sample or paired design (its groups replace two-sample)',
    );
  if (!spec.participants) throw new GroupError('DESIGN', 'a model needs a participants.tsv among the files');
  if (spec.twoSided)
    throw new GroupError(
      'DESIGN',
      "a model's t-contrasts are one-sided, as randomise's: each direction has its own contrast (+COL and -COL, A-B and B-A)",
    );
  const design = spec.design;
  let pattern: RegExp | undefined;
  try {
    pattern = spec.pattern ? new RegExp(spec.pattern) : undefined;
  } catch (e) {
    throw new GroupError(
      'DESIGN',
      `the name pattern is not a regular expression (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  const plan = planSubjects([...byName.keys()], { design, pair: spec.pair, pattern });
  const excluded: Excluded[] = [...plan.excluded];
  const table = readParticipants(spec.participants);
  const mspec = participantsSpec(design, spec.pair, model);
  const pre = buildParticipantsModel(
    table,
    plan.subjects.map((s) => s.subject),
    mspec,
  );
  const keep = new Set(pre.kept);
  for (const e of pre.excluded)
    excluded.push({
      file: plan.subjects.find((s) => s.subject === e.subject)?.files[0] ?? e.subject,
      reason: e.reason,
    });
  const subjects = plan.subjects.filter((s) => keep.has(s.subject));
  const { builder, kept } = await readStudy(subjects, excluded, design, {
    read: (f) => readMap(byName.get(f)!),
    signal: control.signal,
  });
  const built = buildParticipantsModel(
    table,
    kept.map((s) => s.subject),
    mspec,
  );
  const grid = builder.gridOf;
  const { stack, geometry } = builder.finish(null, null);
  const result = await runGlmAnalysis(
    {
      model: built.model,
      subjects: kept.map((s) => s.subject),
      stack,
      geometry,
      grid,
      excluded,
      thresholdZ: spec.thresholdZ,
      connectivity: spec.connectivity,
      permutations: spec.permutations,
      seed: spec.seed,
      tfce: spec.tfce ? { E: TFCE_E, H: TFCE_H, connectivity: TFCE_CONNECTIVITY } : null,
    },
    engine,
    control,
  );
  return { result, grid: { dims: grid.dims, affine: grid.affine, pixdim: grid.pixdim }, design, engine: engineNote };
}
