import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  mapStatistic,
  statisticP,
  thresholdForStatistic,
  UnknownDfError,
  type MapStatistic,
} from '../../src/analysis/statistic';
import { fIsf, fSf, tIsf, tSf } from '../../src/analysis/pvalue';
import { normalSf } from '../../src/analysis/normal';
import { readIntent } from '../../src/nifti/intent';
import { readNiftiFile } from '../../src/cli/files';
import { siglensJson } from '../helpers/cli';
import { runPython } from '../helpers/python';
import { HAS_SHARED, real, REPO, SHARED_MISSING } from '../helpers/shared';

interface Query {
  dist: 'norm' | 't' | 'f';
  x?: number;
  p?: number;
  df: number[];
  sf?: number;
  isf?: number;
}

const scipy = (qs: Query[]): Query[] =>
  runPython<Query[]>(join(REPO, 'scripts/scipy_distributions.py'), [JSON.stringify(qs)]);
/** Relative to |b|, or absolute below `floor` (an inverse at p = 0.5 is 0). */
const relClose = (a: number, b: number, tol: number, floor = 1e-300): void =>
  expect(Math.abs(a - b) / Math.max(Math.abs(b), floor), `${a} vs ${b}`).toBeLessThan(tol);
const raw = { code: 0, name: '', p1: 0, p2: 0, p3: 0 };

describe('t and F tails and inverses (scipy.stats.t / f)', () => {
  it('match scipy in float64, deep tails included', () => {
    const qs: Query[] = [];
    for (const df of [[1], [3], [9], [17], [262], [5000]]) {
      for (const x of [-3, -0.5, 0, 0.7, 2.3, 3.122, 6, 12, 40]) qs.push({ dist: 't', x, df });
      for (const p of [0.5, 0.05, 1e-3, 1e-6, 1e-12, 0.9]) qs.push({ dist: 't', p, df });
    }
    for (const df of [
      [1, 262],
      [2, 30],
      [4, 17],
      [10, 10],
      [3, 1000],
    ]) {
      for (const x of [0, 0.2, 1, 3.9, 10, 50, 400]) qs.push({ dist: 'f', x, df });
      for (const p of [0.5, 0.05, 1e-3, 1e-8, 0.99]) qs.push({ dist: 'f', p, df });
    }
    const inverses: Query[] = [];
    for (const r of scipy(qs)) {
      const [d1, d2] = r.df as [number, number];
      if (r.sf !== undefined) relClose(r.dist === 't' ? tSf(r.x!, d1) : fSf(r.x!, d1, d2), r.sf, 1e-10);
      if (r.isf === undefined) continue;
      const x = r.dist === 't' ? tIsf(r.p!, d1) : fIsf(r.p!, d1, d2);
      relClose(x, r.isf, 1e-7, 1);
      inverses.push({ dist: r.dist, x, df: r.df, p: r.p });
    }
    // scipy's own isf is off by up to ~5e-9 in p (boost's inverse beta): ours is checked through its sf.
    for (const r of scipy(inverses)) relClose(r.sf!, r.p!, 1e-10);
  });

  it('p < 0.001 one-sided through t(262) is 3.122, through z 3.090', () => {
    const [t, z] = scipy([
      { dist: 't', p: 1e-3, df: [262] },
      { dist: 'norm', p: 1e-3, df: [] },
    ]);
    const spm = mapStatistic(readIntent(raw, 'SPM{T_[262.0]} - contrast 3: rightTap>leftTap'));
    const threshold = thresholdForStatistic(1e-3, spm, false);
    expect(threshold.toFixed(3)).toBe('3.122');
    relClose(threshold, t!.isf!, 1e-9);
    relClose(thresholdForStatistic(1e-3, { kind: 'z', assumed: false }, false), z!.isf!, 1e-9);
    relClose(statisticP(-threshold, spm, true), 2e-3, 1e-9);
    relClose(statisticP(2, { kind: 'z', assumed: true }, false), normalSf(2), 1e-15);
  });
});

describe('the statistic of a map', () => {
  it("reads SPM's descrip: T with its df, F with both", () => {
    expect(readIntent(raw, 'SPM{T_[262.0]} - contrast 3')).toMatchObject({
      code: 3,
      kind: 't',
      p1: 262,
      source: 'descrip',
    });
    expect(readIntent(raw, 'SPM{F_[1.0,262.0]} - contrast 4')).toMatchObject({
      code: 4,
      kind: 'f',
      p1: 1,
      p2: 262,
      source: 'descrip',
    });
    expect(mapStatistic(readIntent(raw, 'SPM{F_[1.0,262.0]}'))).toEqual({ kind: 'f', df1: 1, df2: 262 });
    // The header wins where it says something; nonsense in descrip is ignored.
    expect(readIntent({ ...raw, code: 3, p1: 17 }, 'SPM{T_[262.0]}')).toMatchObject({ p1: 17, source: 'header' });
    expect(readIntent({ ...raw, code: 3 }, 'SPM{T_[40]}')).toMatchObject({ p1: 40, source: 'descrip' });
    expect(readIntent({ ...raw, code: 5 }, 'SPM{T_[40]}')).toMatchObject({ kind: 'zscore', source: 'header' });
    for (const d of ['SPM{T_[0]}', 'SPM{T_[1,2]}', 'SPM{F_[3]}', 'SPM{T_[abc]}', 'FSL5.0'])
      expect(readIntent(raw, d).source).toBe('header');
  });

  it('refuses p through a t-map whose df is unknown, until it is given', () => {
    const unknown: MapStatistic = mapStatistic({ ...readIntent({ ...raw, code: 3 }, '') });
    expect(unknown).toEqual({ kind: 't', df: undefined });
    expect(() => thresholdForStatistic(1e-3, unknown, false)).toThrow(UnknownDfError);
    expect(() => thresholdForStatistic(1e-3, unknown, false)).toThrow(/--df N/);
    expect(mapStatistic(readIntent({ ...raw, code: 3 }, ''), 30)).toEqual({ kind: 't', df: 30 });
    expect(mapStatistic(readIntent(raw, ''), 30)).toEqual({ kind: 't', df: 30 });
    expect(() => mapStatistic(readIntent({ ...raw, code: 5 }, ''), 30)).toThrow(/z-map/);
    expect(() => mapStatistic(readIntent(raw, ''), -1)).toThrow(RangeError);
    expect(() => statisticP(5, { kind: 'f', df1: 1, df2: 9 }, true)).toThrow(/one tail/);
  });
});

describe.skipIf(!HAS_SHARED)(
  `siglens info on the packages' t-maps (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    it('spmMotor (SPM, no intent) is t with df 262; tstat1 (FSL, intent T, p1 0) is t with df unknown', async () => {
      type Info = { intent: { kind: string; p1: number; df: number | null; source: string } };
      expect(siglensJson<Info>('info', real('spmMotor.nii.gz')).intent).toMatchObject({
        code: 3,
        kind: 't',
        p1: 262,
        df: 262,
        source: 'descrip',
      });
      expect(siglensJson<Info>('info', real('tstat1.nii.gz')).intent).toMatchObject({
        code: 3,
        kind: 't',
        p1: 0,
        df: null,
        source: 'header',
      });
      const v = (await readNiftiFile(real('spmMotor.nii.gz'))).volume();
      expect(thresholdForStatistic(1e-3, mapStatistic(v.intent), false).toFixed(3)).toBe('3.122');
      const t1 = (await readNiftiFile(real('tstat1.nii.gz'))).volume();
      expect(() => thresholdForStatistic(1e-3, mapStatistic(t1.intent), false)).toThrow(UnknownDfError);
    });
  },
);
