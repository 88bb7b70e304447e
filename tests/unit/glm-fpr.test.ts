import { describe, expect, it } from 'vitest';
import type { GlmModel } from '../../src/analysis/glm/model';
import { demeanColumns } from '../../src/analysis/glm/model';
import { runGlmAnalysis } from '../../src/analysis/glm/run';
import { CpuEngine } from '../../src/compute/cpu/engine';
import { ellipsoidMask, syntheticStack } from '../helpers/group-study';
import type { Dims } from '../helpers/volumes';

/**
 * False positives of the model's Freedman-Lane inference on null data: 200 studies whose covariate of
 * interest is unrelated to the maps (its contrast is tested by permutations) and 200 whose mean is 0
 * with a nuisance covariate beside it (a mean test: sign flips). Each study: 12 subjects of smooth
 * noise on a 14 x 14 x 10 ellipsoid, 100 permutations, clusters at z 2.3. A study is a false positive
 * when its max statistic (voxel FWE) or its largest cluster (cluster FWE) has p <= 0.05. Seeded, so
 * the counts are the same on every run; each must lie in the central 95% range of Binomial(200, 0.05).
 */
const STUDIES = 200;
const SUBJECTS = 12;
const PERMUTATIONS = 100;
const DIMS: Dims = [14, 14, 10];
const ALPHA = 0.05;

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

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function model(covariate: number[], ofInterest: boolean): GlmModel {
  const x = demeanColumns(covariate.map((c) => [c]));
  return {
    columns: ['mean', 'x'],
    rows: x.map((r) => [1, r[0]!]),
    contrasts: [{ name: ofInterest ? '+x' : 'mean', weights: ofInterest ? [0, 1] : [1, 0] }],
    fTests: [],
    blocks: null,
  };
}

async function falsePositives(ofInterest: boolean): Promise<{ voxel: number; cluster: number; method: string }> {
  const voxelIndex = ellipsoidMask(DIMS);
  const engine = new CpuEngine();
  let voxel = 0;
  let cluster = 0;
  let method = '';
  for (let s = 0; s < STUDIES; s++) {
    const rand = mulberry32(5000 + s);
    const stack = syntheticStack(DIMS, SUBJECTS, (ofInterest ? 20_000 : 30_000) + s, 0, voxelIndex);
    const r = await runGlmAnalysis(
      {
        model: model(
          Array.from({ length: SUBJECTS }, () => rand()),
          ofInterest,
        ),
        subjects: [],
        stack,
        geometry: { dims: DIMS, voxelIndex },
        grid: { dims: DIMS, affine: [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1], pixdim: [2, 2, 2] },
        excluded: [],
        thresholdZ: 2.3,
        connectivity: 26,
        permutations: PERMUTATIONS,
        seed: s,
        tfce: null,
      },
      engine,
    );
    const t = r.tests[0]!;
    method = t.permutation;
    const obs = t.nulls.maxStat[0]!;
    if (t.nulls.maxStat.filter((x) => x >= obs).length / PERMUTATIONS <= ALPHA) voxel++;
    if (t.clusters.some((c) => c.pFwe <= ALPHA)) cluster++;
  }
  return { voxel, cluster, method };
}

describe('false positives of the model on null data', () => {
  const [lo, hi] = binomialInterval(STUDIES, ALPHA);
  it.each([
    { name: 'a covariate of interest (permutations)', ofInterest: true, expected: 'permutation' },
    { name: 'the mean beside a nuisance covariate (sign flips)', ofInterest: false, expected: 'sign-flip' },
  ] as const)(
    `$name: voxel and cluster FWE rates within the 95% binomial range of 5% (${STUDIES} studies)`,
    async ({ ofInterest, expected }) => {
      const fp = await falsePositives(ofInterest);
      console.log(
        `${expected}: voxel FWE ${fp.voxel}/${STUDIES}, cluster FWE ${fp.cluster}/${STUDIES}; 95% range ${lo}-${hi}`,
      );
      expect(fp.method).toBe(expected);
      expect(fp.voxel).toBeGreaterThanOrEqual(lo);
      expect(fp.voxel).toBeLessThanOrEqual(hi);
      expect(fp.cluster).toBeGreaterThanOrEqual(lo);
      expect(fp.cluster).toBeLessThanOrEqual(hi);
    },
    120_000,
  );
});
