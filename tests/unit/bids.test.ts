import { describe, expect, it } from 'vitest';
import { pairSessions, parseParticipants, parseParticipantsTable } from '../../src/analysis/bids';
import { GroupError, participantColumn, planSubjects } from '../../src/analysis/group/design';

const TSV = 'participant_id\tage\tgroup\n01\t31\tmbsr\nsub-02\t\tcontrol\r\nsub-03\t40\t\n\n';

describe('participants.tsv: one parser', () => {
  it('reads ids as sub-XX and each column, trimmed; empty cells give no value', () => {
    const t = parseParticipantsTable(TSV);
    expect(t.columns).toEqual(['participant_id', 'age', 'group']);
    expect([...t.rows.keys()]).toEqual(['sub-01', 'sub-02', 'sub-03']);
    expect(parseParticipants(TSV)).toEqual(
      new Map([
        ['sub-01', 'mbsr'],
        ['sub-02', 'control'],
      ]),
    );
    expect(participantColumn(TSV, 'age')).toEqual(
      new Map([
        ['sub-01', '31'],
        ['sub-03', '40'],
      ]),
    );
  });

  it('groups come from the column named group, else the second column', () => {
    expect(parseParticipants('participant_id\tarm\nsub-01\tA\n')).toEqual(new Map([['sub-01', 'A']]));
    expect(parseParticipants('participant_id\n01\n')).toEqual(new Map());
    expect(parseParticipants('id\tgroup\n01\tA\n')).toEqual(new Map());
  });

  it('a group design names a missing id column or group column', () => {
    expect(() => participantColumn('id\tgroup\n', 'group')).toThrow(GroupError);
    expect(() => participantColumn(TSV, 'arm')).toThrow(/no column "arm" \(it has participant_id, age, group\)/);
  });
});

describe('session pairing: one for batch and the paired group design', () => {
  const files = [
    'sub-02_ses-post.nii',
    'x.nii',
    'sub-01_ses-pre.nii',
    'sub-02_ses-pre.nii',
    'sub-01_ses-mid.nii',
    'sub-03_ses-pre.nii',
    'sub-02_ses-pre_run-2.nii',
    'sub-01_ses-post.nii',
  ];

  it('pairs by subject in order and says why each other file is left out, in the order met', () => {
    const r = pairSessions(files, ['ses-pre', 'ses-post'], { name: (f) => f });
    expect(r.pairs).toEqual([
      { subject: 'sub-01', pre: 'sub-01_ses-pre.nii', post: 'sub-01_ses-post.nii' },
      { subject: 'sub-02', pre: 'sub-02_ses-pre.nii', post: 'sub-02_ses-post.nii' },
    ]);
    expect(r.excluded.map((e) => [e.item, e.reason])).toEqual([
      ['x.nii', 'no subject and session in its name (sub-XX ... ses-YY, or the pattern given)'],
      ['sub-01_ses-mid.nii', 'session ses-mid is neither ses-pre nor ses-post'],
      ['sub-02_ses-pre_run-2.nii', 'a second ses-pre map for sub-02'],
      ['sub-03_ses-pre.nii', 'sub-03 has no ses-post map: unpaired'],
    ]);
  });

  it('the paired group design pairs the same way', () => {
    const plan = planSubjects(
      files.map((f) => `/data/${f}`),
      { design: 'paired' },
    );
    expect(plan.subjects.map((s) => s.subject)).toEqual(['sub-01', 'sub-02']);
    expect(plan.subjects[0]!.files).toEqual(['/data/sub-01_ses-pre.nii', '/data/sub-01_ses-post.nii']);
    expect(plan.excluded.map((e) => e.file)).toEqual([
      'x.nii',
      'sub-01_ses-mid.nii',
      'sub-02_ses-pre_run-2.nii',
      'sub-03_ses-pre.nii',
    ]);
    expect(plan.contrast).toBe('ses-post - ses-pre');
  });
});
