import { describe, expect, it } from 'vitest';
import { pairMaps } from '../../src/analysis/pairing';

const maps = (...names: string[]) => names.map((name, id) => ({ id, name }));

describe('pre and post by name', () => {
  it('BIDS sessions first, whatever the order opened (pre/baseline before post, else by number)', () => {
    expect(pairMaps(maps('sub-01_ses-post_task-pain_zstat.nii.gz', 'sub-01_ses-pre_task-pain_zstat.nii.gz'))).toEqual({
      pre: 1,
      post: 0,
      rule: 'session',
    });
    expect(pairMaps(maps('spmMotor.nii.gz', 'sub-01_ses-2_zstat.nii.gz', 'sub-01_ses-1_zstat.nii.gz'))).toEqual({
      pre: 2,
      post: 1,
      rule: 'session',
    });
    expect(pairMaps(maps('sub-01_ses-followup_z.nii', 'sub-01_ses-baseline_z.nii'))).toEqual({
      pre: 1,
      post: 0,
      rule: 'session',
    });
  });
  it('then pre and post as words in otherwise equal names, in either order', () => {
    expect(pairMaps(maps('spmMotor.nii.gz', 'group_pain_pre_zstat.nii.gz', 'group_pain_post_zstat.nii.gz'))).toEqual({
      pre: 1,
      post: 2,
      rule: 'name',
    });
    expect(pairMaps(maps('group_pain_post_zstat.nii.gz', 'spmMotor.nii.gz', 'group_pain_pre_zstat.nii.gz'))).toEqual({
      pre: 2,
      post: 0,
      rule: 'name',
    });
    // "prefrontal" and "postcentral" are not sessions.
    expect(pairMaps(maps('prefrontal_z.nii', 'postcentral_z.nii'))).toEqual({ pre: 0, post: 1, rule: 'order' });
  });
  it('then the order opened; nothing with one map', () => {
    expect(pairMaps(maps('a.nii', 'b.nii', 'c.nii'))).toEqual({ pre: 0, post: 1, rule: 'order' });
    expect(pairMaps(maps('a.nii'))).toBeNull();
  });
});
