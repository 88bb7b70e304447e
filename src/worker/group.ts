import {
  participantColumn,
  planSubjects,
  GroupError,
  type DesignSpec,
  type Excluded,
  type GroupDesign,
} from '../analysis/group/design';
import { runGroupAnalysis, type GroupResult } from '../analysis/group/run';
import type { SizedGrid } from '../analysis/grid';
import type { MapInput } from '../analysis/group/stack';
import { readStudy } from '../analysis/group/study';
import { TFCE_CONNECTIVITY, TFCE_E, TFCE_H } from '../analysis/constants';
import type { Connectivity } from '../compute/engine';
import type { PermutationEngine } from '../compute/permutation';
import { readNifti } from '../nifti';

/** What the page's Group panel asks for (structured-cloneable: it crosses to the worker). */
export interface GroupSpec {
  readonly design: GroupDesign;
  readonly pair: readonly [string, string];
  /** A regular expression with named groups `sub` (and `ses`), or '' for BIDS names. */
  readonly pattern: string;
  /** participants.tsv's text, when one was among the files. */
  readonly participants: string | null;
  readonly groupColumn: string;
  /** Two-sample: the two values of the group column compared (A - B). */
  readonly groups: readonly [string, string] | null;
  readonly thresholdZ: number;
  readonly twoSided: boolean;
  readonly connectivity: Connectivity;
  readonly permutations: number | 'all';
  readonly seed: number;
  readonly tfce: boolean;
  /** A model from participants.tsv (covariates, an effect, groups), or null for the design's own t-test. */
  readonly model?: ModelChoices | null;
}

/** The model builder's choices (what `siglens group --covariate`, `--effect`, `--group-column` and `--groups` say). */
export interface ModelChoices {
  readonly covariates: readonly string[];
  readonly effect: string | null;
  readonly groupColumn: string | null;
  readonly groups: readonly string[];
}

/** The result, and the grid its maps are on (the first map's), for the page to open them as maps. */
export interface GroupRun {
  readonly result: GroupResult;
  readonly grid: SizedGrid;
  readonly subjects: readonly string[];
  readonly engine: string;
}

/** A named file to read in the worker. */
export interface GroupFile {
  readonly name: string;
  readonly blob: Blob;
}

export async function readMap(f: GroupFile): Promise<MapInput> {
  const img = await readNifti(f.blob, { name: f.name });
  const v = img.volume(0);
  return { name: f.name, dims: v.dims, affine: v.affine, pixdim: v.pixdim, data: v.data };
}

function designSpec(s: GroupSpec): DesignSpec {
  let pattern: RegExp | undefined;
  try {
    pattern = s.pattern ? new RegExp(s.pattern) : undefined;
  } catch (e) {
    throw new GroupError(
      'DESIGN',
      `the name pattern is not a regular expression (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (s.design !== 'two-sample') return { design: s.design, pair: s.pair, pattern };
  if (!s.participants)
    throw new GroupError(
      'DESIGN',
      'a two-sample design needs a participants.tsv among the files, with the group column',
    );
  if (!s.groups?.[0] || !s.groups[1] || s.groups[0] === s.groups[1])
    throw new GroupError('DESIGN', 'a two-sample design needs two different groups (values of the group column)');
  return {
    design: s.design,
    pair: s.pair,
    pattern,
    groups: { of: participantColumn(s.participants, s.groupColumn), names: s.groups },
  };
}

/**
 * Reads the study one subject at a time (a paired subject's post - pre kept, the maps let go), as
 * `siglens group` does; an unreadable file goes to `excluded` with its pair and the rest go on.
 */
export async function runGroupFiles(
  files: readonly GroupFile[],
  spec: GroupSpec,
  engine: PermutationEngine,
  engineNote: string,
  control: { onProgress: (p: { done: number; total: number }) => void; signal: AbortSignal },
): Promise<GroupRun> {
  const byName = new Map(files.map((f) => [f.name, f]));
  const { subjects, excluded, contrast } = planSubjects([...byName.keys()], designSpec(spec));
  const out: Excluded[] = [...excluded];
  const { builder, kept } = await readStudy(subjects, out, spec.design, {
    read: (f) => readMap(byName.get(f)!),
    signal: control.signal,
  });
  const labels = spec.design === 'two-sample' ? Uint8Array.from(kept, (s) => s.group ?? 0) : null;
  const grid = builder.gridOf;
  const { stack, geometry } = builder.finish(null, labels);
  const result = await runGroupAnalysis(
    {
      design: spec.design,
      contrast,
      subjects: kept.map((s) => s.subject),
      stack,
      geometry,
      grid,
      labels,
      excluded: out,
      thresholdZ: spec.thresholdZ,
      twoSided: spec.twoSided,
      connectivity: spec.connectivity,
      permutations: spec.permutations,
      seed: spec.seed,
      tfce: spec.tfce ? { E: TFCE_E, H: TFCE_H, connectivity: TFCE_CONNECTIVITY } : null,
    },
    engine,
    control,
  );
  return {
    result,
    grid: { dims: grid.dims, affine: grid.affine, pixdim: grid.pixdim },
    subjects: kept.map((s) => s.subject),
    engine: engineNote,
  };
}
