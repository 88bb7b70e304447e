import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { designView, formatWeight } from '../../src/app/group/design-view';
import { isModel, modelArgs, NO_MODEL, participantChoices } from '../../src/app/group/group-model';
import { previewModel } from '../../src/app/group/group-preview';
import { REPO } from '../helpers/shared';

describe("the Group panel's model builder (app layer)", () => {
  it("offers the sample participants.tsv's numeric columns, its pre/post change and its label columns", () => {
    const tsv = readFileSync(join(REPO, 'sample-data/subjects/participants.tsv'), 'utf8');
    const c = participantChoices(tsv, ['ses-pre', 'ses-post']);
    expect(c.numeric).toEqual(['age', 'gain', 'pain_pre', 'pain_post']);
    expect(c.changes).toEqual(['pain_post - pain_pre']);
    expect(c.categorical).toEqual([
      { column: 'group', values: ['training', 'waitlist'] },
      { column: 'arm', values: ['mbsr', 'active', 'waitlist'] },
    ]);
    // Other session names find no change; an id-like column of many labels is no grouping; n/a is neither.
    expect(participantChoices(tsv, ['ses-1', 'ses-2']).changes).toEqual([]);
    const ids = [
      'participant_id\tsite\tscore',
      ...Array.from({ length: 20 }, (_, k) => `sub-${k}\ts${k}\t${k % 3 ? k : 'n/a'}`),
    ].join('\n');
    expect(participantChoices(ids, ['ses-pre', 'ses-post'])).toEqual({
      numeric: ['score'],
      changes: [],
      categorical: [],
    });
  });

  it('says when the choices are a model and which siglens group options run it', () => {
    expect(isModel(NO_MODEL)).toBe(false);
    expect(isModel({ ...NO_MODEL, groupColumn: 'arm', groups: ['mbsr'] })).toBe(false);
    const three = { covariates: ['age'], effect: null, groupColumn: 'arm', groups: ['mbsr', 'active', 'waitlist'] };
    expect(isModel(three)).toBe(true);
    expect(modelArgs(three)).toEqual([
      '--covariate',
      'age',
      '--group-column',
      'arm',
      '--groups',
      'mbsr,active,waitlist',
    ]);
    expect(modelArgs({ ...NO_MODEL, effect: 'pain_post - pain_pre' })).toEqual(['--effect', 'pain_post - pain_pre']);
  });

  it('draws each design column from its minimum (black) to its maximum (white); contrasts and F-tests below', () => {
    const v = designView(
      {
        columns: ['a', 'b', 'age'],
        rows: [
          [1, 0, -2.5],
          [0, 1, 0.5],
          [1, 0, 2],
        ],
        contrasts: [
          { name: 'a - b', weights: [1, -1, 0] },
          { name: 'b - a', weights: [-1, 1, 0] },
          { name: 'age', weights: [0, 0, 0.5] },
        ],
        fTests: [{ name: 'any', contrasts: [0] }],
      },
      ['sub-01', 'sub-02'],
    );
    expect(v.grey).toEqual([
      [1, 0, 0],
      [0, 1, 3 / 4.5],
      [1, 0, 1],
    ]);
    expect(v.rowLabels).toEqual(['sub-01', 'sub-02', '3']);
    expect(v.values[0]).toEqual(['1', '0', '-2.5']);
    expect(v.contrasts.map((c) => [c.name, c.weights.join(' '), c.inF])).toEqual([
      ['a - b', '1 -1 0', [true]],
      ['b - a', '-1 1 0', [false]],
      ['age', '0 0 0.5', [false]],
    ]);
    // A constant column: white when it holds a value (the intercept), black when all zeros.
    expect(
      designView(
        {
          columns: ['mean', 'z'],
          rows: [
            [1, 0],
            [1, 0],
          ],
          contrasts: [],
          fTests: [],
        },
        [],
      ).grey,
    ).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(formatWeight(1 / 3)).toBe('0.3333');
  });

  it('previews the model siglens group builds (same rows, files) or says why there is none', () => {
    const tsv = readFileSync(join(REPO, 'sample-data/subjects/participants.tsv'), 'utf8');
    const names = Array.from({ length: 14 }, (_, k) => `sub-${String(k + 1).padStart(2, '0')}`).flatMap((s) => [
      `${s}_ses-pre_task-pain_zstat.nii.gz`,
      `${s}_ses-post_task-pain_zstat.nii.gz`,
    ]);
    const setup = {
      design: 'paired' as const,
      pair: ['ses-pre', 'ses-post'] as const,
      pattern: '',
      value: { covariates: ['age'], effect: null, groupColumn: 'arm', groups: ['mbsr', 'active', 'waitlist'] },
    };
    const m = previewModel(tsv, names.slice(0, 26), setup);
    expect(m.error).toBeNull();
    // sub-14 has no pair among these names: 13 rows, as the command would pair them.
    expect(m.design!.rowLabels).toHaveLength(13);
    expect(m.design!.columns).toEqual(['mbsr', 'active', 'waitlist', 'age']);
    expect(m.files!.map((f) => f.name)).toEqual(['design.mat', 'design.con', 'design.fts']);
    expect(m.files![0]!.text).toMatch(/^\/NumWaves\t4\n\/NumPoints\t13\n/);
    // The change, pain_pre and pain_post together are collinear: the page says which columns, as the command does.
    const bad = previewModel(tsv, names, {
      ...setup,
      value: { ...NO_MODEL, covariates: ['pain_pre', 'pain_post', 'pain_post - pain_pre'] },
    });
    expect(bad.design).toBeNull();
    expect(bad.error).toMatch(
      /^The model cannot be built: the design is rank-deficient .*pain_pre, pain_post, pain_post - pain_pre/,
    );
    expect(previewModel(tsv, names, { ...setup, design: 'two-sample' }).error).toMatch(/one-sample or paired/);
    expect(previewModel(null, names, setup).choices).toBeNull();
    expect(previewModel(tsv, names, { ...setup, value: NO_MODEL }).design).toBeNull();
  });
});
