import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapKey, parseParticipants } from '../../src/analysis/bids';
import { siglensJson } from '../helpers/cli';
import { runPython } from '../helpers/python';
import { conformance, HAS_SHARED, REPO } from '../helpers/shared';

const SUBJECTS = join(REPO, 'sample-data/subjects');
const WEIGHTS = join(REPO, 'sample-data/demo_signature_SYNTHETIC.nii.gz');
const files = readdirSync(SUBJECTS)
  .filter((f) => f.endsWith('.nii.gz'))
  .map((f) => join(SUBJECTS, f));

interface Stats {
  n: number;
  mean: number;
  sd: number;
  t: number;
  df: number;
  p: number;
  dz: number;
  ci95: number[];
}

/** |a - b| <= 1e-6 relative (1e-12 absolute near 0). */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.abs(b) + 1e-12;
}

describe('batch scoring and paired statistics', () => {
  it('reads BIDS subject and session entities, or a pattern with named groups', () => {
    expect(mapKey('sub-03_ses-post_task-pain_zstat.nii.gz')).toEqual({ subject: 'sub-03', session: 'ses-post' });
    expect(mapKey('study/sub-A1/ses-pre/func/sub-A1_ses-pre_bold.nii')).toEqual({
      subject: 'sub-A1',
      session: 'ses-pre',
    });
    expect(mapKey('s07_before.nii', /(?<sub>s\d+)_(?<ses>before|after)/)).toEqual({
      subject: 's07',
      session: 'before',
    });
    expect(mapKey('random.nii')).toBeNull();
    expect(parseParticipants('participant_id\tgroup\nsub-01\tA\n02\tB\n')).toEqual(
      new Map([
        ['sub-01', 'A'],
        ['sub-02', 'B'],
      ]),
    );
  });

  it('siglens batch on the 14 synthetic subjects equals scipy.stats.ttest_rel, ttest_ind(Welch) and numpy (1e-6)', () => {
    const ref = runPython<{
      subjects: string[];
      pre: number[];
      post: number[];
      paired: Stats;
      groups: Stats & { difference: number };
    }>(join(REPO, 'scripts/scipy_paired.py'), [
      WEIGHTS,
      join(SUBJECTS, 'participants.tsv'),
      'ses-pre',
      'ses-post',
      ...files,
    ]);
    const doc = siglensJson<{
      subjects: { subject: string; pre: { value: number }; post: { value: number } }[];
      paired: Stats;
      groups: Stats & { difference: number };
      excluded: unknown[];
    }>(
      'batch',
      WEIGHTS,
      ...files,
      '--pair',
      'ses-pre,ses-post',
      '--participants',
      join(SUBJECTS, 'participants.tsv'),
      '--engine',
      'cpu',
    );
    expect(doc.subjects.map((s) => s.subject)).toEqual(ref.subjects);
    doc.subjects.forEach((s, k) => {
      expect(close(s.pre.value, ref.pre[k]!) && close(s.post.value, ref.post[k]!), s.subject).toBe(true);
    });
    for (const key of ['n', 'mean', 'sd', 't', 'df', 'p', 'dz'] as const)
      expect(close(doc.paired[key], ref.paired[key]), key).toBe(true);
    doc.paired.ci95.forEach((v, k) => expect(close(v, ref.paired.ci95[k]!)).toBe(true));
    for (const key of ['t', 'df', 'p', 'difference'] as const)
      expect(close(doc.groups[key], ref.groups[key]), `groups ${key}`).toBe(true);
    doc.groups.ci95.forEach((v, k) => expect(close(v, ref.groups.ci95[k]!)).toBe(true));
    expect(doc.excluded).toEqual([]);
  }, 120_000);

  it.skipIf(!HAS_SHARED)(
    'lists malformed and unpaired files with the reason and goes on',
    () => {
      const some = files.filter((f) => /sub-0[1-4]_/.test(f));
      const doc = siglensJson<{ subjects: unknown[]; excluded: { file: string; reason: string }[] }>(
        'batch',
        WEIGHTS,
        ...some,
        files.find((f) => f.includes('sub-05_ses-pre'))!,
        conformance('truncated_data.nii'),
        conformance('bad_magic.nii'),
        '--pair',
        'ses-pre,ses-post',
        '--engine',
        'cpu',
      );
      expect(doc.subjects).toHaveLength(4);
      const reasons = Object.fromEntries(doc.excluded.map((e) => [e.file, e.reason]));
      expect(reasons['truncated_data.nii']).toMatch(/ends before its data/);
      expect(reasons['bad_magic.nii']).toMatch(/magic/);
      expect(reasons['sub-05_ses-pre_task-pain_zstat.nii.gz']).toMatch(/no ses-post map: unpaired/);
    },
    60_000,
  );
});
