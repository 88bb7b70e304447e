import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { permutationBatch, planPermutations } from '../../src/analysis/group/permutations';
import { ThreadPoolEngine } from '../../src/cli/thread-pool-engine';
import { CpuEngine } from '../../src/compute/cpu/engine';
import type { ClusterRule, MaskGeometry, PermutationBatch, TfceRule } from '../../src/compute/permutation';
import { ellipsoidMask, syntheticStack } from '../helpers/group-study';
import type { Dims } from '../helpers/volumes';

/** The CPU engine, counting the chunks this (main) thread computes. */
class Counting extends CpuEngine {
  chunks = 0;
  override permutationMaxima(...a: Parameters<CpuEngine['permutationMaxima']>) {
    this.chunks++;
    return super.permutationMaxima(...a);
  }
}

const dims: Dims = [20, 18, 16];
const voxelIndex = ellipsoidMask(dims);
const geometry: MaskGeometry = { dims, voxelIndex };
const stack = syntheticStack(dims, 9, 7, 1, voxelIndex);
const clusters: ClusterRule = { threshold: 2.4, twoSided: false, connectivity: 26 };
const tfce: TfceRule = { step: 0.1, E: 0.5, H: 2, connectivity: 6, twoSided: false };
const batch = (count: number): PermutationBatch => permutationBatch(planPermutations(9, null, 'all', 0), 1, count);

/**
 * Runs small batches until a worker has taken a chunk of one: under the test runner a worker takes a
 * while to load its code, and until then this thread takes every chunk (as it should).
 */
async function untilWorkersTake(pool: ThreadPoolEngine, local: Counting): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    const before = local.chunks;
    await pool.permutationMaxima(stack, batch(64), geometry, clusters, tfce);
    if (local.chunks - before < 16) return;
  }
  throw new Error('no worker took a chunk of 500 batches');
}

describe("the command's thread pool (worker threads taking chunks of each batch)", () => {
  it("gives one engine's maxima, row for row, with its workers taking chunks", async () => {
    const local = new Counting();
    const pool = new ThreadPoolEngine(local, 2);
    try {
      await untilWorkersTake(pool, local);
      const b = batch(128);
      const want = await new CpuEngine().permutationMaxima(stack, b, geometry, clusters, tfce);
      const got = await pool.permutationMaxima(stack, b, geometry, clusters, tfce);
      for (const key of ['maxT', 'maxExtent', 'maxMass', 'maxTfce'] as const)
        expect(Array.from(got[key]!), key).toEqual(Array.from(want[key]!));
    } finally {
      pool.dispose();
    }
  });

  it('rejects with the reason when a worker stops mid-batch, and this thread stops taking chunks', async () => {
    const local = new Counting();
    const pool = new ThreadPoolEngine(local, 2);
    try {
      await untilWorkersTake(pool, local);
      // Chunks long enough (about 128 rows of a 30^3 study each) that this thread cannot take all
      // sixteen before the worker's exit reaches it, however busy the machine.
      const bigDims: Dims = [30, 30, 30];
      const bigIndex = ellipsoidMask(bigDims);
      const big = syntheticStack(bigDims, 9, 3, 1, bigIndex);
      const rows = permutationBatch(planPermutations(9, null, 5000, 0), 1, 2048);
      const before = local.chunks;
      const run = pool.permutationMaxima(big, rows, { dims: bigDims, voxelIndex: bigIndex }, clusters, tfce);
      // The worker is stopped as the batch starts (its first chunk may or may not be under way).
      void (pool as unknown as { threads: Worker[] }).threads[0]!.terminate();
      await expect(run).rejects.toThrow(/permutation thread stopped|threads were stopped/);
      // 2,048 rows in chunks of 128: this thread alone would have taken all 16 chunks.
      expect(local.chunks - before).toBeLessThan(16);
    } finally {
      pool.dispose();
    }
  });

  it('not asked for threads, starts its workers only for a run long enough to pay for them, with the same maxima', async () => {
    const workers = (p: ThreadPoolEngine): number => (p as unknown as { threads: Worker[] }).threads.length;
    const short = new ThreadPoolEngine(new CpuEngine(), 2, false);
    const long = new ThreadPoolEngine(new CpuEngine(), 2, false);
    try {
      // Three batches of eight: the second's rate says the rest (8 rows) is far below POOL_MIN_RUN_MS.
      short.expect(24);
      for (let k = 0; k < 3; k++) await short.permutationMaxima(stack, batch(8), geometry, clusters, tfce);
      expect(workers(short)).toBe(0);
      // A million rows to come: the third batch starts the workers and is shared.
      long.expect(1e6);
      for (let k = 0; k < 2; k++) await long.permutationMaxima(stack, batch(8), geometry, clusters, tfce);
      expect(workers(long)).toBe(0);
      const b = batch(128);
      const got = await long.permutationMaxima(stack, b, geometry, clusters, tfce);
      expect(workers(long)).toBe(1);
      const want = await new CpuEngine().permutationMaxima(stack, b, geometry, clusters, tfce);
      for (const key of ['maxT', 'maxExtent', 'maxMass', 'maxTfce'] as const)
        expect(Array.from(got[key]!), key).toEqual(Array.from(want[key]!));
    } finally {
      short.dispose();
      long.dispose();
    }
  });
});
