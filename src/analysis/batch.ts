import { pairedStats, type PairedStats } from './paired';
import { mapKey, type Covariate } from './bids';
import { batchCorrelations, batchGroups, type BatchGroups, type BatchItem, type Correlation, type SubjectRow } from './batch-stats';

export interface BatchSummary {
  readonly pair: [string, string];
  readonly subjects: SubjectRow[];
  /** Files not in the analysis, each with why: unreadable, unpaired, no subject/session in the name. */
  readonly excluded: { file: string; reason: string }[];
  readonly paired: PairedStats | null;
  /** Two groups: Welch's t of the changes; three or more: one-way ANOVA (`anova`); each group's paired test. */
  readonly groups: BatchGroups | null;
  /** Each measure's change against each covariate asked for (none asked: empty). */
  readonly correlations: Correlation[];
  /** Paired statistics of each ROI's mean, in sphere order. */
  readonly roiPaired: (PairedStats | null)[];
}

/** Pairs scored maps by subject across two sessions and runs the paired (and between-group) statistics. */
export function summarizeBatch(
  items: readonly BatchItem[],
  pair: [string, string],
  participants: Map<string, string>,
  pattern?: RegExp,
  covariates: readonly Covariate[] = [],
): BatchSummary {
  const excluded: { file: string; reason: string }[] = [];
  const bySubject = new Map<string, Map<string, BatchItem>>();
  for (const it of items) {
    if (it.error) {
      excluded.push({ file: it.file, reason: it.error });
      continue;
    }
    const key = mapKey(it.file, pattern);
    if (!key) {
      excluded.push({ file: it.file, reason: 'no subject and session in its name (sub-XX ... ses-YY, or the pattern given)' });
      continue;
    }
    if (!pair.includes(key.session)) {
      excluded.push({ file: it.file, reason: `session ${key.session} is neither ${pair[0]} nor ${pair[1]}` });
      continue;
    }
    const sessions = bySubject.get(key.subject) ?? new Map<string, BatchItem>();
    if (sessions.has(key.session)) {
      excluded.push({ file: it.file, reason: `a second ${key.session} map for ${key.subject}` });
      continue;
    }
    sessions.set(key.session, it);
    bySubject.set(key.subject, sessions);
  }
  const subjects: SubjectRow[] = [];
  for (const [subject, sessions] of [...bySubject].sort(([a], [b]) => a.localeCompare(b))) {
    const pre = sessions.get(pair[0]);
    const post = sessions.get(pair[1]);
    if (!pre || !post) {
      const have = pre ?? post!;
      excluded.push({ file: have.file, reason: `${subject} has no ${pre ? pair[1] : pair[0]} map: unpaired` });
      continue;
    }
    if (pre.value === null || post.value === null) {
      excluded.push({ file: (pre.value === null ? pre : post).file, reason: 'no overlap with the signature (no response)' });
      continue;
    }
    subjects.push({ subject, group: participants.get(subject) ?? null, pre, post, change: post.value - pre.value });
  }
  const paired = pairedStats(subjects.map((s) => s.pre.value!), subjects.map((s) => s.post.value!));
  const groups = batchGroups(subjects);
  const roiCount = subjects[0]?.pre.rois.length ?? 0;
  const roiPaired = Array.from({ length: roiCount }, (_, k) => {
    const ok = subjects.filter((s) => s.pre.rois[k]?.mean != null && s.post.rois[k]?.mean != null);
    return pairedStats(ok.map((s) => s.pre.rois[k]!.mean!), ok.map((s) => s.post.rois[k]!.mean!));
  });
  return { pair, subjects, excluded, paired, groups, roiPaired, correlations: batchCorrelations(subjects, covariates) };
}
