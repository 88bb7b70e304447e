// One suite for both engines' permutation passes (src/compute/permutation.ts): each engine against
// float64 references written from the definitions (tests/helpers/permutation-study.ts), labelling
// and TFCE checked on the engine's own permuted t so that no float tie can blur them; then the WGSL
// passes against the CPU twin on the same permutations, where a difference in clusters is allowed
// only where the two t-maps put a voxel on different sides of the threshold (a float tie).
import { describe, expect, it } from 'vitest';
import type { Connectivity, Engine } from '../../src/compute/engine';
import type {
  ClusterRule,
  MaskGeometry,
  PermutationBatch,
  PermutationEngine,
  TfceRule,
} from '../../src/compute/permutation';
import { CpuEngine } from '../../src/compute/cpu/engine';
import { permutationBatch, planPermutations } from '../../src/analysis/group/permutations';
import { dawnEngine, ENGINES, useEngine } from '../helpers/engines';
import { ellipsoidMask, syntheticStack } from '../helpers/group-study';
import {
  referenceClusters,
  referenceT,
  referenceTfce,
  relabellings,
  rowMax,
  signFlips,
  syntheticStudy,
} from '../helpers/permutation-study';

type Both = Engine & PermutationEngine;

/** |t - float64 t| over max(1, |t|): relative, absolute near 0. */
function worstTError(t: Float32Array, ref: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++)
    worst = Math.max(worst, Math.abs(t[i]! - ref[i]!) / Math.max(1, Math.abs(ref[i]!)));
  return worst;
}

for (const factory of ENGINES) {
  describe(`permutation passes vs float64 definitions (${factory.name})`, () => {
    const engine = useEngine(async () => (await factory.make()) as Both);
    // float32 t: the CPU rounds a float64 t once; the GPU also sums in float32 (measured ~8e-7).
    const tTolerance = factory.name === 'cpu' ? 1e-7 : 1e-5;
    const study = syntheticStudy(7, [9, 8, 7], 8, 1.2);

    it('sign-flip t, exhaustive 2^8', async () => {
      const flips = signFlips(8, 256);
      const err = worstTError(await engine.permutedT(study.stack, flips), referenceT(study.stack, flips));
      console.log(`${factory.name}: sign flips, ${study.stack.voxels} voxels, worst t error ${err.toExponential(2)}`);
      expect(err).toBeLessThan(tTolerance);
    });

    it('relabelled t, also on data with a large common offset', async () => {
      for (const offset of [0, 1000]) {
        const s = syntheticStudy(8, [7, 6, 5], 11, 1, offset);
        const batch = relabellings(11, 5, 40);
        const err = worstTError(await engine.permutedT(s.stack, batch), referenceT(s.stack, batch));
        console.log(`${factory.name}: relabel, offset ${offset}, worst t error ${err.toExponential(2)}`);
        expect(err).toBeLessThan(tTolerance);
      }
    });

    for (const connectivity of [6, 18, 26] as Connectivity[]) {
      for (const twoSided of [false, true]) {
        it(`max t, extent, mass and TFCE at t_u 2.3, ${connectivity}-connected, ${twoSided ? 'two' : 'one'}-sided`, async () => {
          const batch = signFlips(8, 24, 3);
          const V = study.stack.voxels;
          const tfce = { step: 0.1, E: 0.5, H: 2, connectivity, twoSided };
          const t = await engine.permutedT(study.stack, batch);
          const m = await engine.permutationMaxima(
            study.stack,
            batch,
            study.geometry,
            { threshold: 2.3, twoSided, connectivity },
            tfce,
          );
          expect(Array.from(m.maxT)).toEqual(Array.from(rowMax(t, batch.count, V, twoSided)));
          let clustered = 0;
          for (let p = 0; p < batch.count; p++) {
            const row = t.subarray(p * V, (p + 1) * V);
            const c = referenceClusters(row, study.geometry, 2.3, twoSided, connectivity);
            expect(m.maxExtent[p], `permutation ${p} extent`).toBe(c.extent);
            // Both sum the float32 |t| exactly (float64 here, fixed point on the GPU).
            expect(m.maxMass[p], `permutation ${p} mass`).toBe(c.mass);
            if (c.extent > 0) clustered++;
            const ref = rowMax(
              referenceTfce(row, study.geometry, tfce.step, tfce.E, tfce.H, twoSided, connectivity),
              1,
              V,
              true,
            )[0]!;
            expect(
              Math.abs(m.maxTfce![p]! - ref),
              `permutation ${p} TFCE ${m.maxTfce![p]} vs ${ref}`,
            ).toBeLessThanOrEqual(1e-5 * ref);
          }
          expect(clustered).toBeGreaterThan(0);
        });
      }
    }

    it('relabellings: maxima of the two-sample t, two-sided, 26-connected', async () => {
      const s = syntheticStudy(9, [8, 7, 6], 10, 1.5);
      const batch = relabellings(10, 4, 20);
      const V = s.stack.voxels;
      const t = await engine.permutedT(s.stack, batch);
      const m = await engine.permutationMaxima(
        s.stack,
        batch,
        s.geometry,
        { threshold: 2.0, twoSided: true, connectivity: 26 },
        null,
      );
      expect(m.maxTfce).toBeNull();
      expect(Array.from(m.maxT)).toEqual(Array.from(rowMax(t, batch.count, V, true)));
      for (let p = 0; p < batch.count; p++) {
        const c = referenceClusters(t.subarray(p * V, (p + 1) * V), s.geometry, 2.0, true, 26);
        expect([m.maxExtent[p], m.maxMass[p]]).toEqual([c.extent, c.mass]);
      }
    });

    it('a permutation with no cluster counts 0 (and no TFCE level reached gives 0)', async () => {
      const batch = signFlips(8, 5, 4);
      const m = await engine.permutationMaxima(
        study.stack,
        batch,
        study.geometry,
        { threshold: 1e4, twoSided: true, connectivity: 26 },
        { step: 1e4, E: 0.5, H: 2, connectivity: 6, twoSided: true },
      );
      expect(Array.from(m.maxExtent)).toEqual([0, 0, 0, 0, 0]);
      expect(Array.from(m.maxMass)).toEqual([0, 0, 0, 0, 0]);
      expect(Array.from(m.maxTfce!)).toEqual([0, 0, 0, 0, 0]);
      expect(m.maxT.every((x) => x > 0)).toBe(true);
      // Rows without clusters among rows with them.
      const mixed = await engine.permutationMaxima(
        study.stack,
        signFlips(8, 64, 6),
        study.geometry,
        { threshold: 3.5, twoSided: false, connectivity: 6 },
        null,
      );
      const none = Array.from(mixed.maxExtent).filter((e) => e === 0).length;
      expect(none).toBeGreaterThan(0);
      expect(none).toBeLessThan(64);
      mixed.maxExtent.forEach((e, p) => expect(e === 0, `permutation ${p}`).toBe(mixed.maxMass[p] === 0));
    });

    for (const [connectivity, twoSided] of [
      [6, false],
      [26, true],
    ] as [Connectivity, boolean][]) {
      it(`TFCE of one map equals the per-level definition, ${connectivity}-connected, ${twoSided ? 'two' : 'one'}-sided`, async () => {
        const t = (await engine.permutedT(study.stack, signFlips(8, 1))).slice();
        const top = rowMax(t, 1, t.length, true)[0]!;
        for (const [E, H] of [
          [0.5, 2],
          [1, 1.5],
        ] as [number, number][]) {
          const rule = { step: top / 100, E, H, connectivity, twoSided };
          const got = await engine.tfce(t, study.geometry, rule);
          const ref = referenceTfce(t, study.geometry, rule.step, E, H, twoSided, connectivity);
          const scale = rowMax(ref, 1, ref.length, true)[0]!;
          expect(scale).toBeGreaterThan(0);
          ref.forEach((r, v) =>
            expect(Math.abs(got[v]! - r), `voxel ${v}: ${got[v]} vs ${r}`).toBeLessThanOrEqual(
              1e-5 * Math.max(Math.abs(r), 1e-3 * scale),
            ),
          );
          if (twoSided) expect(got.some((x) => x < 0)).toBe(true);
          else expect(got.every((x) => x >= 0)).toBe(true);
        }
      });
    }
  });
}

/** Voxels of row p that one t-map has at or above `level` (in |t| when two-sided) and the other not. */
function sidesDiffer(a: Float32Array, b: Float32Array, p: number, V: number, level: number, twoSided: boolean): number {
  let n = 0;
  for (let v = p * V; v < (p + 1) * V; v++) {
    const side = (x: number): number => (x >= level ? 1 : twoSided && x <= -level ? -1 : 0);
    if (side(a[v]!) !== side(b[v]!)) n++;
  }
  return n;
}

/** Whether rows p of a and b put any voxel on different sides of any TFCE level k * step. */
function levelsDiffer(a: Float32Array, b: Float32Array, p: number, V: number, step: number): boolean {
  for (let v = p * V; v < (p + 1) * V; v++) {
    const k = (x: number): number => Math.sign(x) * Math.floor(Math.abs(x) / step);
    if (k(a[v]!) !== k(b[v]!)) return true;
  }
  return false;
}

describe('the WGSL passes equal the CPU twin on the same permutations (Dawn, a batch of several chunks)', () => {
  const cpu = new CpuEngine();
  const dims: [number, number, number] = [9, 8, 8];
  const geometry: MaskGeometry = { dims, voxelIndex: ellipsoidMask(dims) };
  const V = geometry.voxelIndex.length;
  // Room for 100 permutations a chunk (5 buffers of V floats each): 256 permutations take 3 chunks.
  const gpu = useEngine(() => dawnEngine({ permutations: { budgetBytes: 100 * 5 * V * 4 } }));

  const cases: { name: string; n: number; labels: Uint8Array | null; clusters: ClusterRule; tfce: TfceRule }[] = [
    {
      name: 'paired, 2^8 sign flips, two-sided, 26-connected, TFCE 6',
      n: 8,
      labels: null,
      clusters: { threshold: 2.3, twoSided: true, connectivity: 26 },
      tfce: { step: 0.1, E: 0.5, H: 2, connectivity: 6, twoSided: true },
    },
    {
      name: 'one-sample, 2^7 sign flips, one-sided, 6-connected, TFCE 26',
      n: 7,
      labels: null,
      clusters: { threshold: 2.0, twoSided: false, connectivity: 6 },
      tfce: { step: 0.1, E: 1, H: 1.5, connectivity: 26, twoSided: false },
    },
    {
      name: 'two-sample, all C(9,4) relabellings, two-sided, 18-connected, TFCE 18',
      n: 9,
      labels: Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0]),
      clusters: { threshold: 2.3, twoSided: true, connectivity: 18 },
      tfce: { step: 0.1, E: 0.5, H: 2, connectivity: 18, twoSided: true },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const stack = syntheticStack(dims, c.n, 31 + c.n, 1.2, geometry.voxelIndex);
      const plan = planPermutations(c.n, c.labels, 'all', 3);
      const batch: PermutationBatch = permutationBatch(plan, 0, plan.count);
      expect(batch.count).toBeGreaterThan(100);
      const [tc, tg] = [await cpu.permutedT(stack, batch), await gpu.permutedT(stack, batch)];
      expect(worstTError(tg, tc)).toBeLessThan(1e-4);
      const [mc, mg] = [
        await cpu.permutationMaxima(stack, batch, geometry, c.clusters, c.tfce),
        await gpu.permutationMaxima(stack, batch, geometry, c.clusters, c.tfce),
      ];
      // Without TFCE the CPU twin scans each map another way; both ways give the same maxima here.
      const [nc, ng] = [
        await cpu.permutationMaxima(stack, batch, geometry, c.clusters, null),
        await gpu.permutationMaxima(stack, batch, geometry, c.clusters, null),
      ];
      expect([nc.maxTfce, ng.maxTfce]).toEqual([null, null]);
      expect([Array.from(ng.maxT), Array.from(ng.maxExtent), Array.from(ng.maxMass)]).toEqual([
        Array.from(mg.maxT),
        Array.from(mg.maxExtent),
        Array.from(mg.maxMass),
      ]);
      let ties = 0;
      let clustered = 0;
      for (let p = 0; p < batch.count; p++) {
        for (const ref of [mc, nc])
          expect(Math.abs(mg.maxT[p]! - ref.maxT[p]!), `permutation ${p} max t`).toBeLessThanOrEqual(
            1e-5 * Math.max(1, ref.maxT[p]!),
          );
        if (mc.maxExtent[p]! > 0) clustered++;
        if (sidesDiffer(tc, tg, p, V, Math.fround(c.clusters.threshold), c.clusters.twoSided) > 0) {
          ties++;
        } else {
          for (const ref of [mc, nc]) {
            expect(mg.maxExtent[p], `permutation ${p} extent`).toBe(ref.maxExtent[p]);
            expect(Math.abs(mg.maxMass[p]! - ref.maxMass[p]!), `permutation ${p} mass`).toBeLessThanOrEqual(
              1e-5 * ref.maxMass[p]!,
            );
          }
        }
        if (!levelsDiffer(tc, tg, p, V, c.tfce.step)) {
          expect(Math.abs(mg.maxTfce![p]! - mc.maxTfce![p]!), `permutation ${p} TFCE`).toBeLessThanOrEqual(
            1e-5 * mc.maxTfce![p]!,
          );
        }
      }
      console.log(
        `${c.name}: ${batch.count} permutations, ${clustered} with clusters, ${ties} with a voxel at a float tie of t_u`,
      );
      expect(clustered).toBeGreaterThan(0);
      expect(ties).toBeLessThan(batch.count / 20);
      const observed = tc.subarray(0, V);
      const [fc, fg] = [await cpu.tfce(observed, geometry, c.tfce), await gpu.tfce(observed, geometry, c.tfce)];
      const scale = rowMax(fc, 1, V, true)[0]!;
      fc.forEach((x, v) =>
        expect(Math.abs(fg[v]! - x), `observed TFCE voxel ${v}`).toBeLessThanOrEqual(
          1e-5 * Math.max(Math.abs(x), 1e-3 * scale),
        ),
      );
    });
  }
});
