// One suite for the engines' general-linear-model passes (src/compute/glm.ts): each engine against
// float64 references written from the SPEC (tests/helpers/glm-study.ts): the contract's formulas from
// the codes and a plain refit of P_j E + H_z Y; maxima, clusters and TFCE checked on the engine's own
// maps, so that no float tie can blur them. Odd sizes throughout: rows not a multiple of the shader's
// 16-row tile, voxels not a multiple of its 256-voxel workgroup, permutations not a multiple of 16.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connectivity } from '../../src/compute/engine';
import type { GlmEngine } from '../../src/compute/glm';
import { zOfF } from '../../src/compute/cpu/glm';
import { CpuEngine } from '../../src/compute/cpu/engine';
import { fForZ } from '../../src/analysis/group/zt';
import { freedmanLane, glmBatch as analysisBatch, glmData } from '../../src/analysis/glm/freedman-lane';
import { designMatrix, modelTests, type GlmModel } from '../../src/analysis/glm/model';
import { planGlmPermutations } from '../../src/analysis/glm/permutations';
import { GpuEngine } from '../../src/compute/gpu/engine';
import { nodeGpu, nodeShaderSources } from '../../src/cli/node-gpu';
import { dawnEngine } from '../helpers/engines';
import { glmBatch, glmStudy, referenceGlmStat, refitGlmStat } from '../helpers/glm-study';
import { referenceClusters, referenceTfce, rowMax } from '../helpers/permutation-study';

type Glm = GlmEngine & { dispose(): void };
const GLM_ENGINES: { name: string; make: () => Promise<Glm> }[] = [
  { name: 'cpu', make: async () => new CpuEngine() },
  { name: 'gpu (Dawn)', make: dawnEngine },
];

/** |x - float64 x| over max(1, |x|): relative, absolute near 0. */
function worstError(x: Float32Array, ref: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++)
    worst = Math.max(worst, Math.abs(x[i]! - ref[i]!) / Math.max(1, Math.abs(ref[i]!)));
  return worst;
}

for (const factory of GLM_ENGINES) {
  describe(`GLM passes vs float64 definitions (${factory.name})`, () => {
    let engine: Glm;
    beforeAll(async () => {
      engine = await factory.make();
    });
    afterAll(() => engine?.dispose());

    const shapes: { n: number; rank: number; statistic: 't' | 'F'; effect?: number; kind: 'permute' | 'flip' }[] = [
      { n: 13, rank: 1, statistic: 't', kind: 'flip' },
      { n: 30, rank: 2, statistic: 't', kind: 'permute' },
      { n: 17, rank: 3, statistic: 'F', effect: 2, kind: 'permute' },
      { n: 30, rank: 4, statistic: 'F', effect: 3, kind: 'permute' },
      { n: 37, rank: 5, statistic: 't', kind: 'flip' },
      { n: 21, rank: 6, statistic: 'F', effect: 1, kind: 'permute' },
      { n: 33, rank: 6, statistic: 'F', effect: 4, kind: 'flip' },
    ];
    for (const c of shapes) {
      it(`${c.statistic} at n ${c.n}, rank ${c.rank}${c.statistic === 'F' ? `, ${c.effect} effect rows` : ''}, ${c.kind === 'flip' ? 'sign flips' : 'permutations'}: the contract's formulas and a refit`, async () => {
        const study = glmStudy({
          seed: c.n + c.rank,
          dims: [9, 8, 7],
          n: c.n,
          rank: c.rank,
          statistic: c.statistic,
          effect: c.effect,
        });
        const V = study.data.voxels;
        expect(V % 256).not.toBe(0);
        for (const count of [1, 41]) {
          const { batch, perms, signs } = glmBatch(study, count, c.kind, c.n);
          const got = await engine.glmStat(study.data, batch);
          expect(got.length).toBe(count * V);
          const err = worstError(got, referenceGlmStat(study.data, batch));
          let refit = 0;
          for (const p of [0, count - 1])
            refit = Math.max(
              refit,
              worstError(got.subarray(p * V, (p + 1) * V), refitGlmStat(study, perms[p]!, signs[p]!)),
            );
          console.log(
            `${factory.name}: ${c.statistic} n ${c.n} rank ${c.rank}, ${count} permutations x ${V} voxels: worst error ${err.toExponential(2)} (formulas), ${refit.toExponential(2)} (refit)`,
          );
          expect(err).toBeLessThan(1e-5);
          expect(refit).toBeLessThan(1e-5);
        }
      });
    }

    for (const [statistic, connectivity] of [
      ['t', 26],
      ['F', 6],
      ['F', 18],
    ] as ['t' | 'F', Connectivity][]) {
      it(`maxima, cluster extent and mass, TFCE (${statistic}, ${connectivity}-connected) on the engine's own maps`, async () => {
        const study = glmStudy({ seed: 4, dims: [10, 9, 8], n: 19, rank: 3, statistic, effect: 2 });
        const { batch } = glmBatch(study, 37, 'permute', 8);
        const V = study.data.voxels;
        const threshold = statistic === 't' ? 1.6 : 2.5;
        const tfce = { step: 0.1, E: 0.5, H: 2, connectivity, twoSided: false };
        const maps = await engine.glmStat(study.data, batch);
        const m = await engine.glmMaxima(
          study.data,
          batch,
          study.geometry,
          { threshold, twoSided: false, connectivity },
          tfce,
        );
        expect(Array.from(m.maxT)).toEqual(Array.from(rowMax(maps, batch.count, V, false)));
        let clustered = 0;
        for (let p = 0; p < batch.count; p++) {
          const row = maps.subarray(p * V, (p + 1) * V);
          const c = referenceClusters(row, study.geometry, threshold, false, connectivity);
          expect([m.maxExtent[p], m.maxMass[p]], `permutation ${p}`).toEqual([c.extent, c.mass]);
          if (c.extent > 1) clustered++;
          // TFCE of F runs on z from F's p (randomise's way); the references take the same z.
          const input =
            statistic === 'F'
              ? zOfF(row, new Float32Array(V), fForZ(tfce.step, study.effect, batch.df), study.effect, batch.df)
              : row;
          const ref = rowMax(
            referenceTfce(input, study.geometry, tfce.step, tfce.E, tfce.H, false, connectivity),
            1,
            V,
            false,
          )[0]!;
          expect(
            Math.abs(m.maxTfce![p]! - ref),
            `permutation ${p} TFCE ${m.maxTfce![p]} vs ${ref}`,
          ).toBeLessThanOrEqual(1e-5 * ref);
        }
        expect(clustered).toBeGreaterThan(batch.count / 2);
        const none = await engine.glmMaxima(
          study.data,
          batch,
          study.geometry,
          { threshold: 1e6, twoSided: false, connectivity },
          null,
        );
        expect(none.maxTfce).toBeNull();
        expect(Array.from(none.maxExtent).every((e) => e === 0)).toBe(true);
        expect(Array.from(none.maxT)).toEqual(Array.from(m.maxT));
      });
    }

    it('a voxel whose residuals are all 0 gives 0, not NaN', async () => {
      const study = glmStudy({ seed: 2, dims: [7, 6, 5], n: 11, rank: 2, statistic: 't' });
      const V = study.data.voxels;
      const residuals = study.data.residuals.slice();
      const sumSquares = study.data.sumSquares.slice();
      for (let i = 0; i < study.n; i++) residuals[i * V + 3] = 0;
      sumSquares[3] = 0;
      const { batch } = glmBatch(study, 5, 'permute');
      const got = await engine.glmStat({ ...study.data, residuals, sumSquares }, batch);
      for (let p = 0; p < 5; p++) expect(got[p * V + 3]).toBe(0);
      expect(got.every((x) => Number.isFinite(x))).toBe(true);
    });

    it('wrong shapes are typed errors, not out-of-bounds reads', async () => {
      const study = glmStudy({ seed: 3, dims: [6, 5, 4], n: 9, rank: 2, statistic: 't' });
      const { batch } = glmBatch(study, 3, 'permute');
      await expect(engine.glmStat(study.data, { ...batch, codes: batch.codes.subarray(1) })).rejects.toThrow(/codes/);
      await expect(engine.glmStat({ ...study.data, sumSquares: new Float32Array(2) }, batch)).rejects.toThrow(
        /\|E\|\^2|voxels/,
      );
    });
  });
}

describe('GLM batches in several GPU chunks give what one chunk gives (Dawn)', () => {
  let one: GpuEngine;
  let many: GpuEngine;
  const study = glmStudy({ seed: 6, dims: [11, 9, 8], n: 23, rank: 4, statistic: 'F', effect: 3 });
  beforeAll(async () => {
    const gpu = (await nodeGpu())!;
    one = await GpuEngine.create((await gpu.requestAdapter())!, await nodeShaderSources());
    // Room for 7 permutations a chunk (5 buffers of V floats each): 45 permutations take 7 chunks.
    many = await GpuEngine.create((await gpu.requestAdapter())!, await nodeShaderSources(), {
      permutations: { budgetBytes: 7 * 5 * study.data.voxels * 4 },
    });
  });
  afterAll(() => {
    one?.dispose();
    many?.dispose();
  });

  it('maps and maxima (F, clusters and TFCE), 45 permutations', async () => {
    const { batch } = glmBatch(study, 45, 'permute', 12);
    expect(Array.from(await many.glmStat(study.data, batch))).toEqual(Array.from(await one.glmStat(study.data, batch)));
    const rule = { threshold: 2.2, twoSided: false, connectivity: 18 } as const;
    const tfce = { step: 0.05, E: 0.5, H: 2, connectivity: 6, twoSided: false } as const;
    const [a, b] = [
      await one.glmMaxima(study.data, batch, study.geometry, rule, tfce),
      await many.glmMaxima(study.data, batch, study.geometry, rule, tfce),
    ];
    for (const key of ['maxT', 'maxExtent', 'maxMass', 'maxTfce'] as const)
      expect(Array.from(b[key]!), key).toEqual(Array.from(a[key]!));
    expect(Array.from(a.maxExtent).some((e) => e > 1)).toBe(true);
  });
});

/** Voxels of row p that one map has at or above `level` and the other not. */
function sidesDiffer(a: Float32Array, b: Float32Array, p: number, V: number, level: number): number {
  let n = 0;
  for (let v = p * V; v < (p + 1) * V; v++) if (a[v]! >= level !== b[v]! >= level) n++;
  return n;
}

/** Whether rows p of a and b put any voxel on different sides of any TFCE level k * step. */
function levelsDiffer(a: Float32Array, b: Float32Array, step: number): boolean {
  for (let v = 0; v < a.length; v++)
    if (Math.floor(Math.max(0, a[v]!) / step) !== Math.floor(Math.max(0, b[v]!) / step)) return true;
  return false;
}

/** A three-arm design with a demeaned covariate (G5's shape), or a one-sample mean with one. */
function model(kind: 'three-arm' | 'one-sample', n: number): GlmModel {
  const raw = Array.from({ length: n }, (_, i) => ((i * 7) % 11) - 5 + 0.25 * Math.sin(i));
  // Demeaned, as --covariate does: then the mean's effective regressor is constant (sign flips).
  const age = raw.map((a) => a - raw.reduce((x, b) => x + b, 0) / n);
  if (kind === 'one-sample')
    return {
      columns: ['mean', 'age'],
      rows: age.map((a) => [1, a]),
      contrasts: [{ name: 'mean', weights: [1, 0] }],
      fTests: [],
      blocks: null,
    };
  const rows = age.map((a, i) => [i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0, i % 3 === 2 ? 1 : 0, a]);
  const contrasts = [
    { name: 'A-B', weights: [1, -1, 0, 0] },
    { name: 'A-C', weights: [1, 0, -1, 0] },
    { name: 'B-C', weights: [0, 1, -1, 0] },
  ];
  return {
    columns: ['A', 'B', 'C', 'age'],
    rows,
    contrasts,
    fTests: [{ name: 'any difference', contrasts: [0, 1] }],
    blocks: null,
  };
}

describe("the WGSL pass equals the CPU twin on the analysis's own models (Dawn, several chunks)", () => {
  let cpu: CpuEngine;
  let gpu: GpuEngine;
  const n = 30;
  const study = glmStudy({ seed: 11, dims: [11, 10, 9], n, rank: 2, statistic: 't' });
  const V = study.data.voxels;
  const y = Float32Array.from(study.y);
  beforeAll(async () => {
    cpu = new CpuEngine();
    // Room for 60 permutations a chunk: 150 take 3 chunks.
    gpu = await GpuEngine.create((await (await nodeGpu())!.requestAdapter())!, await nodeShaderSources(), {
      permutations: { budgetBytes: 60 * 5 * V * 4 },
    });
  });
  afterAll(() => gpu?.dispose());

  const cases = [
    { name: 'three arms + age: t of A-C', model: 'three-arm', test: 1, threshold: 2.0, connectivity: 26 },
    { name: 'three arms + age: F of any difference', model: 'three-arm', test: 3, threshold: 3.0, connectivity: 18 },
    { name: 'one-sample + age: sign flips of the mean', model: 'one-sample', test: 0, threshold: 1.8, connectivity: 6 },
  ] as const;
  for (const c of cases) {
    it(c.name, async () => {
      const m = model(c.model, n);
      const test = modelTests(m)[c.test]!;
      const fl = freedmanLane(designMatrix(m), test);
      expect(fl.permutation).toBe(c.model === 'one-sample' ? 'sign-flip' : 'permutation');
      const data = glmData(fl, y, V);
      const batch = analysisBatch(fl, planGlmPermutations(n, fl.permutation, null, 150, 7), 0, 150);
      const [sc, sg] = [await cpu.glmStat(data, batch), await gpu.glmStat(data, batch)];
      const err = worstError(sg, sc);
      const rule = { threshold: c.threshold, twoSided: false, connectivity: c.connectivity } as const;
      const tfce = { step: 0.1, E: 0.5, H: 2, connectivity: 6, twoSided: false } as const;
      const [mc, mg] = [
        await cpu.glmMaxima(data, batch, study.geometry, rule, tfce),
        await gpu.glmMaxima(data, batch, study.geometry, rule, tfce),
      ];
      const fStep = test.kind === 'F' ? fForZ(tfce.step, fl.effect, fl.df) : 0;
      const tfceInput = (maps: Float32Array, p: number): Float32Array => {
        const row = maps.slice(p * V, (p + 1) * V);
        return test.kind === 'F' ? zOfF(row, new Float32Array(V), fStep, fl.effect, fl.df) : row;
      };
      let ties = 0;
      let clustered = 0;
      let tfceCompared = 0;
      for (let p = 0; p < batch.count; p++) {
        expect(Math.abs(mg.maxT[p]! - mc.maxT[p]!), `permutation ${p} max`).toBeLessThanOrEqual(
          1e-5 * Math.max(1, mc.maxT[p]!),
        );
        if (mc.maxExtent[p]! > 1) clustered++;
        if (sidesDiffer(sc, sg, p, V, Math.fround(c.threshold)) > 0) ties++;
        else {
          expect(mg.maxExtent[p], `permutation ${p} extent`).toBe(mc.maxExtent[p]);
          expect(Math.abs(mg.maxMass[p]! - mc.maxMass[p]!), `permutation ${p} mass`).toBeLessThanOrEqual(
            1e-5 * mc.maxMass[p]!,
          );
        }
        if (!levelsDiffer(tfceInput(sc, p), tfceInput(sg, p), tfce.step)) {
          expect(Math.abs(mg.maxTfce![p]! - mc.maxTfce![p]!), `permutation ${p} TFCE`).toBeLessThanOrEqual(
            1e-5 * mc.maxTfce![p]!,
          );
          tfceCompared++;
        }
      }
      console.log(
        `${c.name}: ${batch.count} permutations x ${V} voxels, worst map error ${err.toExponential(2)}, ${clustered} with clusters, ${ties} with a voxel at a float tie of the threshold, TFCE compared on ${tfceCompared} (the rest straddle a level)`,
      );
      expect(tfceCompared).toBeGreaterThan(batch.count / 2);
      expect(err).toBeLessThan(1e-5);
      expect(clustered).toBeGreaterThan(batch.count / 4);
      expect(ties).toBeLessThan(batch.count / 20);
    });
  }
});
