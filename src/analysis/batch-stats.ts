import { oneWayAnova, pearson, spearman, type Anova, type PearsonResult, type SpearmanResult } from './association';
import type { Covariate } from './bids';
import { compareGroups, pairedStats, type GroupComparison, type PairedStats } from './paired';
import type { RoiResult } from './roi';

/** One scored map of a batch, or the reason it could not be scored. */
export interface BatchItem {
  readonly file: string;
  readonly value: number | null;
  readonly voxels: number;
  readonly rois: RoiResult[];
  readonly error?: string;
}

/** One subject's pair of scored maps, and the change between them (post - pre). */
export interface SubjectRow {
  readonly subject: string;
  readonly group: string | null;
  readonly pre: BatchItem;
  readonly post: BatchItem;
  readonly change: number;
}

/** A group's own paired test of post against pre. */
export interface GroupPaired {
  readonly group: string;
  readonly paired: PairedStats | null;
}

/** k = 2: Welch's comparison of the changes; k >= 3: one-way ANOVA of them. Each group's paired test in both. */
export type BatchGroups =
  | (GroupComparison & { readonly byGroup: GroupPaired[] })
  | {
      readonly groups: string[];
      readonly n: number[];
      readonly means: number[];
      readonly anova: Anova | null;
      readonly byGroup: GroupPaired[];
    };

/** A measure's change (post - pre) against a covariate over the subjects that have both. */
export interface Correlation {
  /** `signature`, or an ROI's name. */
  readonly measure: string;
  readonly covariate: string;
  readonly n: number;
  /** Subjects left out for want of a value (of the covariate or of the measure), and who. */
  readonly missing: number;
  readonly missingSubjects: string[];
  readonly spearman: SpearmanResult | null;
  readonly pearson: PearsonResult | null;
  /** The subjects correlated, for a scatter plot: each one's change and covariate value. */
  readonly points: { readonly subject: string; readonly change: number; readonly covariate: number }[];
}

/** The groups of the subjects (participants.tsv's group), compared; null with fewer than two. */
export function batchGroups(subjects: readonly SubjectRow[]): BatchGroups | null {
  const names = [...new Set(subjects.map((s) => s.group).filter((g): g is string => g !== null))].sort();
  if (names.length < 2) return null;
  const members = names.map((g) => subjects.filter((s) => s.group === g));
  const changes = members.map((m) => m.map((s) => s.change));
  const byGroup = names.map((group, k) => ({
    group,
    paired: pairedStats(
      members[k]!.map((s) => s.pre.value!),
      members[k]!.map((s) => s.post.value!),
    ),
  }));
  if (names.length === 2) {
    const welch = compareGroups([names[0]!, names[1]!], changes[0]!, changes[1]!);
    return welch && { ...welch, byGroup };
  }
  const means = changes.map((c) => c.reduce((a, b) => a + b, 0) / c.length);
  return { groups: names, n: changes.map((c) => c.length), means, anova: oneWayAnova(changes), byGroup };
}

/** Each subject's change in each measure: the signature response, then each ROI's mean (null when a mean is missing). */
function measureChanges(
  subjects: readonly SubjectRow[],
): { measure: string; change: (s: SubjectRow) => number | null }[] {
  const rois = subjects[0]?.pre.rois.map((r) => r.name) ?? [];
  return [
    { measure: 'signature', change: (s) => s.change },
    ...rois.map((measure, k) => ({
      measure,
      change: (s: SubjectRow) => {
        const [a, b] = [s.post.rois[k]?.mean, s.pre.rois[k]?.mean];
        return a == null || b == null ? null : a - b;
      },
    })),
  ];
}

/** Spearman and Pearson of every measure's change against every covariate (SPEC "Study statistics"). */
export function batchCorrelations(subjects: readonly SubjectRow[], covariates: readonly Covariate[]): Correlation[] {
  const out: Correlation[] = [];
  for (const cov of covariates) {
    for (const { measure, change } of measureChanges(subjects)) {
      const x: number[] = [];
      const y: number[] = [];
      const points: Correlation['points'] = [];
      const missingSubjects: string[] = [];
      for (const s of subjects) {
        const [c, v] = [change(s), cov.values.get(s.subject) ?? null];
        if (c === null || v === null || !Number.isFinite(c)) {
          missingSubjects.push(s.subject);
          continue;
        }
        x.push(c);
        y.push(v);
        points.push({ subject: s.subject, change: c, covariate: v });
      }
      out.push({
        measure,
        covariate: cov.name,
        n: x.length,
        missing: missingSubjects.length,
        missingSubjects,
        spearman: spearman(x, y),
        pearson: pearson(x, y),
        points,
      });
    }
  }
  return out;
}
