/**
 * Which two maps are "pre" and "post" by default, from their names (DOM-free): BIDS sessions first
 * (`sub-01_ses-pre_...` and `sub-01_ses-post_...`), then `pre` / `post` as words in otherwise equal
 * names (`group_pain_pre_zstat`, `group_pain_post_zstat`), then the order the maps were opened.
 */
export type PairRule = 'session' | 'name' | 'order';

export interface Pairing {
  readonly pre: number;
  readonly post: number;
  readonly rule: PairRule;
}

const SESSION = /(^|[_-])ses-([a-z0-9]+)/i;
const PRE_POST = /(^|[_-])(pre|post)(?=[_.-]|$)/i;
/** Session labels that come first, whatever their spelling order says. */
const EARLY = /^(pre|base(line)?|before|bl)$/i;
const LATE = /^(post|after|follow(up)?|fu)$/i;

const stem = (name: string): string => name.replace(/\.(nii|hdr|img)(\.gz)?$/i, '');

/** Whether session a comes before session b: pre/baseline before post/follow-up, else by number, else by spelling. */
function earlier(a: string, b: string): boolean {
  if (EARLY.test(a) || LATE.test(b)) return true;
  if (EARLY.test(b) || LATE.test(a)) return false;
  const na = Number(a.replace(/^\D+/, ''));
  const nb = Number(b.replace(/^\D+/, ''));
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na < nb;
  return a.localeCompare(b) < 0;
}

/** The default pre and post among maps (id, file name) in the order opened; null with fewer than two. */
export function pairMaps(maps: readonly { readonly id: number; readonly name: string }[]): Pairing | null {
  if (maps.length < 2) return null;
  const named = maps.map((m) => ({ id: m.id, base: stem(m.name) }));
  for (const [i, a] of named.entries()) {
    const sa = SESSION.exec(a.base);
    if (!sa) continue;
    for (const b of named.slice(i + 1)) {
      const sb = SESSION.exec(b.base);
      if (!sb || sa[2]!.toLowerCase() === sb[2]!.toLowerCase()) continue;
      if (a.base.replace(SESSION, '$1ses-') !== b.base.replace(SESSION, '$1ses-')) continue;
      return earlier(sa[2]!, sb[2]!)
        ? { pre: a.id, post: b.id, rule: 'session' }
        : { pre: b.id, post: a.id, rule: 'session' };
    }
  }
  for (const [i, a] of named.entries()) {
    const pa = PRE_POST.exec(a.base);
    if (!pa) continue;
    for (const b of named.slice(i + 1)) {
      const pb = PRE_POST.exec(b.base);
      if (!pb || pa[2]!.toLowerCase() === pb[2]!.toLowerCase()) continue;
      if (a.base.replace(PRE_POST, '$1*') !== b.base.replace(PRE_POST, '$1*')) continue;
      return pa[2]!.toLowerCase() === 'pre'
        ? { pre: a.id, post: b.id, rule: 'name' }
        : { pre: b.id, post: a.id, rule: 'name' };
    }
  }
  return { pre: maps[0]!.id, post: maps[1]!.id, rule: 'order' };
}

/** How the page says which rule chose the pair. */
export function pairRuleText(rule: PairRule | 'user'): string {
  switch (rule) {
    case 'session':
      return 'Paired by BIDS session (ses-) in the file names.';
    case 'name':
      return 'Paired by "pre" and "post" in the file names.';
    case 'order':
      return 'Paired by the order the maps were opened (no ses- or pre/post in their names): check pre and post.';
    case 'user':
      return 'Pre and post as you chose them.';
  }
}
