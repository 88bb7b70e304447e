import { parseParticipantsTable, type ParticipantsTable } from '../bids';
import { GroupError } from '../group/design';
import { demeanColumns, type FTest, type GlmModel, type TContrast } from './model';

/**
 * Models built from participants.tsv (../shared/SPEC.md "The general linear model", inputs): groups
 * as cell means, an effect of interest and nuisance covariates demeaned over the subjects used.
 * DOM-free, for `siglens group` and the page's Group panel.
 */
export type { ParticipantsTable };

/** participants.tsv read by the one parser (src/analysis/bids.ts); a model needs its participant_id column. */
export function readParticipants(tsv: string): ParticipantsTable {
  const table = parseParticipantsTable(tsv);
  if (!table.columns.includes('participant_id'))
    throw new GroupError('DESIGN', 'the participants file has no participant_id column');
  return table;
}

export interface ParticipantsModelSpec {
  /** Nuisance columns (each demeaned). */
  readonly covariates?: readonly string[];
  /** The column of interest (demeaned): contrasts +COL and -COL. */
  readonly effect?: string;
  /** One design column per group (cell means): contrasts between them. */
  readonly groupColumn?: string;
  readonly groups?: readonly string[];
  /** Paired: the sessions, so a column COL absent from the file may be COL_<post> - COL_<pre> (session names less ses-). */
  readonly pair?: readonly [string, string];
  /** The mean's column and contrast name without groups (default "mean"). */
  readonly meanName?: string;
}

/** BIDS's missing value, and an empty cell: the subject is left out, not an error. */
const MISSING = new Set(['', 'n/a', 'NA', 'nan', 'NaN']);

/** A numeric column, a difference "A - B" of two, or (paired) COL_post - COL_pre; null for a missing cell. */
export function numericValue(
  table: ParticipantsTable,
  subject: string,
  column: string,
  pair?: readonly [string, string],
): number | null {
  const row = table.rows.get(subject);
  if (!row) return null;
  const diff = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(column);
  if (diff && !table.columns.includes(column)) {
    const a = numericValue(table, subject, diff[1]!, pair);
    const b = numericValue(table, subject, diff[2]!, pair);
    return a === null || b === null ? null : a - b;
  }
  if (!table.columns.includes(column)) {
    const sessions = pair?.map((s) => s.replace(/^ses-/, ''));
    if (
      sessions &&
      table.columns.includes(`${column}_${sessions[1]}`) &&
      table.columns.includes(`${column}_${sessions[0]}`)
    )
      return numericValue(table, subject, `${column}_${sessions[1]} - ${column}_${sessions[0]}`, pair);
    throw new GroupError(
      'DESIGN',
      `the participants file has no column "${column}" (it has ${table.columns.join(', ')})`,
    );
  }
  const cell = row.get(column) ?? '';
  if (MISSING.has(cell)) return null;
  const x = Number(cell);
  if (!Number.isFinite(x))
    throw new GroupError('DESIGN', `covariate "${column}" is not numeric (${subject} has "${cell}")`);
  return x;
}

export interface ParticipantsModel {
  readonly model: GlmModel;
  /** The subjects of the model's rows, in the order given. */
  readonly kept: string[];
  readonly excluded: { readonly subject: string; readonly reason: string }[];
}

/** The model's rows for `subjects` (in that order); a subject lacking a value is left out and listed. */
export function buildParticipantsModel(
  table: ParticipantsTable,
  subjects: readonly string[],
  spec: ParticipantsModelSpec,
): ParticipantsModel {
  const groups = spec.groups ?? [];
  if (groups.length === 1) throw new GroupError('DESIGN', '--groups needs at least two groups');
  if (new Set(groups).size !== groups.length)
    throw new GroupError('DESIGN', `--groups names a group twice (${groups.join(', ')})`);
  if (groups.length && !table.columns.includes(spec.groupColumn ?? 'group'))
    throw new GroupError(
      'DESIGN',
      `the participants file has no column "${spec.groupColumn ?? 'group'}" (it has ${table.columns.join(', ')})`,
    );
  const numeric = [...(spec.effect ? [spec.effect] : []), ...(spec.covariates ?? [])];
  const kept: string[] = [];
  const excluded: ParticipantsModel['excluded'] = [];
  const group: number[] = [];
  const values: number[][] = [];
  for (const s of subjects) {
    if (!table.rows.has(s)) {
      excluded.push({ subject: s, reason: `${s} is not in the participants file` });
      continue;
    }
    let g = -1;
    if (groups.length) {
      const cell = table.rows.get(s)!.get(spec.groupColumn ?? 'group') ?? '';
      g = groups.indexOf(cell);
      if (g < 0) {
        excluded.push({ subject: s, reason: `${s} is in group "${cell}", none of ${groups.join(', ')}` });
        continue;
      }
    }
    const row = numeric.map((c) => numericValue(table, s, c, spec.pair));
    const lacking = row.indexOf(null);
    if (lacking >= 0) {
      excluded.push({ subject: s, reason: `${s} has no value for ${numeric[lacking]}` });
      continue;
    }
    kept.push(s);
    group.push(g);
    values.push(row as number[]);
  }
  const numericCols = values.length ? demeanColumns(values) : [];
  const base = groups.length ? groups.map((_, k) => `${groups[k]}`) : [spec.meanName ?? 'mean'];
  const columns = [...base, ...numeric];
  const rows = kept.map((_, i) => [
    ...(groups.length ? groups.map((_, k) => (group[i] === k ? 1 : 0)) : [1]),
    ...(numericCols[i] ?? []),
  ]);
  const { contrasts, fTests } = participantsContrasts(
    columns.length,
    base,
    spec.effect ? { at: base.length, name: spec.effect } : null,
    groups.length,
  );
  return { model: { columns, rows, contrasts, fTests, blocks: null }, kept, excluded };
}

/** +COL and -COL for an effect; A-B and B-A (every pair, and the F-test of any difference, for k >= 3) for groups; else the mean. */
function participantsContrasts(
  p: number,
  base: readonly string[],
  effect: { at: number; name: string } | null,
  k: number,
): { contrasts: TContrast[]; fTests: FTest[] } {
  const unit = (j: number, x = 1): number[] => Array.from({ length: p }, (_, i) => (i === j ? x : 0));
  if (effect)
    return {
      contrasts: [
        { name: `+${effect.name}`, weights: unit(effect.at) },
        { name: `-${effect.name}`, weights: unit(effect.at, -1) },
      ],
      fTests: [],
    };
  if (k === 0) return { contrasts: [{ name: base[0]!, weights: unit(0) }], fTests: [] };
  const contrasts: TContrast[] = [];
  const first: number[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      if (a === 0) first.push(contrasts.length);
      contrasts.push({ name: `${base[a]} - ${base[b]}`, weights: unit(a).map((x, i) => x - (i === b ? 1 : 0)) });
      contrasts.push({ name: `${base[b]} - ${base[a]}`, weights: unit(b).map((x, i) => x - (i === a ? 1 : 0)) });
    }
  }
  return { contrasts, fTests: k >= 3 ? [{ name: `any difference between ${base.join(', ')}`, contrasts: first }] : [] };
}
