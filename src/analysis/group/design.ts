import { columnValues, pairSessions, parseParticipantsTable } from '../bids';

export type GroupDesign = 'one-sample' | 'paired' | 'two-sample';
export const GROUP_DESIGNS: readonly GroupDesign[] = ['one-sample', 'paired', 'two-sample'];

/** A bad group input the user can fix: a typed error with a clear message. */
export class GroupError extends Error {
  override readonly name = 'GroupError';
  constructor(
    readonly code: 'TOO_FEW' | 'GRID_MISMATCH' | 'MEMORY' | 'NO_VOXELS' | 'DESIGN',
    message: string,
  ) {
    super(message);
  }
}

export interface Excluded {
  readonly file: string;
  readonly reason: string;
}

/** One subject of the analysis: its map (one-sample, two-sample) or its pre and post maps (paired). */
export interface SubjectFiles {
  readonly subject: string;
  /** [map] or [pre, post], as given (paths or names). */
  readonly files: readonly string[];
  /** Two-sample: 1 for the first group named (A), 0 for the second (B). */
  readonly group?: 0 | 1;
}

export interface DesignSpec {
  readonly design: GroupDesign;
  /** Paired: the sessions, pre then post (default ses-pre, ses-post). */
  readonly pair?: readonly [string, string];
  /** A regular expression with named groups `sub` (and `ses` for paired), as `batch` takes. */
  readonly pattern?: RegExp;
  /** Two-sample: each subject's value in the group column, and the two values compared (A - B). */
  readonly groups?: { readonly of: ReadonlyMap<string, string>; readonly names: readonly [string, string] };
}

const SUBJECT = /(?:^|[_/])(sub-[A-Za-z0-9]+)/;

function baseName(f: string): string {
  return f.replace(/^.*[\\/]/, '');
}

/** Who is who: the subjects of the design from the files' names, and the files left out with why. */
export function planSubjects(
  files: readonly string[],
  spec: DesignSpec,
): { subjects: SubjectFiles[]; excluded: Excluded[]; contrast: string } {
  const excluded: Excluded[] = [];
  if (spec.design === 'paired')
    return { ...pairFiles(files, spec.pair ?? ['ses-pre', 'ses-post'], spec.pattern, excluded), excluded };
  const subjects: SubjectFiles[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const name = baseName(f);
    const id = subjectOf(name, spec.pattern);
    if (spec.design === 'one-sample') {
      subjects.push({ subject: id ?? name, files: [f] });
      continue;
    }
    const g = spec.groups;
    if (!g)
      throw new GroupError(
        'DESIGN',
        'a two-sample design needs the groups: --participants TSV --group-column COL --groups A,B',
      );
    if (!id) {
      excluded.push({ file: name, reason: 'no subject in its name (sub-XX, or the pattern given)' });
      continue;
    }
    if (seen.has(id)) {
      excluded.push({ file: name, reason: `a second map for ${id}` });
      continue;
    }
    const value = g.of.get(id);
    const k = value === undefined ? -1 : g.names.indexOf(value);
    if (k < 0) {
      excluded.push({
        file: name,
        reason:
          value === undefined
            ? `${id} is not in the participants file`
            : `${id} is in group ${value}, neither ${g.names.join(' nor ')}`,
      });
      continue;
    }
    seen.add(id);
    subjects.push({ subject: id, files: [f], group: k === 0 ? 1 : 0 });
  }
  const contrast = spec.design === 'one-sample' ? 'mean > 0' : `${spec.groups!.names[0]} - ${spec.groups!.names[1]}`;
  return { subjects, excluded, contrast };
}

function subjectOf(name: string, pattern?: RegExp): string | null {
  if (pattern) return pattern.exec(name)?.groups?.sub ?? null;
  return SUBJECT.exec(name)?.[1] ?? null;
}

/** Pairs as `batch` does: BIDS sub/ses entities or the pattern's `sub` and `ses`. */
function pairFiles(
  files: readonly string[],
  pair: readonly [string, string],
  pattern: RegExp | undefined,
  excluded: Excluded[],
): { subjects: SubjectFiles[]; contrast: string } {
  const paired = pairSessions(files, pair, { name: baseName, pattern });
  for (const e of paired.excluded) excluded.push({ file: baseName(e.item), reason: e.reason });
  return {
    subjects: paired.pairs.map(({ subject, pre, post }) => ({ subject, files: [pre, post] })),
    contrast: `${pair[1]} - ${pair[0]}`,
  };
}

/** participants.tsv: participant_id -> the value in `column` (ids without sub- get it). */
export function participantColumn(tsv: string, column: string): Map<string, string> {
  const table = parseParticipantsTable(tsv);
  if (!table.columns.includes('participant_id'))
    throw new GroupError('DESIGN', 'the participants file has no participant_id column');
  if (!table.columns.includes(column))
    throw new GroupError(
      'DESIGN',
      `the participants file has no column "${column}" (it has ${table.columns.join(', ')})`,
    );
  return columnValues(table, column);
}
