import { pairedStats, type PairedStats } from './paired';
import { pairSessions, type Covariate } from './bids';
import {
  batchCorrelations,
  batchGroups,
  type BatchGroups,
  type BatchItem,
  type Correlation,
  type SubjectRow,
} from './batch-stats';

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
  const sessions = pairSessions(items, pair, {
    name: (it) => it.file,
    pattern,
    reject: (it) => it.error || null,
    rejectPair: (pre, post) =>
      pre.value === null || post.value === null
        ? { item: pre.value === null ? pre : post, reason: 'no overlap with the signature (no response)' }
        : null,
  });
  const excluded = sessions.excluded.map((e) => ({ file: e.item.file, reason: e.reason }));
  const subjects: SubjectRow[] = sessions.pairs.map(({ subject, pre, post }) => ({
    subject,
    group: participants.get(subject) ?? null,
    pre,
    post,
    change: post.value! - pre.value!,
  }));
  const paired = pairedStats(
    subjects.map((s) => s.pre.value!),
    subjects.map((s) => s.post.value!),
  );
  const groups = batchGroups(subjects);
  const roiCount = subjects[0]?.pre.rois.length ?? 0;
  const roiPaired = Array.from({ length: roiCount }, (_, k) => {
    const ok = subjects.filter((s) => s.pre.rois[k]?.mean != null && s.post.rois[k]?.mean != null);
    return pairedStats(
      ok.map((s) => s.pre.rois[k]!.mean!),
      ok.map((s) => s.post.rois[k]!.mean!),
    );
  });
  return { pair, subjects, excluded, paired, groups, roiPaired, correlations: batchCorrelations(subjects, covariates) };
}
