import { describe, expect, it } from 'vitest';
import { mirrorPlan } from '../../src/analysis/group/mirrors';
import {
  permutationBatch,
  permutationRow,
  permutationRows,
  planPermutations,
  type PermutationPlan,
} from '../../src/analysis/group/permutations';
import { runGroupAnalysis } from '../../src/analysis/group/run';
import { CpuPermutation } from '../../src/compute/cpu/permutation';
import type {
  ClusterRule,
  MaskGeometry,
  PermutationEngine,
  PermutationMaxima,
  TfceRule,
} from '../../src/compute/permutation';
import { ellipsoidMask, oneSampleInput, syntheticStack } from '../helpers/group-study';
import type { Dims } from '../helpers/volumes';

const row = (plan: PermutationPlan, p: number): number[] => {
  const out = new Float32Array(plan.subjects);
  permutationRow(plan, p, out);
  return Array.from(out);
};

function expectMirrorPairs(plan: PermutationPlan): number {
  const pairs = mirrorPlan(plan)!;
  let derived = 0;
  for (let p = 0; p < plan.count; p++) {
    const q = pairs.mirrorOf[p]!;
    if (q < 0) continue;
    derived++;
    expect(q).toBeLessThan(p);
    expect(pairs.wanted[q]).toBe(1);
    expect(row(plan, p)).toEqual(row(plan, q).map((c) => -c));
  }
  expect(pairs.rows.length + derived).toBe(plan.count);
  return derived;
}

/** The CPU twin without its mirror pass: every row run on its own. */
function withoutMirrors(e: CpuPermutation): PermutationEngine {
  return {
    permutedT: (s, b) => e.permutedT(s, b),
    tfce: (t, g, r) => e.tfce(t, g, r),
    permutationMaxima: (s, b, g, c, t) => e.permutationMaxima(s, b, g, c, t),
  };
}

const arrays = (m: PermutationMaxima) =>
  [m.maxT, m.maxExtent, m.maxMass, m.maxTfce].map((a) => (a ? Array.from(a) : null));

describe('mirror pairs of sign flips', () => {
  it('an exhaustive plan: the second half of the Gray code mirrors the first, row for row', () => {
    expect(expectMirrorPairs(planPermutations(7, null, 'all', 0))).toBe(64);
  });

  it('random rows: a row drawn after its mirror is found, and nothing else', () => {
    expect(expectMirrorPairs(planPermutations(6, null, 50, 3))).toBeGreaterThan(0);
    expect(mirrorPlan(planPermutations(6, Uint8Array.from([1, 1, 1, 0, 0, 0]), 10, 3))).toBeNull();
  });

  it("the CPU twin's one-pass mirror maxima equal the mirror rows run on their own, with clusters and TFCE", async () => {
    const dims: Dims = [13, 12, 9];
    const voxelIndex = ellipsoidMask(dims);
    const geometry: MaskGeometry = { dims, voxelIndex };
    const stack = syntheticStack(dims, 8, 21, 0.8, voxelIndex);
    const plan = planPermutations(8, null, 40, 9);
    const batch = {
      ...permutationBatch(plan, 0, 40),
      mirrors: Uint8Array.from({ length: 40 }, (_, p) => (p % 3 === 0 ? 0 : 1)),
    };
    const negated = { kind: batch.kind, count: batch.count, codes: batch.codes.map((c) => -c) };
    const clusters: ClusterRule = { threshold: 1.9, twoSided: false, connectivity: 26 };
    const tfce: TfceRule = { step: 0.1, E: 0.5, H: 2, connectivity: 6, twoSided: false };
    for (const rule of [null, tfce]) {
      const e = new CpuPermutation();
      const both = await e.permutationMaxima(stack, batch, geometry, clusters, rule);
      const direct = await e.permutationMaxima(
        stack,
        { kind: batch.kind, count: batch.count, codes: batch.codes },
        geometry,
        clusters,
        rule,
      );
      const mirrors = await e.permutationMaxima(stack, negated, geometry, clusters, rule);
      expect(arrays(both).slice(0, 4)).toEqual(arrays(direct));
      const got = arrays(both.mirror!);
      const want = arrays(mirrors).map((a) => (a ? a.map((x, p) => (batch.mirrors[p] ? x : 0)) : null));
      expect(got).toEqual(want);
      expect(Math.max(...want[1]!)).toBeGreaterThan(0);
    }
  });

  it('runGroupAnalysis gives the same nulls with the mirror passes as with every row run, one- and two-sided', async () => {
    const dims: Dims = [12, 11, 9];
    const voxelIndex = ellipsoidMask(dims);
    const stack = syntheticStack(dims, 7, 5, 1.0, voxelIndex);
    for (const twoSided of [false, true]) {
      const input = oneSampleInput(dims, voxelIndex, stack, { twoSided, tfce: { E: 0.5, H: 2, connectivity: 6 } });
      const paired = await runGroupAnalysis(input, new CpuPermutation());
      const plain = await runGroupAnalysis(input, withoutMirrors(new CpuPermutation()));
      expect(paired.nulls).toEqual(plain.nulls);
      expect(paired.nulls.maxT.length).toBe(128);
    }
  });

  it('permutationRows gives the listed rows of the plan', () => {
    const plan = planPermutations(5, null, 'all', 0);
    const b = permutationRows(plan, Int32Array.from([3, 17, 4]));
    expect(Array.from(b.codes.subarray(5, 10))).toEqual(row(plan, 17));
  });
});
