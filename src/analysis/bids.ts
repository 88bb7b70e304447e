/** Subject and session of a file, from BIDS entities (sub-XX, ses-YY) or a pattern with named groups. */
export interface MapKey {
  readonly subject: string;
  readonly session: string;
}

const BIDS = /(?:^|[_/])sub-([A-Za-z0-9]+).*?[_/]ses-([A-Za-z0-9]+)/;

/**
 * A user pattern is a regular expression with named groups `sub` and `ses`, e.g.
 * `(?<sub>s\\d+)_(?<ses>pre|post)`. Without one, BIDS entities are read.
 */
export function mapKey(name: string, pattern?: RegExp): MapKey | null {
  if (pattern) {
    const m = pattern.exec(name);
    const sub = m?.groups?.sub;
    const ses = m?.groups?.ses;
    return sub && ses ? { subject: sub, session: ses } : null;
  }
  const m = BIDS.exec(name);
  return m ? { subject: `sub-${m[1]}`, session: `ses-${m[2]}` } : null;
}

/** participants.tsv: participant_id -> group (the column named group, else the second column). */
export function parseParticipants(tsv: string): Map<string, string> {
  const lines = tsv.split(/\r?\n/).filter((l) => l.trim().length);
  const header = lines[0]?.split('\t').map((h) => h.trim()) ?? [];
  const idCol = header.indexOf('participant_id');
  const groupCol = header.indexOf('group') >= 0 ? header.indexOf('group') : 1;
  const out = new Map<string, string>();
  if (idCol < 0) return out;
  for (const line of lines.slice(1)) {
    const cells = line.split('\t');
    const id = cells[idCol]?.trim();
    const group = cells[groupCol]?.trim();
    if (id && group) out.set(id.startsWith('sub-') ? id : `sub-${id}`, group);
  }
  return out;
}

/** participants.tsv as a table: its column names, and each participant's cells (ids as sub-XX). */
export interface ParticipantsTable {
  readonly columns: readonly string[];
  readonly rows: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export function parseParticipantsTable(tsv: string): ParticipantsTable {
  const lines = tsv.split(/\r?\n/).filter((l) => l.trim().length);
  const columns = lines[0]?.split('\t').map((h) => h.trim()) ?? [];
  const idCol = columns.indexOf('participant_id');
  const rows = new Map<string, Map<string, string>>();
  if (idCol < 0) return { columns, rows };
  for (const line of lines.slice(1)) {
    const cells = line.split('\t').map((c) => c.trim());
    const id = cells[idCol];
    if (id) rows.set(id.startsWith('sub-') ? id : `sub-${id}`, new Map(columns.map((c, k) => [c, cells[k] ?? ''])));
  }
  return { columns, rows };
}

/** A covariate named on the command line (or in the page) that participants.tsv cannot give. */
export class CovariateError extends Error {
  override readonly name = 'CovariateError';
}

export interface Covariate {
  /** As asked, e.g. 'promis'. */
  readonly name: string;
  /** The columns it comes from: [COL], or [COL_post, COL_pre] for a change. */
  readonly columns: readonly string[];
  /** Each participant's value; null where a cell is empty, 'n/a' or not a number. */
  readonly values: ReadonlyMap<string, number | null>;
}

/** A cell as a number: BIDS writes n/a for a missing value. */
function cellNumber(cell: string | undefined): number | null {
  if (cell === undefined || cell === '' || cell.toLowerCase() === 'n/a') return null;
  const v = Number(cell);
  return Number.isFinite(v) ? v : null;
}

/**
 * The covariate COL (SPEC "Study statistics"): the column COL, or else COL_<post> - COL_<pre> with the
 * sessions of the pair less `ses-` (`promis_post - promis_pre` for ses-pre,ses-post).
 */
export function covariateValues(table: ParticipantsTable, name: string, pair: readonly [string, string]): Covariate {
  const [pre, post] = pair.map((s) => `${name}_${s.replace(/^ses-/, '')}`) as [string, string];
  const direct = table.columns.includes(name);
  if (!direct && !(table.columns.includes(pre) && table.columns.includes(post))) {
    throw new CovariateError(`participants.tsv has no column ${name}, nor ${post} and ${pre} (its columns: ${table.columns.join(', ')})`);
  }
  const values = new Map<string, number | null>();
  for (const [id, row] of table.rows) {
    if (direct) {
      values.set(id, cellNumber(row.get(name)));
      continue;
    }
    const [a, b] = [cellNumber(row.get(post)), cellNumber(row.get(pre))];
    values.set(id, a === null || b === null ? null : a - b);
  }
  return { name, columns: direct ? [name] : [post, pre], values };
}
