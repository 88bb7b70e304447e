import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/compute/cpu/engine';
import type { Connectivity } from '../../src/compute/engine';
import type { ClusterRule, MaskGeometry, TfceRule } from '../../src/compute/permutation';
import { permutationBatch, planPermutations } from '../../src/analysis/group/permutations';
import { runGroupAnalysis } from '../../src/analysis/group/run';
import { ellipsoidMask, oneSampleInput, syntheticStack, writeEngineCase } from '../helpers/group-study';
import { runPython } from '../helpers/python';
import { REPO } from '../helpers/shared';
import type { Dims } from '../helpers/volumes';

interface Reference {
  maxT: number[];
  maxExtent: number[];
  maxMass: number[];
  maxTfce: number[];
  t: number[][];
  tfce0: number[] | null;
  clusters: { voxels: number; mass: number; pFwe: number; pFweMass: number }[];
  voxP: number[];
}

const near = (a: number, b: number, tol = 1e-6): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
const sorted = (a: ArrayLike<number>): number[] => Array.from(a).sort((x, y) => x - y);

/** Runs the CPU engine and scripts/numpy_group.py on the same permutations. */
async function compare(
  dims: Dims,
  n: number,
  labels: Uint8Array | null,
  clusters: ClusterRule,
  tfce: TfceRule | null,
  requested: number | 'all' = 'all',
) {
  const voxelIndex = ellipsoidMask(dims);
  const geometry: MaskGeometry = { dims, voxelIndex };
  const stack = syntheticStack(dims, n, 11 + n, 1.2, voxelIndex);
  const plan = planPermutations(n, labels, requested, 5);
  const batch = permutationBatch(plan, 0, plan.count);
  const engine = new CpuEngine();
  const ours = await engine.permutationMaxima(stack, batch, geometry, clusters, tfce);
  // Without TFCE the engine scans each permutation without making its map: the same maxima.
  const scanned = await engine.permutationMaxima(stack, batch, geometry, clusters, null);
  expect(Array.from(scanned.maxT)).toEqual(Array.from(ours.maxT));
  expect(Array.from(scanned.maxExtent)).toEqual(Array.from(ours.maxExtent));
  expect(Array.from(scanned.maxMass).map((v, k) => near(v, ours.maxMass[k]!, 1e-12))).not.toContain(false);
  const t = await engine.permutedT(stack, {
    ...batch,
    count: Math.min(4, batch.count),
    codes: batch.codes.subarray(0, Math.min(4, batch.count) * n),
  });
  const obsTfce = tfce ? await engine.tfce(t.subarray(0, stack.voxels), geometry, tfce) : null;
  const dir = writeEngineCase(stack, batch, geometry, {
    threshold: clusters.threshold,
    twoSided: clusters.twoSided,
    connectivity: clusters.connectivity,
    tfce,
  });
  try {
    const ref = runPython<Reference>(join(REPO, 'scripts/numpy_group.py'), ['engine', dir]);
    return { ours, ref, t, obsTfce, plan, voxels: stack.voxels };
  } finally {
    rmSync(dir, { recursive: true });
  }
}

describe('the CPU permutation engine against numpy/scipy (scripts/numpy_group.py)', () => {
  for (const [connectivity, twoSided] of [
    [26, false],
    [6, true],
  ] as [Connectivity, boolean][]) {
    it(`exhaustive sign flips, ${connectivity}-connected${twoSided ? ', two-sided' : ''}: t, sorted max-T, extent, mass and TFCE nulls`, async () => {
      const tfce: TfceRule = { step: 0.1, E: 0.5, H: 2, connectivity: 6, twoSided };
      const { ours, ref, t, obsTfce, plan, voxels } = await compare(
        [14, 13, 10],
        8,
        null,
        { threshold: 2.0, twoSided, connectivity },
        tfce,
      );
      expect(plan.exhaustive && plan.count).toBe(256);
      // t of the first permutations voxel for voxel (float32 maps: 1e-6 relative)
      for (let p = 0; p < ref.t.length; p++)
        for (let v = 0; v < voxels; v++) expect(near(t[p * voxels + v]!, ref.t[p]![v]!), `t ${p} ${v}`).toBe(true);
      const pairs: [string, Float64Array, number[]][] = [
        ['maxT', ours.maxT, ref.maxT],
        ['maxExtent', ours.maxExtent, ref.maxExtent],
        ['maxMass', ours.maxMass, ref.maxMass],
        ['maxTfce', ours.maxTfce!, ref.maxTfce],
      ];
      for (const [name, a, b] of pairs) {
        expect(a[0], `${name}: the data's own first`).toBeCloseTo(b[0]!, 4);
        const [sa, sb] = [sorted(a), sorted(b)];
        sa.forEach((v, k) => expect(near(v, sb[k]!), `${name} #${k}: ${v} vs ${sb[k]}`).toBe(true));
      }
      expect(new Set(ours.maxExtent).size, 'the nulls vary').toBeGreaterThan(5);
      ref.tfce0!.forEach((v, k) => expect(near(obsTfce![k]!, v), `tfce voxel ${k}`).toBe(true));
    });
  }

  it('exhaustive relabellings (two-sample, Student pooled variance): t and nulls', async () => {
    const labels = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0]);
    const { ours, ref, t, voxels } = await compare(
      [12, 12, 9],
      9,
      labels,
      { threshold: 2.3, twoSided: false, connectivity: 26 },
      null,
    );
    expect(ours.maxT.length).toBe(126);
    for (let p = 0; p < ref.t.length; p++)
      for (let v = 0; v < voxels; v++) expect(near(t[p * voxels + v]!, ref.t[p]![v]!), `t ${p} ${v}`).toBe(true);
    for (const [a, b] of [
      [ours.maxT, ref.maxT],
      [ours.maxExtent, ref.maxExtent],
      [ours.maxMass, ref.maxMass],
    ] as const) {
      expect(
        Array.from(a)
          .map((v, k) => near(v, b[k]!))
          .every(Boolean),
      ).toBe(true);
    }
    expect(ours.maxTfce).toBeNull();
  });

  it('runGroupAnalysis: cluster FWE p (extent, mass) and vox_corrp equal the reference on 512 exhaustive sign flips', async () => {
    const dims: Dims = [14, 13, 10];
    const voxelIndex = ellipsoidMask(dims);
    const geometry: MaskGeometry = { dims, voxelIndex };
    const stack = syntheticStack(dims, 9, 40, 1.5, voxelIndex);
    const engine = new CpuEngine();
    const seen: number[] = [];
    const r = await runGroupAnalysis(oneSampleInput(dims, voxelIndex, stack), engine, {
      onProgress: (p) => seen.push(p.done),
    });
    expect(r.permutations).toEqual({ count: 512, exhaustive: true, seed: 0 });
    expect(seen.at(-1)).toBe(512);
    const batch = permutationBatch(planPermutations(9, null, 'all', 0), 0, 512);
    const dir = writeEngineCase(stack, batch, geometry, {
      threshold: r.threshold.t,
      twoSided: false,
      connectivity: 26,
      tfce: null,
    });
    try {
      const ref = runPython<Reference>(join(REPO, 'scripts/numpy_group.py'), ['engine', dir]);
      expect(r.clusters.length).toBe(ref.clusters.length);
      expect(r.clusters.length).toBeGreaterThan(0);
      r.clusters.forEach((c, k) => {
        const e = ref.clusters[k]!;
        expect(c.voxels).toBe(e.voxels);
        expect(near(c.mass, e.mass)).toBe(true);
        expect(c.pFwe, `cluster ${k + 1} extent p`).toBe(e.pFwe);
        expect(c.pFweMass, `cluster ${k + 1} mass p`).toBe(e.pFweMass);
      });
      expect(Math.min(...r.clusters.map((c) => c.pFwe))).toBeLessThan(0.05);
      r.maps.vox_corrp.forEach((v, j) => expect(Math.abs(v - (1 - ref.voxP[j]!)) < 1e-9, `voxel ${j}`).toBe(true));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  /** A run far longer than the tests wait for: 100,000 random sign flips with TFCE. */
  const LONG_TFCE_RUN = { permutations: 100000, seed: 1, tfce: { E: 0.5, H: 2, connectivity: 6 } } as const;

  it('stops at the first batch boundary after Cancel', async () => {
    const dims: Dims = [30, 30, 30];
    const voxelIndex = ellipsoidMask(dims);
    const stack = syntheticStack(dims, 12, 3, 0, voxelIndex);
    const ctrl = new AbortController();
    // Cancel once permutations are under way; count the batches that still finish after it.
    let batchesAfterCancel = -1;
    const onProgress = (): void => {
      if (ctrl.signal.aborted) batchesAfterCancel++;
      else if (batchesAfterCancel < 0) {
        batchesAfterCancel = 0;
        ctrl.abort(new Error('cancelled'));
      }
    };
    const run = runGroupAnalysis(oneSampleInput(dims, voxelIndex, stack, LONG_TFCE_RUN), new CpuEngine(), {
      signal: ctrl.signal,
      onProgress,
    });
    await expect(run).rejects.toThrow('cancelled');
    // No batch starts after Cancel (how long a batch takes is a bench figure, not a test).
    expect(batchesAfterCancel).toBe(0);
  });

  it("stops the permutations when the observed map's TFCE fails, and reports that failure", async () => {
    const dims: Dims = [30, 30, 30];
    const voxelIndex = ellipsoidMask(dims);
    const stack = syntheticStack(dims, 12, 3, 0, voxelIndex);
    // An engine whose observed TFCE fails once its permutations are under way (a GPU out of memory, say).
    let batches = 0;
    class FailingTfce extends CpuEngine {
      override permutationMaxima(...a: Parameters<CpuEngine['permutationMaxima']>) {
        batches++;
        return super.permutationMaxima(...a);
      }
      override async tfce(): Promise<Float32Array> {
        throw new Error('no memory for the observed TFCE');
      }
    }
    const run = runGroupAnalysis(oneSampleInput(dims, voxelIndex, stack, LONG_TFCE_RUN), new FailingTfce());
    await expect(run).rejects.toThrow('no memory for the observed TFCE');
    // The batch under way when it failed may end; none starts after it (a timer turn is two batches' chance).
    const after = batches;
    for (let k = 0; k < 20; k++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(batches).toBeLessThanOrEqual(Math.max(after, 1));
  });
});
