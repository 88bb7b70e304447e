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

/** participants.tsv: participant_id -> group (the column named group, else the second column). */
export function parseParticipants(tsv: string): Map<string, string> {
  const table = parseParticipantsTable(tsv);
  const column = table.columns.includes('group') ? 'group' : table.columns[1];
  return column === undefined ? new Map() : columnValues(table, column);
}

/** Each participant's non-empty cell in `column` of a participants table. */
export function columnValues(table: ParticipantsTable, column: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, cells] of table.rows) {
    const v = cells.get(column);
    if (v) out.set(id, v);
  }
  return out;
}

/** A subject's two maps, pre then post. */
export interface SessionPair<T> {
  readonly subject: string;
  readonly pre: T;
  readonly post: T;
}

export interface PairOptions<T> {
  /** The name its subject and session are read from. */
  readonly name: (item: T) => string;
  /** Named groups `sub` and `ses`, instead of BIDS entities (see mapKey). */
  readonly pattern?: RegExp;
  /** Why an item is left out before pairing (it could not be read...), or null. */
  readonly reject?: (item: T) => string | null;
  /** Why a complete pair is left out, naming one of its items, or null. */
  readonly rejectPair?: (pre: T, post: T) => { readonly item: T; readonly reason: string } | null;
}

/**
 * Pairs items by subject across two sessions (`batch` and the paired group design alike): subjects
 * in order, and every item left out with why (no subject or session, another session, a second map
 * for a session, unpaired), in the order it was met.
 */
export function pairSessions<T>(
  items: readonly T[],
  pair: readonly [string, string],
  o: PairOptions<T>,
): { pairs: SessionPair<T>[]; excluded: { item: T; reason: string }[] } {
  const excluded: { item: T; reason: string }[] = [];
  const bySubject = new Map<string, Map<string, T>>();
  for (const item of items) {
    const rejected = o.reject?.(item) ?? null;
    if (rejected !== null) {
      excluded.push({ item, reason: rejected });
      continue;
    }
    const key = mapKey(o.name(item), o.pattern);
    if (!key) {
      excluded.push({ item, reason: 'no subject and session in its name (sub-XX ... ses-YY, or the pattern given)' });
      continue;
    }
    if (!pair.includes(key.session)) {
      excluded.push({ item, reason: `session ${key.session} is neither ${pair[0]} nor ${pair[1]}` });
      continue;
    }
    const sessions = bySubject.get(key.subject) ?? new Map<string, T>();
    if (sessions.has(key.session)) {
      excluded.push({ item, reason: `a second ${key.session} map for ${key.subject}` });
      continue;
    }
    sessions.set(key.session, item);
    bySubject.set(key.subject, sessions);
  }
  const pairs: SessionPair<T>[] = [];
  for (const [subject, sessions] of [...bySubject].sort(([a], [b]) => a.localeCompare(b))) {
    const pre = sessions.get(pair[0]);
    const post = sessions.get(pair[1]);
    if (pre === undefined || post === undefined) {
      excluded.push({
        item: (pre ?? post)!,
        reason: `${subject} has no ${pre !== undefined ? pair[1] : pair[0]} map: unpaired`,
      });
      continue;
    }
    const left = o.rejectPair?.(pre, post) ?? null;
    if (left) excluded.push({ item: left.item, reason: left.reason });
    else pairs.push({ subject, pre, post });
  }
  return { pairs, excluded };
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
    throw new CovariateError(
      `participants.tsv has no column ${name}, nor ${post} and ${pre} (its columns: ${table.columns.join(', ')})`,
    );
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
