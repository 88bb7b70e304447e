import { parseParticipantsTable } from '../../analysis/bids';
import type { ModelChoices } from '../../worker/group';

export type { ModelChoices };

/**
 * What the Group panel's model builder offers from a participants.tsv (../shared/SPEC.md "The general
 * linear model", inputs from participants.tsv): numeric columns (covariates, or the effect of
 * interest), changes COL_post - COL_pre where both sessions' columns are there, and columns of a few
 * labels (groups).
 */
export interface ParticipantChoices {
  /** Columns whose every filled cell is a number (participant_id aside). */
  readonly numeric: readonly string[];
  /** `COL_<post> - COL_<pre>` for each COL with both, named as `siglens group --effect` takes it. */
  readonly changes: readonly string[];
  /** Columns of labels, with their distinct values in first-seen order. */
  readonly categorical: readonly { readonly column: string; readonly values: readonly string[] }[];
}

/** One of the model's files as FSL writes it (design.mat, .con, .fts, .grp), ready to save. */
export interface DesignFile {
  readonly name: string;
  readonly text: string;
}

export const NO_MODEL: ModelChoices = { covariates: [], effect: null, groupColumn: null, groups: [] };

/** A column with more distinct labels than this is an identifier or free text, not groups. */
const MAX_GROUPS = 12;
/** BIDS's missing value and its spellings: neither a number nor a label. */
const MISSING = new Set(['', 'n/a', 'na', 'nan']);

export function participantChoices(tsv: string, pair: readonly [string, string]): ParticipantChoices {
  const table = parseParticipantsTable(tsv);
  const numeric: string[] = [];
  const categorical: { column: string; values: string[] }[] = [];
  for (const column of table.columns) {
    if (column === 'participant_id') continue;
    const cells = [...table.rows.values()].map((r) => r.get(column) ?? '').filter((c) => !MISSING.has(c.toLowerCase()));
    if (!cells.length) continue;
    if (cells.every((c) => Number.isFinite(Number(c)))) numeric.push(column);
    else {
      const values = [...new Set(cells)];
      if (values.length >= 2 && values.length <= MAX_GROUPS) categorical.push({ column, values });
    }
  }
  const [pre, post] = pair.map((s) => s.replace(/^ses-/, '')) as [string, string];
  const changes = numeric
    .filter((c) => c.endsWith(`_${post}`))
    .map((c) => c.slice(0, -post.length - 1))
    .filter((stem) => numeric.includes(`${stem}_${pre}`))
    .map((stem) => `${stem}_${post} - ${stem}_${pre}`);
  return { numeric, changes, categorical };
}

/** Whether the choices ask for a model beyond the three named designs' (a covariate, an effect or groups). */
export function isModel(c: ModelChoices): boolean {
  return c.covariates.length > 0 || c.effect !== null || (c.groupColumn !== null && c.groups.length >= 2);
}

/** The choices as `siglens group` options, so the page can say which command runs the same model. */
export function modelArgs(c: ModelChoices): string[] {
  const out: string[] = [];
  for (const v of c.covariates) out.push('--covariate', v);
  if (c.effect) out.push('--effect', c.effect);
  if (c.groupColumn && c.groups.length >= 2) out.push('--group-column', c.groupColumn, '--groups', c.groups.join(','));
  return out;
}
