import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GlmDocument, GlmTestDocument } from '../../src/cli/group-glm-doc';
import { siglensJson } from '../helpers/cli';
import { writePairedStudy } from '../helpers/group-study';
import { runPython } from '../helpers/python';
import { REPO } from '../helpers/shared';
import type { Dims } from '../helpers/volumes';

/**
 * Every null maximum of `siglens group` with a model against scripts/numpy_freedman_lane.py, a plain
 * Freedman-Lane written from the SPEC without the product's shortcut (permute the null model's
 * residuals, add back its fit, refit the full model), for the permutations the command saved
 * (--save-permutations). Max statistic and cluster mass within float32 rounding, cluster extent
 * identical unless a voxel sits at the threshold within float32 rounding (a tie).
 * The engines run through the command's --engine; the GPU joins by adding its name here.
 */
const ENGINES = ['cpu'];
const DIMS: Dims = [16, 16, 12];
const SUBJECTS = 12;
const study = writePairedStudy(DIMS, SUBJECTS, 7, 1.5);
afterAll(() => rmSync(study.dir, { recursive: true }));

const ARMS = ['mbsr', 'active', 'waitlist'];
writeFileSync(
  join(study.dir, 'participants.tsv'),
  [
    'participant_id\tarm\tage\tscore_pre\tscore_post',
    ...Array.from(
      { length: SUBJECTS },
      (_, i) =>
        `sub-${String(i + 1).padStart(2, '0')}\t${ARMS[i % 3]}\t${20 + ((i * 7) % 13) + i / 3}\t${10 + ((i * 5) % 7)}\t${9 + ((i * 3) % 8)}`,
    ),
  ].join('\n'),
);
const TSV = join(study.dir, 'participants.tsv');

interface Reference {
  voxels: number;
  tests: { maxStat: number[]; maxExtent: number[]; maxMass: number[]; ties: number[]; maxTfce: number[] }[];
}

function pairsOf(subjects: readonly string[]): string[][] {
  return subjects.map((s) => ['pre', 'post'].map((ses) => study.files.find((f) => f.includes(`${s}_ses-${ses}`))!));
}

function reference(doc: GlmDocument, prefix: string, demean = false): Reference {
  const tests = [...doc.contrasts, ...doc.fTests].map((t) => ({
    kind: t.kind,
    index: t.index,
    threshold: t.threshold.stat,
    tfce: t.tfce,
  }));
  const file = `${prefix}_case.json`;
  writeFileSync(
    file,
    JSON.stringify({ rows: pairsOf(doc.subjects), prefix, tests, connectivity: doc.connectivity, demean }),
  );
  return runPython(join(REPO, 'scripts/numpy_freedman_lane.py'), [file]);
}

function expectNullsEqual(doc: GlmDocument, ref: Reference): void {
  expect(ref.voxels).toBe(doc.maskVoxels);
  const tests: GlmTestDocument[] = [...doc.contrasts, ...doc.fTests];
  tests.forEach((t, k) => {
    const r = ref.tests[k]!;
    const label = `${t.kind === 't' ? 'contrast' : 'F-test'} ${t.index} (${t.name})`;
    expect(t.nulls.maxStat.length, label).toBe(r.maxStat.length);
    let worst = 0;
    let ties = 0;
    t.nulls.maxStat.forEach((x, j) => {
      worst = Math.max(worst, Math.abs(x - r.maxStat[j]!) / Math.max(1, Math.abs(r.maxStat[j]!)));
      if (t.nulls.maxClusterExtent[j] !== r.maxExtent[j]) {
        expect(
          r.ties[j],
          `${label}, permutation ${j + 1}: extent ${t.nulls.maxClusterExtent[j]} vs ${r.maxExtent[j]} without a tie`,
        ).toBeGreaterThan(0);
        ties++;
      } else
        expect(
          Math.abs(t.nulls.maxClusterMass[j]! - r.maxMass[j]!),
          `${label}, permutation ${j + 1}: mass`,
        ).toBeLessThanOrEqual(1e-4 * Math.max(1, r.maxMass[j]!));
    });
    expect(worst, `${label}: max statistic`).toBeLessThan(1e-4);
    if (t.nulls.maxTfce) {
      // TFCE of t, or of z from F's p: a voxel within float32 rounding of a level may fall either side.
      const off = t.nulls.maxTfce.filter(
        (x, j) => Math.abs(x - r.maxTfce[j]!) > 1e-3 * Math.max(1, r.maxTfce[j]!),
      ).length;
      expect(off, `${label}: TFCE maxima off by more than 1e-3`).toBeLessThanOrEqual(1);
      expect(Math.max(...t.nulls.maxTfce)).toBeGreaterThan(0);
    }
    expect(ties, `${label}: extents that differ at ties`).toBeLessThanOrEqual(1);
    // Not a vacuous comparison: the nulls vary and clusters form.
    expect(new Set(t.nulls.maxStat).size).toBeGreaterThan(r.maxStat.length / 2);
  });
}

describe.each(ENGINES)('Freedman-Lane nulls equal a plain numpy refit (engine %s)', (engine) => {
  it('three arms on the change, adjusted for age: six pairwise t-contrasts and the F-test, permutations; TFCE (on z from F for the F-test)', () => {
    const prefix = join(study.dir, `arms-${engine}`);
    const doc = siglensJson<GlmDocument>(
      'group',
      ...study.files,
      '--design',
      'paired',
      '--participants',
      TSV,
      '--group-column',
      'arm',
      '--groups',
      ARMS.join(','),
      '--covariate',
      'age',
      '--permutations',
      '40',
      '--seed',
      '5',
      '--tfce',
      '--save-permutations',
      '--out',
      prefix,
      '--engine',
      engine,
    );
    expect(doc.model.columns).toEqual([...ARMS, 'age']);
    expect(doc.contrasts.map((c) => c.name)).toEqual([
      'mbsr - active',
      'active - mbsr',
      'mbsr - waitlist',
      'waitlist - mbsr',
      'active - waitlist',
      'waitlist - active',
    ]);
    expect(doc.fTests[0]!.contrasts).toEqual([1, 3]);
    expect(doc.fTests[0]!.df1).toBe(2);
    expect([...doc.contrasts, ...doc.fTests].every((t) => t.permutation === 'permutation')).toBe(true);
    expect(doc.df).toBe(SUBJECTS - 4);
    // The saved permutations are whole permutations of the rows, the data's own first.
    const lines = readFileSync(`${prefix}_perm_fstat1.txt`, 'utf8').trim().split('\n');
    expect(lines.length).toBe(40);
    expect(lines[0]).toBe(Array.from({ length: SUBJECTS }, (_, i) => i + 1).join(' '));
    for (const l of lines)
      expect(
        l
          .split(' ')
          .map(Number)
          .sort((a, b) => a - b),
      ).toEqual(Array.from({ length: SUBJECTS }, (_, i) => i + 1));
    expectNullsEqual(doc, reference(doc, prefix));
  }, 240_000);

  it('the mean change adjusted for a covariate: sign flips, as randomise chooses for a mean test', () => {
    const prefix = join(study.dir, `mean-${engine}`);
    const doc = siglensJson<GlmDocument>(
      'group',
      ...study.files,
      '--design',
      'paired',
      '--participants',
      TSV,
      '--covariate',
      'score_post - score_pre',
      '--permutations',
      '60',
      '--seed',
      '2',
      '--save-permutations',
      '--out',
      prefix,
      '--engine',
      engine,
    );
    expect(doc.contrasts.length).toBe(1);
    expect(doc.contrasts[0]!.permutation).toBe('sign-flip');
    expect(readFileSync(`${prefix}_perm_tstat1.txt`, 'utf8').split('\n')[1]).toMatch(/^(-?1 )+-?1$/);
    expectNullsEqual(doc, reference(doc, prefix));
  }, 240_000);

  it('the model read back from the written FSL files, with exchangeability blocks', () => {
    const first = join(study.dir, `arms-${engine}`);
    const blocks = join(study.dir, 'design.grp');
    writeFileSync(
      blocks,
      `/NumWaves\t1\n/NumPoints\t${SUBJECTS}\n/Matrix\n${Array.from({ length: SUBJECTS }, (_, i) => (i < SUBJECTS / 2 ? 1 : 2)).join('\n')}\n`,
    );
    const prefix = join(study.dir, `fsl-${engine}`);
    const doc = siglensJson<GlmDocument>(
      'group',
      ...study.files,
      '--design',
      'paired',
      '--design-mat',
      `${first}_design.mat`,
      '--contrasts',
      `${first}_design.con`,
      '--f-tests',
      `${first}_design.fts`,
      '--blocks',
      blocks,
      '--permutations',
      '30',
      '--seed',
      '9',
      '--save-permutations',
      '--out',
      prefix,
      '--engine',
      engine,
    );
    expect(doc.permutations.blocks).toEqual(Array.from({ length: SUBJECTS }, (_, i) => (i < SUBJECTS / 2 ? 1 : 2)));
    for (const l of readFileSync(`${prefix}_perm_tstat1.txt`, 'utf8').trim().split('\n')) {
      const rows = l.split(' ').map(Number);
      rows.forEach((r, i) => expect(r <= SUBJECTS / 2, `row ${i + 1} stays in its block`).toBe(i < SUBJECTS / 2));
    }
    expectNullsEqual(doc, reference(doc, prefix));
  }, 240_000);

  it('a plain-table design.mat without an intercept, demeaned with the data (--demean, randomise -D): permutations', () => {
    const mat = join(study.dir, 'age.mat');
    writeFileSync(mat, Array.from({ length: SUBJECTS }, (_, i) => `${20 + ((i * 7) % 13) + i / 3}`).join('\n'));
    const con = join(study.dir, 'age.con');
    writeFileSync(con, '1\n-1\n');
    const prefix = join(study.dir, `demean-${engine}`);
    const doc = siglensJson<GlmDocument>(
      'group',
      ...study.files,
      '--design',
      'paired',
      '--design-mat',
      mat,
      '--contrasts',
      con,
      '--demean',
      '--permutations',
      '30',
      '--seed',
      '4',
      '--save-permutations',
      '--out',
      prefix,
      '--engine',
      engine,
    );
    expect(doc.contrasts.map((c) => c.permutation)).toEqual(['permutation', 'permutation']);
    expect(Math.abs(doc.model.rows.reduce((a, r) => a + r[0]!, 0))).toBeLessThan(1e-9);
    expectNullsEqual(doc, reference(doc, prefix, true));
  }, 240_000);
});
