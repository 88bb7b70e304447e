// The WGSL permutation passes against float64 references written from the definitions
// (tests/helpers/permutation-study.ts). Labelling and TFCE are checked on the GPU's own permuted t,
// so no float tie can blur them; t itself is checked against float64 apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connectivity } from '../../src/compute/engine';
import { GpuEngine } from '../../src/compute/gpu/engine';
import { nodeGpu, nodeShaderSources } from '../../src/cli/node-gpu';
import type { PermutationBatch } from '../../src/compute/permutation';
import { dawnEngine } from '../helpers/engines';
import { referenceClusters, referenceT, referenceTfce, relabellings, rowMax, signFlips, syntheticStudy } from '../helpers/permutation-study';

/** |GPU t - float64 t| over max(1, |t|): float32 relative error, absolute near 0. */
function worstTError(gpu: Float32Array, ref: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(gpu[i]! - ref[i]!) / Math.max(1, Math.abs(ref[i]!)));
  return worst;
}

describe('WGSL permutation passes vs float64 references (Dawn)', () => {
  let gpu: GpuEngine;
  beforeAll(async () => {
    gpu = await dawnEngine();
  });
  afterAll(() => gpu?.dispose());

  const study = syntheticStudy(7, [9, 8, 7], 8, 1.2);
  const flips = signFlips(8, 256);

  it('sign-flip t equals float64 within 1e-5 (exhaustive 2^8)', async () => {
    const t = await gpu.permutedT(study.stack, flips);
    const err = worstTError(t, referenceT(study.stack, flips));
    console.log(`sign flips: ${study.stack.voxels} voxels, worst t error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
  });

  it('relabelled t equals float64 within 1e-5, also on data with a large common offset', async () => {
    for (const offset of [0, 1000]) {
      const s = syntheticStudy(8, [7, 6, 5], 11, 1, offset);
      const batch = relabellings(11, 5, 40);
      const err = worstTError(await gpu.permutedT(s.stack, batch), referenceT(s.stack, batch));
      console.log(`relabel, offset ${offset}: worst t error ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-5);
    }
  });

  for (const connectivity of [6, 18, 26] as Connectivity[]) {
    for (const twoSided of [false, true]) {
      it(`maxima at t_u 2.3, ${connectivity}-connected, ${twoSided ? 'two' : 'one'}-sided, TFCE ${connectivity}-connected`, async () => {
        const batch = signFlips(8, 24, 3);
        const V = study.stack.voxels;
        const rule = { threshold: 2.3, twoSided, connectivity };
        const tfce = { step: 0.1, E: 0.5, H: 2, connectivity, twoSided };
        const t = await gpu.permutedT(study.stack, batch);
        const m = await gpu.permutationMaxima(study.stack, batch, study.geometry, rule, tfce);
        expect(Array.from(m.maxT)).toEqual(Array.from(rowMax(t, batch.count, V, twoSided)));
        let clustered = 0;
        for (let p = 0; p < batch.count; p++) {
          const row = t.subarray(p * V, (p + 1) * V);
          const c = referenceClusters(row, study.geometry, rule.threshold, twoSided, connectivity);
          expect(m.maxExtent[p], `permutation ${p} extent`).toBe(c.extent);
          // The fixed-point mass is the exact sum of the float32 |t|, as is float64's here.
          expect(m.maxMass[p], `permutation ${p} mass`).toBe(c.mass);
          if (c.extent > 0) clustered++;
          const ref = rowMax(referenceTfce(row, study.geometry, tfce.step, tfce.E, tfce.H, twoSided, connectivity), 1, V, true)[0]!;
          expect(Math.abs(m.maxTfce![p]! - ref), `permutation ${p} TFCE ${m.maxTfce![p]} vs ${ref}`).toBeLessThanOrEqual(1e-5 * ref);
        }
        expect(clustered).toBeGreaterThan(0);
      });
    }
  }

  it('relabellings: maxima of the two-sample t, two-sided, 26-connected', async () => {
    const s = syntheticStudy(9, [8, 7, 6], 10, 1.5);
    const batch = relabellings(10, 4, 20);
    const V = s.stack.voxels;
    const t = await gpu.permutedT(s.stack, batch);
    const m = await gpu.permutationMaxima(s.stack, batch, s.geometry, { threshold: 2.0, twoSided: true, connectivity: 26 }, null);
    expect(m.maxTfce).toBeNull();
    expect(Array.from(m.maxT)).toEqual(Array.from(rowMax(t, batch.count, V, true)));
    for (let p = 0; p < batch.count; p++) {
      const c = referenceClusters(t.subarray(p * V, (p + 1) * V), s.geometry, 2.0, true, 26);
      expect([m.maxExtent[p], m.maxMass[p]]).toEqual([c.extent, c.mass]);
    }
  });

  it('a permutation with no cluster counts 0 (and no TFCE level reached gives 0)', async () => {
    const batch = signFlips(8, 5, 4);
    const m = await gpu.permutationMaxima(study.stack, batch, study.geometry, { threshold: 1e4, twoSided: true, connectivity: 26 }, { step: 1e4, E: 0.5, H: 2, connectivity: 6, twoSided: true });
    expect(Array.from(m.maxExtent)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(m.maxMass)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(m.maxTfce!)).toEqual([0, 0, 0, 0, 0]);
    expect(m.maxT.every((x) => x > 0)).toBe(true);
    // And one row without clusters among rows with them: the data's own map has clusters, a balanced flip may not.
    const mixed = await gpu.permutationMaxima(study.stack, signFlips(8, 256), study.geometry, { threshold: 3.5, twoSided: false, connectivity: 6 }, null);
    const none = Array.from(mixed.maxExtent).filter((e) => e === 0).length;
    expect(none).toBeGreaterThan(0);
    expect(none).toBeLessThan(256);
    mixed.maxExtent.forEach((e, p) => expect(e === 0, `permutation ${p}`).toBe(mixed.maxMass[p] === 0));
  });

  it('a batch of many chunks gives what one chunk gives', async () => {
    const V = study.stack.voxels;
    const adapter = await (await nodeGpu())!.requestAdapter();
    // Room for 3 permutations a chunk: 40 permutations take 14 chunks.
    const small = await GpuEngine.create(adapter!, await nodeShaderSources(), { permutations: { budgetBytes: 3 * 5 * V * 4 } });
    try {
      const batch = signFlips(8, 40, 5);
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

  for (const [connectivity, twoSided] of [[6, false], [26, true]] as [Connectivity, boolean][]) {
    it(`TFCE of one map equals the per-level definition, ${connectivity}-connected, ${twoSided ? 'two' : 'one'}-sided`, async () => {
      const t = (await gpu.permutedT(study.stack, signFlips(8, 1))).slice();
      const top = rowMax(t, 1, t.length, true)[0]!;
      for (const [E, H] of [[0.5, 2], [1, 1.5]]) {
        const rule = { step: top / 100, E, H, connectivity, twoSided };
        const got = await gpu.tfce(t, study.geometry, rule);
        const ref = referenceTfce(t, study.geometry, rule.step, E, H, twoSided, connectivity);
        const scale = rowMax(ref, 1, ref.length, true)[0]!;
        expect(scale).toBeGreaterThan(0);
        ref.forEach((r, v) => expect(Math.abs(got[v]! - r), `voxel ${v}: ${got[v]} vs ${r}`).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(r), 1e-3 * scale)));
        if (twoSided) expect(got.some((x) => x < 0)).toBe(true);
        else expect(got.every((x) => x >= 0)).toBe(true);
      }
    });
  }

  it('bad input is a clear error, not a wrong read on the GPU', async () => {
    const { stack, geometry } = study;
    const rule = { threshold: 2.3, twoSided: false, connectivity: 26 } as const;
    const short: PermutationBatch = { kind: 'sign-flip', count: 3, codes: new Float32Array(8 * 3 - 1) };
    await expect(gpu.permutedT(stack, short)).rejects.toThrow(/3 permutations x 8 subjects/);
    const values = stack.values.slice();
    values[17] = NaN;
    await expect(gpu.permutedT({ ...stack, values }, flips)).rejects.toThrow(/finite/);
    await expect(gpu.permutationMaxima(stack, flips, { ...geometry, voxelIndex: geometry.voxelIndex.subarray(1) }, rule, null)).rejects.toThrow(/mask lists/);
    const reversed = { dims: geometry.dims, voxelIndex: geometry.voxelIndex.slice().reverse() };
    await expect(gpu.permutationMaxima(stack, flips, reversed, rule, null)).rejects.toThrow(/ascend/);
    await expect(gpu.permutedT({ subjects: 1, voxels: stack.voxels, values: stack.values.subarray(0, stack.voxels) }, signFlips(1, 2))).rejects.toThrow(/at least 2/);
    await expect(gpu.tfce(new Float32Array(stack.voxels), geometry, { step: 0, E: 0.5, H: 2, connectivity: 6, twoSided: false })).rejects.toThrow(/step/);
  });
});
