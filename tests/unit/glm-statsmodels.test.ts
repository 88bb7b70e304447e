import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitGlm } from '../../src/analysis/glm/fit';
import { freedmanLane, glmBatch, glmData } from '../../src/analysis/glm/freedman-lane';
import { fslTexts, modelFromFsl } from '../../src/analysis/glm/fsl';
import { designMatrix, modelTests, type GlmModel } from '../../src/analysis/glm/model';
import { buildParticipantsModel, readParticipants } from '../../src/analysis/glm/participants';
import { planGlmPermutations } from '../../src/analysis/glm/permutations';
import { CpuEngine } from '../../src/compute/cpu/engine';
import { runPython } from '../helpers/python';
import { REPO } from '../helpers/shared';

/**
 * The unpermuted t and F of the general linear model against statsmodels OLS (t_test, f_test) on
 * float64 inputs, at 1e-6 relative, for the SPEC's four kinds of model. The float64 fit (fitGlm) is the
 * one compared at 1e-6; the engine's float32 maps (glmStat on the Freedman-Lane codes, row 0) are
 * compared with it at the tolerance float32 data and maps need (1e-4 relative).
 */
const DIR = mkdtempSync(join(tmpdir(), 'siglens-glm-sm-'));
afterAll(() => rmSync(DIR, { recursive: true }));
const VOXELS = 25;

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Data for a model: a little of each column plus noise, rounded to float32 so both sides see the same numbers. */
function dataFor(model: GlmModel, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const n = model.rows.length;
  const y = new Float64Array(n * VOXELS);
  for (let v = 0; v < VOXELS; v++) {
    const beta = model.columns.map(() => gaussian(rand) * 0.5);
    for (let i = 0; i < n; i++)
      y[i * VOXELS + v] = Math.fround(model.rows[i]!.reduce((a, x, j) => a + x * beta[j]!, 0) + gaussian(rand));
  }
  return y;
}

function statsmodels(model: GlmModel, y: Float64Array): { df: number; t: number[][]; F: number[][] } {
  const n = model.rows.length;
  const file = join(DIR, `case-${Math.random().toString(36).slice(2)}.json`);
  const rows = Array.from({ length: n }, (_, i) => Array.from(y.subarray(i * VOXELS, (i + 1) * VOXELS)));
  writeFileSync(
    file,
    JSON.stringify({
      design: model.rows,
      y: rows,
      contrasts: model.contrasts.map((c) => c.weights),
      fTests: model.fTests.map((f) => f.contrasts),
    }),
  );
  return runPython(join(REPO, 'scripts/glm_statsmodels.py'), [file]);
}

function worstRelative(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++)
    worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  return worst;
}

async function expectLikeStatsmodels(model: GlmModel, seed: number): Promise<void> {
  const y = dataFor(model, seed);
  const ref = statsmodels(model, y);
  const fit = fitGlm(model, y, VOXELS);
  expect(fit.df).toBe(ref.df);
  const want = [...ref.t, ...ref.F];
  expect(fit.stats.length).toBe(want.length);
  fit.stats.forEach((s, k) =>
    expect(worstRelative(s, want[k]!), `test ${k + 1}: float64 fit vs statsmodels`).toBeLessThan(1e-6),
  );
  // The engine's float32 maps from the Freedman-Lane codes (the data as given) agree at float32's tolerance.
  const m = designMatrix(model);
  const engine = new CpuEngine();
  const tests = modelTests(model);
  for (let k = 0; k < tests.length; k++) {
    const fl = freedmanLane(m, tests[k]!);
    const plan = planGlmPermutations(model.rows.length, fl.permutation, null, 10, 1);
    const stat = await engine.glmStat(glmData(fl, Float32Array.from(y), VOXELS), glmBatch(fl, plan, 0, 1));
    expect(worstRelative(stat, want[k]!), `test ${k + 1}: engine float32 vs statsmodels`).toBeLessThan(1e-4);
  }
}

const TSV = [
  'participant_id\tgroup\tage\tmotion\tscore_pre\tscore_post',
  ...Array.from({ length: 18 }, (_, i) => {
    const r = mulberry32(100 + i);
    return `sub-${String(i + 1).padStart(2, '0')}\t${['mbsr', 'active', 'waitlist'][i % 3]}\t${(25 + 30 * r()).toFixed(1)}\t${(0.1 + 0.3 * r()).toFixed(3)}\t${(10 + 5 * r()).toFixed(2)}\t${(8 + 6 * r()).toFixed(2)}`;
  }),
].join('\n');
const table = readParticipants(TSV);
const subjects = [...table.rows.keys()];

describe('the general linear model against statsmodels OLS (unpermuted t and F, float64)', () => {
  it('one-sample with covariates (age, motion): the mean', async () => {
    const { model } = buildParticipantsModel(table, subjects, { covariates: ['age', 'motion'] });
    expect(model.columns).toEqual(['mean', 'age', 'motion']);
    await expectLikeStatsmodels(model, 1);
  });

  it('paired with an effect: the change against score_post - score_pre, adjusted for age', async () => {
    const { model } = buildParticipantsModel(table, subjects, {
      effect: 'score',
      covariates: ['age'],
      pair: ['ses-pre', 'ses-post'],
      meanName: 'change',
    });
    expect(model.contrasts.map((c) => c.name)).toEqual(['+score', '-score']);
    await expectLikeStatsmodels(model, 2);
  });

  it('three groups with covariates: every pairwise contrast both ways and the F-test of any difference', async () => {
    const { model } = buildParticipantsModel(table, subjects, {
      groupColumn: 'group',
      groups: ['mbsr', 'active', 'waitlist'],
      covariates: ['age'],
    });
    expect(model.contrasts.length).toBe(6);
    expect(model.fTests.length).toBe(1);
    await expectLikeStatsmodels(model, 3);
  });

  it('a model read from FSL files (VEST design.mat, design.con with names, design.fts)', async () => {
    const { model: built } = buildParticipantsModel(table, subjects, {
      groupColumn: 'group',
      groups: ['mbsr', 'active', 'waitlist'],
      covariates: ['age', 'motion'],
    });
    const texts = fslTexts(built);
    const model = modelFromFsl({ design: texts.mat, contrasts: texts.con, fTests: texts.fts! });
    expect(model.contrasts[0]!.name).toBe('mbsr - active');
    expect(model.fTests[0]!.contrasts).toEqual(built.fTests[0]!.contrasts);
    await expectLikeStatsmodels(model, 4);
  });
});
