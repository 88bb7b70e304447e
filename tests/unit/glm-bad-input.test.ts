import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePairedStudy } from '../helpers/group-study';
import { REPO } from '../helpers/shared';

/** ../shared/SPEC.md "The general linear model": every bad input it lists gets one clear line and exit 2. */
const N = 8;
const study = writePairedStudy([8, 8, 6], N, 3, 1);
afterAll(() => rmSync(study.dir, { recursive: true }));
const file = (name: string, text: string): string => {
  const path = join(study.dir, name);
  writeFileSync(path, text);
  return path;
};
const ones = (n: number): string => Array(n).fill('1').join('\n');
const vestMat = (rows: string[], waves: number): string =>
  `/NumWaves\t${waves}\n/NumPoints\t${rows.length}\n/Matrix\n${rows.join('\n')}\n`;
const tsv = (age: (i: number) => string): string =>
  [
    'participant_id\tage\tarm',
    ...Array.from({ length: N }, (_, i) => `sub-${String(i + 1).padStart(2, '0')}\t${age(i)}\t${i % 2 ? 'a' : 'b'}`),
  ].join('\n');

function group(...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [
      join(REPO, 'bin/siglens.mjs'),
      'group',
      ...study.files,
      '--design',
      'paired',
      '--permutations',
      '5',
      '--engine',
      'cpu',
      ...args,
    ],
    { encoding: 'utf8', cwd: REPO },
  );
  return { status: r.status, stderr: r.stderr };
}

const CASES: [string, () => string[], RegExp][] = [
  [
    "design rows that are not the maps' count",
    () => ['--design-mat', file('short.mat', ones(N - 2)), '--contrasts', file('one.con', '1\n')],
    /design has 6 rows but there are 8 maps/,
  ],
  [
    "a contrast whose length is not the design's columns",
    () => ['--design-mat', file('one.mat', ones(N)), '--contrasts', file('two.con', '1 0\n')],
    /contrast 1 \(C1\) has 2 weights but the design has 1 columns/,
  ],
  [
    'a rank-deficient design, saying which columns and which contrast is not estimable',
    () => [
      '--design-mat',
      file(
        'dup.mat',
        vestMat(
          Array.from({ length: N }, (_, i) => `1 1 ${i}`),
          3,
        ),
      ),
      '--contrasts',
      file(
        'dup.con',
        '/ContrastName1\tfirst\n/ContrastName2\tslope\n/NumWaves 3\n/NumContrasts 2\n/Matrix\n1 0 0\n0 0 1\n',
      ),
    ],
    /rank-deficient \(rank 2 of 3 columns\): columns EV1, EV2 are linearly dependent; contrast 1 \(first\) is not estimable in it/,
  ],
  [
    'an F-test naming no contrast',
    () => [
      '--design-mat',
      file('slope.mat', Array.from({ length: N }, (_, i) => `1 ${i}`).join('\n')),
      '--contrasts',
      file('slope.con', '0 1\n0 -1\n'),
      '--f-tests',
      file('none.fts', '0 0\n'),
    ],
    /F-test 1 \(F1\) names no contrast/,
  ],
  [
    'a block file of another length',
    () => [
      '--design-mat',
      file('one2.mat', ones(N)),
      '--contrasts',
      file('one2.con', '1\n'),
      '--blocks',
      file('short.grp', ones(N - 1)),
    ],
    /block file has 7 rows but the design has 8/,
  ],
  [
    'a covariate that is not numeric',
    () => [
      '--participants',
      file(
        'p.tsv',
        tsv((i) => (i === 3 ? 'old' : String(20 + i))),
      ),
      '--covariate',
      'age',
    ],
    /covariate "age" is not numeric \(sub-04 has "old"\)/,
  ],
  [
    'a design file cell that is not a number',
    () => ['--design-mat', file('word.mat', `${ones(N - 1)}\nx\n`), '--contrasts', file('one3.con', '1\n')],
    /design\.mat: "x" on line 8 is not a number/,
  ],
  [
    "/NumWaves that is not the rows' width",
    () => ['--design-mat', file('waves.mat', vestMat(Array(N).fill('1'), 2)), '--contrasts', file('one4.con', '1\n')],
    /\/NumWaves is 2 but the rows hold 1 values/,
  ],
  [
    'a column the participants file lacks',
    () => [
      '--participants',
      file(
        'p2.tsv',
        tsv((i) => String(20 + i)),
      ),
      '--effect',
      'weight',
    ],
    /no column "weight"/,
  ],
  ['covariates without the participants file', () => ['--covariate', 'age'], /need --participants TSV/],
  [
    '--two-sided with a model',
    () => [
      '--participants',
      file(
        'p3.tsv',
        tsv((i) => String(20 + i)),
      ),
      '--covariate',
      'age',
      '--two-sided',
    ],
    /one-sided, as randomise's/,
  ],
];

describe('siglens group with a model: bad input is one line and exit 2', () => {
  it.each(CASES)(
    '%s',
    (_, args, message) => {
      const r = group(...args());
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n').length, r.stderr).toBe(1);
      expect(r.stderr).toMatch(message);
    },
    60_000,
  );
});
