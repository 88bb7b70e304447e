// The whole model run (src/analysis/glm/run.ts) on both engines: a three-arm F-test with pairwise
// contrasts and a covariate (the seeds' design), with TFCE and uncorrected p, gives the same nulls,
// clusters and randomise maps on the WGSL pass as on the CPU twin (statistics within float32
// rounding; cluster sizes equal: no float tie of the threshold occurs in this study, which the map
// comparison below would show).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/compute/cpu/engine';
import type { GpuEngine } from '../../src/compute/gpu/engine';
import { runGlmAnalysis, type GlmInput, type GlmResult } from '../../src/analysis/glm/run';
import type { GlmModel } from '../../src/analysis/glm/model';
import { dawnEngine } from '../helpers/engines';
import { ellipsoidMask, syntheticStack } from '../helpers/group-study';

const DIMS: [number, number, number] = [11, 10, 9];
const N = 21;

function threeArms(): GlmModel {
  const raw = Array.from({ length: N }, (_, i) => 40 + ((i * 5) % 9) + 0.3 * Math.cos(i));
  const mean = raw.reduce((a, b) => a + b, 0) / N;
  return {
    columns: ['mbsr', 'active', 'waitlist', 'age'],
    rows: raw.map((a, i) => [i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0, i % 3 === 2 ? 1 : 0, a - mean]),
    contrasts: [
      { name: 'mbsr-waitlist', weights: [1, 0, -1, 0] },
      { name: 'waitlist-mbsr', weights: [-1, 0, 1, 0] },
      { name: 'mbsr-active', weights: [1, -1, 0, 0] },
    ],
    fTests: [{ name: 'any difference', contrasts: [0, 2] }],
    blocks: null,
  };
}

describe('runGlmAnalysis: the same results on the GPU as on the CPU twin', () => {
  let gpu: GpuEngine;
  let results: [GlmResult, GlmResult];
  beforeAll(async () => {
    gpu = await dawnEngine();
    const voxelIndex = ellipsoidMask(DIMS);
    const stack = syntheticStack(DIMS, N, 77, 0.9, voxelIndex);
    const input: GlmInput = {
      model: threeArms(),
      subjects: Array.from({ length: N }, (_, i) => `sub-${i + 1}`),
      stack,
      geometry: { dims: DIMS, voxelIndex },
      grid: { dims: DIMS, affine: [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1], pixdim: [2, 2, 2] },
      excluded: [],
      thresholdZ: 2.0,
      connectivity: 26,
      permutations: 30,
      seed: 3,
      tfce: { E: 0.5, H: 2, connectivity: 6 },
      uncorrected: true,
    };
    results = [await runGlmAnalysis(input, new CpuEngine()), await runGlmAnalysis(input, gpu)];
    // SwiftShader runs TFCE's three dispatches a level on two shared cores: minutes under load.
  }, 600_000);
  afterAll(() => gpu?.dispose());

  it('every contrast and F-test: nulls, clusters and maps', () => {
    const [c, g] = results;
    expect(g.tests.map((t) => `${t.kind}${t.index}`)).toEqual(['t1', 't2', 't3', 'F1']);
    let clustered = 0;
    for (let k = 0; k < c.tests.length; k++) {
      const [tc, tg] = [c.tests[k]!, g.tests[k]!];
      const what = `${tc.kind}${tc.index}`;
      tc.nulls.maxStat.forEach((x, p) =>
        expect(Math.abs(tg.nulls.maxStat[p]! - x), `${what} permutation ${p}`).toBeLessThanOrEqual(
          1e-5 * Math.max(1, x),
        ),
      );
      expect(tg.nulls.maxClusterExtent, what).toEqual(tc.nulls.maxClusterExtent);
      tc.nulls.maxClusterMass.forEach((x, p) =>
        expect(Math.abs(tg.nulls.maxClusterMass[p]! - x)).toBeLessThanOrEqual(1e-5 * x),
      );
      // TFCE's step is each engine's own observed max / 100, and a voxel whose statistic straddles a
      // level (a float tie) moves a permutation's TFCE by one level's share: close, and mostly equal.
      let tfceEqual = 0;
      tc.nulls.maxTfce!.forEach((x, p) => {
        const d = Math.abs(tg.nulls.maxTfce![p]! - x);
        expect(d, `${what} TFCE ${p}`).toBeLessThanOrEqual(1e-3 * x);
        if (d <= 1e-5 * x) tfceEqual++;
      });
      console.log(`${what}: TFCE equal (1e-5) on ${tfceEqual} of ${tc.nulls.maxTfce!.length} permutations`);
      expect(tfceEqual, what).toBeGreaterThanOrEqual(0.9 * tc.nulls.maxTfce!.length);
      expect(
        tg.clusters.map((x) => [x.voxels, x.pFwe, x.pFweMass]),
        what,
      ).toEqual(tc.clusters.map((x) => [x.voxels, x.pFwe, x.pFweMass]));
      if (tc.clusters.length > 0) clustered++;
      const close = (a: Float32Array | null, b: Float32Array | null): number => {
        let worst = 0;
        a!.forEach((x, v) => (worst = Math.max(worst, Math.abs(x - b![v]!) / Math.max(1, Math.abs(x)))));
        return worst;
      };
      expect(close(tc.maps.stat, tg.maps.stat), `${what} stat`).toBeLessThan(1e-5);
      // 1 - p: permutation counts, equal unless a statistic ties the observed within rounding.
      for (const key of ['vox_corrp', 'clustere_corrp', 'clusterm_corrp', 'vox_p'] as const)
        expect(close(tc.maps[key], tg.maps[key]), `${what} ${key}`).toBe(0);
      // One null value moved by a level tie moves a voxel's TFCE p by at most 1 / count.
      expect(close(tc.maps.tfce_corrp, tg.maps.tfce_corrp), `${what} tfce_corrp`).toBeLessThanOrEqual(
        1 / tc.plan.count + 1e-7,
      );
    }
    expect(clustered).toBeGreaterThanOrEqual(2);
  });
});
