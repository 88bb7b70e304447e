import type { Remote } from 'comlink';
import { describe, expect, it } from 'vitest';
import { planPermutations, permutationBatch } from '../../src/analysis/group/permutations';
import { CpuPermutation } from '../../src/compute/cpu/permutation';
import type { GroupStack, MaskGeometry, PermutationBatch } from '../../src/compute/permutation';
import { PermutationPool, type PermutationWorkerApi } from '../../src/worker/permutation-pool';
import { ellipsoidMask, syntheticStack } from '../helpers/group-study';

/** A pooled worker in this process: the same CPU twin, behind the worker's API, with a copy of what it is sent. */
function inProcessWorker(calls: number[]): Remote<PermutationWorkerApi> {
  const engine = new CpuPermutation();
  let study: { stack: GroupStack; geometry: MaskGeometry } | null = null;
  const api: PermutationWorkerApi = {
    setStudy: (stack, geometry) => void (study = { stack: { ...stack, values: stack.values.slice() }, geometry }),
    maxima: (batch: PermutationBatch, clusters, tfce) => {
      calls.push(batch.count);
      return engine.permutationMaxima(study!.stack, batch, study!.geometry, clusters, tfce);
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
    const pool = new PermutationPool([inProcessWorker(calls), inProcessWorker(calls), inProcessWorker(calls)], new CpuPermutation());
    const single = await new CpuPermutation().permutationMaxima(stack, batch, geometry, clusters, tfce);
    const pooled = await pool.permutationMaxima(stack, batch, geometry, clusters, tfce);
    expect(calls.sort((a, b) => a - b)).toEqual([20, 20, 21]);
    for (const k of ['maxT', 'maxExtent', 'maxMass'] as const) expect(Array.from(pooled[k])).toEqual(Array.from(single[k]));
    expect(Array.from(pooled.maxTfce!)).toEqual(Array.from(single.maxTfce!));
    // A batch too small to share goes to one worker; the data's own t-map stays local.
    calls.length = 0;
    await pool.permutationMaxima(stack, permutationBatch(plan, 0, 3), geometry, clusters, null);
    expect(calls).toEqual([3]);
    expect(Array.from(await pool.permutedT(stack, permutationBatch(plan, 0, 1)))).toEqual(Array.from(await new CpuPermutation().permutedT(stack, permutationBatch(plan, 0, 1))));
  });
});
