// What only the WGSL permutation passes have: chunked batches, their input checks before any GPU
// work, float32 zero variance. The passes' numbers are in tests/gpu/permutation.test.ts (both engines).
import { describe, expect, it } from 'vitest';
import type { PermutationBatch } from '../../src/compute/permutation';
import { dawnEngine, useEngine } from '../helpers/engines';
import { referenceT, relabellings, signFlips, syntheticStudy } from '../helpers/permutation-study';

describe('WGSL permutation passes: chunks and bad input (Dawn)', () => {
  const gpu = useEngine(() => dawnEngine());

  const study = syntheticStudy(7, [9, 8, 7], 8, 1.2);
  const flips = signFlips(8, 256);

  it('a batch of many chunks gives what one chunk gives', async () => {
    const V = study.stack.voxels;
    // Room for 3 permutations a chunk: 20 permutations take 7 chunks.
    const small = await dawnEngine({ permutations: { budgetBytes: 3 * 5 * V * 4 } });
    try {
      const batch = signFlips(8, 20, 5);
      const rule = { threshold: 2.3, twoSided: true, connectivity: 18 } as const;
      const tfce = { step: 0.2, E: 0.5, H: 2, connectivity: 6, twoSided: true } as const;
      const whole = await gpu.permutationMaxima(study.stack, batch, study.geometry, rule, tfce);
      const chunked = await small.permutationMaxima(study.stack, batch, study.geometry, rule, tfce);
      expect(chunked).toEqual(whole);
      expect(await small.permutedT(study.stack, batch)).toEqual(await gpu.permutedT(study.stack, batch));
    } finally {
      small.dispose();
    }
  });

  it('calls made at once give what the same calls give one after another', async () => {
    const rule = { threshold: 2.3, twoSided: true, connectivity: 26 } as const;
    const [a, b] = [signFlips(8, 6, 7), signFlips(8, 30, 8)];
    const other = syntheticStudy(5, [6, 6, 6], 8, 1);
    const sequential = [
      await gpu.permutationMaxima(study.stack, a, study.geometry, rule, null),
      await gpu.permutedT(other.stack, b),
      await gpu.permutationMaxima(study.stack, b, study.geometry, rule, null),
    ];
    const together = await Promise.all([
      gpu.permutationMaxima(study.stack, a, study.geometry, rule, null),
      gpu.permutedT(other.stack, b),
      gpu.permutationMaxima(study.stack, b, study.geometry, rule, null),
    ]);
    expect(together).toEqual(sequential);
  });

  it('a zero variance gives t = 0 in float32 too (constant voxels, and flips that make |x| all one sign)', async () => {
    const n = 6;
    const V = 3;
    const values = new Float32Array(n * V);
    for (let i = 0; i < n; i++) {
      values[i * V] = 2.5;
      values[i * V + 1] = i % 2 ? -1.7 : 1.7;
      values[i * V + 2] = 0.3 * i - 1;
    }
    const stack = { subjects: n, voxels: V, values };
    for (const batch of [signFlips(n, 64), relabellings(n, 3, 10)]) {
      const t = await gpu.permutedT(stack, batch);
      const ref = referenceT(stack, batch);
      // A zero variance mistaken for rounding noise would give a huge t (or NaN), not a small one.
      let zeros = 0;
      ref.forEach((r, i) => {
        if (r === 0) zeros++;
        expect(Math.abs(t[i]! - r), `entry ${i}: ${t[i]} vs ${r}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(r)));
      });
      expect(zeros).toBeGreaterThan(0);
      // A relabelling never changes a constant voxel's zero spread; a flip of all signs keeps every spread.
      if (batch.kind === 'relabel') for (let p = 0; p < batch.count; p++) expect(t[p * V]).toBe(0);
      else expect([t[0], t[1], t[V * (batch.count - 1)], t[V * (batch.count - 1) + 1]]).toEqual([0, 0, 0, 0]);
    }
  });

  it('bad input is a clear error, not a wrong read on the GPU', async () => {
    const { stack, geometry } = study;
    const rule = { threshold: 2.3, twoSided: false, connectivity: 26 } as const;
    const short: PermutationBatch = { kind: 'sign-flip', count: 3, codes: new Float32Array(8 * 3 - 1) };
    await expect(gpu.permutedT(stack, short)).rejects.toThrow(/3 permutations x 8 subjects/);
    const values = stack.values.slice();
    values[17] = NaN;
    await expect(gpu.permutedT({ ...stack, values }, flips)).rejects.toThrow(/finite/);
    await expect(
      gpu.permutationMaxima(stack, flips, { ...geometry, voxelIndex: geometry.voxelIndex.subarray(1) }, rule, null),
    ).rejects.toThrow(/mask lists/);
    const reversed = { dims: geometry.dims, voxelIndex: geometry.voxelIndex.slice().reverse() };
    await expect(gpu.permutationMaxima(stack, flips, reversed, rule, null)).rejects.toThrow(/ascend/);
    await expect(
      gpu.permutedT(
        { subjects: 1, voxels: stack.voxels, values: stack.values.subarray(0, stack.voxels) },
        signFlips(1, 2),
      ),
    ).rejects.toThrow(/at least 2/);
    await expect(
      gpu.tfce(new Float32Array(stack.voxels), geometry, { step: 0, E: 0.5, H: 2, connectivity: 6, twoSided: false }),
    ).rejects.toThrow(/step/);
  });
});
