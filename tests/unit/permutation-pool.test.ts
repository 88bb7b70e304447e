import type { Remote } from 'comlink';
import { describe, expect, it } from 'vitest';
import { freedmanLane, glmBatch, glmData } from '../../src/analysis/glm/freedman-lane';
import { designMatrix, modelTests, type GlmModel } from '../../src/analysis/glm/model';
import { planGlmPermutations } from '../../src/analysis/glm/permutations';
import { planPermutations, permutationBatch } from '../../src/analysis/group/permutations';
import { CpuEngine } from '../../src/compute/cpu/engine';
import { CpuGlm } from '../../src/compute/cpu/glm';
import { CpuPermutation } from '../../src/compute/cpu/permutation';
import type { GlmBatch, GlmData } from '../../src/compute/glm';
import type { GroupStack, MaskGeometry, PermutationBatch } from '../../src/compute/permutation';
import { PermutationPool, type PermutationWorkerApi } from '../../src/worker/permutation-pool';
import { ellipsoidMask, syntheticStack } from '../helpers/group-study';

/** A pooled worker in this process: the same CPU twin, behind the worker's API, with a copy of what it is sent. */
function inProcessWorker(calls: number[]): Remote<PermutationWorkerApi> {
  const engine = new CpuPermutation();
  const glmEngine = new CpuGlm();
  let study: { stack: GroupStack; geometry: MaskGeometry } | null = null;
  let glm: { data: GlmData; geometry: MaskGeometry } | null = null;
  const api: PermutationWorkerApi = {
    setStudy: (stack, geometry) => void (study = { stack: { ...stack, values: stack.values.slice() }, geometry }),
    maxima: (batch: PermutationBatch, clusters, tfce) => {
      calls.push(batch.count);
      return engine.permutationMaxima(study!.stack, batch, study!.geometry, clusters, tfce);
    },
    setGlm: (data, geometry) => void (glm = { data: { ...data, residuals: data.residuals.slice() }, geometry }),
    glmMaxima: (batch: GlmBatch, clusters, tfce) => {
      calls.push(batch.count);
      return glmEngine.glmMaxima(glm!.data, batch, glm!.geometry, clusters, tfce);
    },
  };
  return api as unknown as Remote<PermutationWorkerApi>;
}

describe('the permutation pool', () => {
  it("splits each batch's rows over its workers and gives the single CPU twin's maxima, in order", async () => {
    const dims: [number, number, number] = [14, 12, 10];
    const voxelIndex = ellipsoidMask(dims);
    const stack = syntheticStack(dims, 9, 5, 1.2, voxelIndex);
    const geometry = { dims, voxelIndex };
    const plan = planPermutations(9, null, 61, 11);
    const batch = permutationBatch(plan, 0, plan.count);
    const clusters = { threshold: 2.3, twoSided: true, connectivity: 26 as const };
    const tfce = { step: 0.1, E: 0.5, H: 2, connectivity: 6 as const, twoSided: true };
    const calls: number[] = [];
    const pool = new PermutationPool(
      [inProcessWorker(calls), inProcessWorker(calls), inProcessWorker(calls)],
      new CpuEngine(),
    );
    const single = await new CpuPermutation().permutationMaxima(stack, batch, geometry, clusters, tfce);
    const pooled = await pool.permutationMaxima(stack, batch, geometry, clusters, tfce);
    expect(calls.sort((a, b) => a - b)).toEqual([20, 20, 21]);
    for (const k of ['maxT', 'maxExtent', 'maxMass'] as const)
      expect(Array.from(pooled[k])).toEqual(Array.from(single[k]));
    expect(Array.from(pooled.maxTfce!)).toEqual(Array.from(single.maxTfce!));
    // A batch too small to share goes to one worker; the data's own t-map stays local.
    calls.length = 0;
    await pool.permutationMaxima(stack, permutationBatch(plan, 0, 3), geometry, clusters, null);
    expect(calls).toEqual([3]);
    expect(Array.from(await pool.permutedT(stack, permutationBatch(plan, 0, 1)))).toEqual(
      Array.from(await new CpuPermutation().permutedT(stack, permutationBatch(plan, 0, 1))),
    );
  });

  it("shares a GLM F-test's permutations over its workers (each permutation's code rows together) and gives CpuGlm's maxima, in order", async () => {
    const dims: [number, number, number] = [14, 12, 10];
    const voxelIndex = ellipsoidMask(dims);
    const n = 9;
    const stack = syntheticStack(dims, n, 5, 1.2, voxelIndex);
    const geometry = { dims, voxelIndex };
    // Three groups of three and a covariate: the F-test of any group difference (rank 4, effect 2).
    const age = [31, 45, 28, 52, 39, 60, 33, 41, 47];
    const mean = age.reduce((a, b) => a + b, 0) / n;
    const model: GlmModel = {
      columns: ['a', 'b', 'c', 'age'],
      rows: age.map((x, i) => [Number(i < 3), Number(i >= 3 && i < 6), Number(i >= 6), x - mean]),
      contrasts: [
        { name: 'a - b', weights: [1, -1, 0, 0] },
        { name: 'a - c', weights: [1, 0, -1, 0] },
      ],
      fTests: [{ name: 'any', contrasts: [0, 1] }],
      blocks: null,
    };
    const fl = freedmanLane(designMatrix(model), modelTests(model)[2]!);
    const data = glmData(fl, stack.values, stack.voxels);
    const plan = planGlmPermutations(n, fl.permutation, null, 41, 5);
    const batch = glmBatch(fl, plan, 0, plan.count);
    expect([batch.statistic, batch.rank, batch.effect]).toEqual(['F', 4, 2]);
    const clusters = { threshold: 3, twoSided: false, connectivity: 26 as const };
    const tfce = { step: 0.1, E: 0.5, H: 2, connectivity: 6 as const, twoSided: false };
    const calls: number[] = [];
    const pool = new PermutationPool([inProcessWorker(calls), inProcessWorker(calls)], new CpuEngine());
    const single = await new CpuGlm().glmMaxima(data, batch, geometry, clusters, tfce);
    const pooled = await pool.glmMaxima(data, batch, geometry, clusters, tfce);
    expect(calls.sort((a, b) => a - b)).toEqual([20, 21]);
    for (const k of ['maxT', 'maxExtent', 'maxMass'] as const)
      expect(Array.from(pooled[k])).toEqual(Array.from(single[k]));
    expect(Array.from(pooled.maxTfce!)).toEqual(Array.from(single.maxTfce!));
    expect(Array.from(await pool.glmStat(data, glmBatch(fl, plan, 0, 1)))).toEqual(
      Array.from(await new CpuGlm().glmStat(data, glmBatch(fl, plan, 0, 1))),
    );
  });
});
