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
