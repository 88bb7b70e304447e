import type { BatchSummary } from '../analysis/batch';
import { toCsv } from './csv';

/** The per-subject table of a batch: sessions, responses, change, and each ROI's mean. */
export function batchCsv(s: BatchSummary): string {
  const roiNames = s.subjects[0]?.pre.rois.map((r) => r.name) ?? [];
  return toCsv(
    [
      'subject',
      'group',
      `${s.pair[0]}_file`,
      `${s.pair[1]}_file`,
      s.pair[0],
      s.pair[1],
      'change',
      ...roiNames.flatMap((n) => [`${n} ${s.pair[0]}`, `${n} ${s.pair[1]}`]),
    ],
    s.subjects.map((r) => [
      r.subject,
      r.group,
      r.pre.file,
      r.post.file,
      r.pre.value,
      r.post.value,
      r.change,
      ...r.pre.rois.flatMap((o, k) => [o.mean, r.post.rois[k]?.mean ?? null]),
    ]),
  );
}
