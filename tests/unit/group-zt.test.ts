import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tForZ, zFromT } from '../../src/analysis/group/zt';
import { runPython } from '../helpers/python';
import { REPO } from '../helpers/shared';

describe('z from t keeps the one-sided p (scipy.stats reference)', () => {
  it('equals norm.isf(t.sf(|t|)) with the sign, into the far tails (t = 40 at df 9 is finite)', () => {
    const pairs: [number, number][] = [];
    for (const df of [1, 2, 5, 9, 13, 30, 200])
      for (const t of [-40, -7.5, -2.3, -0.4, 0, 0.01, 0.5, 1, 2.3, 3.1, 5, 8, 12, 40, 100, 1e3]) pairs.push([t, df]);
    const ref = runPython<(number | null)[]>(join(REPO, 'scripts/numpy_group.py'), ['zt', JSON.stringify(pairs)]);
    pairs.forEach(([t, df], k) => {
      const z = zFromT(t, df);
      expect(Number.isFinite(z), `t ${t} df ${df}`).toBe(true);
      const e = ref[k] ?? null;
      if (e !== null)
        expect(Math.abs(z - e) <= 1e-9 * Math.max(1, Math.abs(e)), `t ${t} df ${df}: ${z} vs ${e}`).toBe(true);
    });
    expect(zFromT(40, 9)).toBeGreaterThan(6.7);
    // Beyond what a float64 p holds, z still grows with t.
    expect(zFromT(1e40, 9)).toBeGreaterThan(zFromT(1e20, 9));
    expect(Number.isFinite(zFromT(1e200, 3))).toBe(true);
  });

  it('the cluster-forming t has the z threshold one-sided p', () => {
    const ref = runPython<number[]>(join(REPO, 'scripts/numpy_group.py'), [
      'zt',
      JSON.stringify([
        [tForZ(2.3, 13), 13],
        [tForZ(3.1, 9), 9],
      ]),
    ]);
    expect(ref[0]).toBeCloseTo(2.3, 9);
    expect(ref[1]).toBeCloseTo(3.1, 9);
  });
});
