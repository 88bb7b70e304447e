import { describe, expect, it } from 'vitest';
import { runGroupAnalysis } from '../../src/analysis/group/run';
import { CpuEngine } from '../../src/compute/cpu/engine';
import { ellipsoidMask, syntheticStack } from '../helpers/group-study';
import type { Dims } from '../helpers/volumes';

/**
 * Null data, as Eklund et al. 2016 ran it: pre and post from one distribution, so each subject's
 * post - pre is smooth noise symmetric about 0 and a sign-flip test is exact. 200 studies of 12
 * subjects on a 24 x 24 x 20 grid (an ellipsoid of about 6,000 voxels, noise smoothed by three box
 * passes of half-width 1), 200 random sign flips each (the data's own first), clusters at z 2.3,
 * 26-connected. The family-wise error rate is the share of studies with any cluster at FWE p <= 0.05.
 */
const STUDIES = 200;
const SUBJECTS = 12;
const PERMUTATIONS = 200;
const DIMS: Dims = [24, 24, 20];
const ALPHA = 0.05;

/** The central 95% range of Binomial(n, p): the counts a correct 5% test falls within. */
function binomialInterval(n: number, p: number): [number, number] {
  const pmf: number[] = [];
  let logC = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logC += Math.log((n - k + 1) / k);
    pmf.push(Math.exp(logC + k * Math.log(p) + (n - k) * Math.log1p(-p)));
  }
  let cum = 0;
  let lo = 0;
  while (cum + pmf[lo]! < 0.025) cum += pmf[lo++]!;
  cum = 0;
  let hi = n;
  while (cum + pmf[hi]! < 0.025) cum += pmf[hi--]!;
  return [lo, hi];
}

describe('false positives on null data', () => {
  it(`permutation cluster FWE rate at z 2.3 is within the binomial interval of 5% (${STUDIES} studies x ${SUBJECTS} subjects); GRF beside it`, async () => {
    const voxelIndex = ellipsoidMask(DIMS);
    const engine = new CpuEngine();
    let permutationFp = 0;
    let grfFp = 0;
    for (let s = 0; s < STUDIES; s++) {
      const stack = syntheticStack(DIMS, SUBJECTS, 1000 + s, 0, voxelIndex);
      const r = await runGroupAnalysis(
        {
          design: 'paired',
          contrast: 'post - pre',
          subjects: [],
          stack,
          geometry: { dims: DIMS, voxelIndex },
          labels: null,
          excluded: [],
          grid: { dims: DIMS, affine: [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1], pixdim: [2, 2, 2] },
          thresholdZ: 2.3,
          twoSided: false,
          connectivity: 26,
          permutations: PERMUTATIONS,
          seed: s,
          tfce: null,
        },
        engine,
      );
      if (r.clusters.some((c) => c.pFwe <= ALPHA)) permutationFp++;
      if (r.clusters.some((c) => c.pGrf <= ALPHA)) grfFp++;
    }
    const [lo, hi] = binomialInterval(STUDIES, ALPHA);
    console.log(
      `null data: permutation FWE ${permutationFp}/${STUDIES} (${((100 * permutationFp) / STUDIES).toFixed(1)}%), GRF ${grfFp}/${STUDIES} (${((100 * grfFp) / STUDIES).toFixed(1)}%); 95% binomial range of a 5% test ${lo}-${hi}`,
    );
    expect(permutationFp).toBeGreaterThanOrEqual(lo);
    expect(permutationFp).toBeLessThanOrEqual(hi);
  }, 300_000);
});
