import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../helpers/volumes';
import { criticalExtent, fweP } from '../../src/analysis/group/inference';

describe('the permutation cut-off for cluster size (criticalExtent)', () => {
  it('is the fewest voxels with extent FWE p below alpha: a cluster passes it exactly when its p FWE does', () => {
    const rnd = mulberry32(11);
    for (let trial = 0; trial < 200; trial++) {
      const P = 1 + Math.floor(rnd() * 600);
      const spread = 1 + Math.floor(rnd() * 400);
      // Null maxima as a run writes them: whole voxel counts, 0 where a permutation had no cluster, ties.
      const nulls = Float64Array.from({ length: P }, () => (rnd() < 0.1 ? 0 : Math.floor(rnd() ** 2 * spread)));
      const alpha = [0.05, 0.01, 0.1, 0.5][trial % 4]!;
      const p = fweP(nulls);
      let brute = Infinity;
      for (let s = 1; s <= spread + 2; s++)
        if (p(s) < alpha) {
          brute = s;
          break;
        }
      const cut = criticalExtent(nulls, alpha);
      expect(cut).toBe(brute);
      for (let size = 1; size <= spread + 2; size++) expect(size >= cut).toBe(p(size) < alpha);
    }
  });

  it('past the largest null maximum with too few permutations for alpha; Infinity with none', () => {
    // 10 permutations: a size some null reaches has p >= 1/10, so at 0.05 only a size above them all passes.
    expect(criticalExtent([3, 5, 2, 8, 1, 0, 4, 4, 9, 6], 0.05)).toBe(10);
    expect(criticalExtent([3, 5, 2, 8, 1, 0, 4, 4, 9, 6], 0.2)).toBe(9);
    expect(criticalExtent([], 0.05)).toBe(Infinity);
  });
});
