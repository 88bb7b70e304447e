import type { Connectivity } from '../../compute/engine';
import type { GlmEngine } from '../../compute/glm';
import type { ClusterRule, GroupStack, TfceRule } from '../../compute/permutation';
import { PERMUTATION_BATCH_MS, TFCE_LEVELS } from '../constants';
import { GroupError, type Excluded } from '../group/design';
import type { RunControl } from '../group/run';
import { checkGroupMemory } from '../group/run';
import { fForZ, tForZ, zFromF, zFromT } from '../group/zt';
import type { GlmInput } from './input';
import { freedmanLane, glmBatch, glmData, type FreedmanLane } from './freedman-lane';
import { glmInference, type GlmCluster, type GlmMaps } from './inference';
import { demeanColumns, designMatrix, checkModel, modelTests, type GlmModel, type Test } from './model';
import { planGlmPermutations, type GlmPermutationPlan } from './permutations';

/**
 * A general linear model with permutation inference as FSL randomise runs it (../shared/SPEC.md "The
 * general linear model"), on any GlmEngine (CpuEngine, GpuEngine, or a wrapper that spreads batches
 * over workers): per contrast and F-test, Freedman-Lane nulls of the max statistic, cluster extent and
 * mass, and TFCE, and the randomise maps. DOM-free: `siglens group` and the page call it alike.
 */
export interface GlmTestResult {
  readonly kind: 't' | 'F';
  readonly index: number;
  readonly name: string;
  /** t: the contrast's weights; F: the 0-based contrasts it stacks. */
  readonly weights: readonly number[] | null;
  readonly contrasts: readonly number[] | null;
  readonly df: number;
  /** F's numerator df (the contrasts' rank); 1 for t. */
  readonly df1: number;
  readonly permutation: 'sign-flip' | 'permutation';
  readonly plan: GlmPermutationPlan;
  readonly threshold: { readonly z: number; readonly stat: number };
  readonly tfce: TfceRule | null;
  readonly clusters: GlmCluster[];
  readonly nulls: {
    readonly maxStat: number[];
    readonly maxClusterExtent: number[];
    readonly maxClusterMass: number[];
    readonly maxTfce: number[] | null;
  };
  readonly maps: GlmMaps;
}

export interface GlmResult {
  readonly n: number;
  readonly rank: number;
  readonly df: number;
  readonly subjects: readonly string[];
  /** The model as fitted (demeaned when asked). */
  readonly model: GlmModel;
  readonly maskVoxels: number;
  readonly thresholdZ: number;
  readonly connectivity: Connectivity;
  readonly seed: number;
  readonly tests: GlmTestResult[];
  readonly excluded: readonly Excluded[];
  readonly voxelIndex: Uint32Array;
}

/** The model, per contrast and F-test, from the stacked rows to the tables, maps and nulls. */
export type { GlmInput } from './input';

export async function runGlmAnalysis(input: GlmInput, engine: GlmEngine, control: RunControl = {}): Promise<GlmResult> {
  const model = input.demean ? { ...input.model, rows: demeanColumns(input.model.rows) } : input.model;
  const n = input.stack.subjects;
  checkModel(model, n);
  const y = input.demean ? demeanRows(input.stack) : input.stack.values;
  const m = designMatrix(model);
  const tests = modelTests(model);
  const fls = tests.map((t) => freedmanLane(m, t, input.method));
  const plans = fls.map((fl) => planGlmPermutations(n, fl.permutation, model.blocks, input.permutations, input.seed));
  const volume = input.geometry.dims[0] * input.geometry.dims[1] * input.geometry.dims[2];
  const total = plans.reduce((a, p) => a + p.count, 0);
  checkGroupMemory(
    input.stack.voxels,
    volume,
    total,
    input.tfce !== null,
    2 * input.stack.values.byteLength,
    input.memoryBudgetBytes,
  );
  const results: GlmTestResult[] = [];
  let done = 0;
  // The whole run's rows, every test's: a pool sizes itself to all of them.
  engine.expect?.(total);
  for (let k = 0; k < tests.length; k++) {
    const progress = (d: number): void => control.onProgress?.({ done: done + d, total });
    results.push(
      await runTest(
        input,
        engine,
        { test: tests[k]!, fl: fls[k]!, plan: plans[k]!, y },
        { ...control, onProgress: (p) => progress(p.done) },
      ),
    );
    done += plans[k]!.count;
  }
  return {
    n,
    rank: m.cols,
    df: n - m.cols,
    subjects: input.subjects,
    model,
    maskVoxels: input.stack.voxels,
    thresholdZ: input.thresholdZ,
    connectivity: input.connectivity,
    seed: input.seed >>> 0,
    tests: results,
    excluded: input.excluded,
    voxelIndex: input.geometry.voxelIndex,
  };
}

/** Each voxel's mean over the rows taken away (randomise -D). */
function demeanRows(stack: GroupStack): Float32Array {
  const { subjects: n, voxels: m, values } = stack;
  const mean = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let v = 0; v < m; v++) mean[v] = mean[v]! + values[i * m + v]! / n;
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let v = 0; v < m; v++) out[i * m + v] = values[i * m + v]! - mean[v]!;
  return out;
}

interface TestPlan {
  readonly test: Test;
  readonly fl: FreedmanLane;
  readonly plan: GlmPermutationPlan;
  readonly y: Float32Array;
}

async function runTest(input: GlmInput, engine: GlmEngine, t: TestPlan, control: RunControl): Promise<GlmTestResult> {
  const { test, fl, plan } = t;
  const data = glmData(fl, t.y, input.stack.voxels);
  const isT = test.kind === 't';
  const statThreshold = isT ? tForZ(input.thresholdZ, fl.df) : fForZ(input.thresholdZ, fl.effect, fl.df);
  const clusters: ClusterRule = { threshold: statThreshold, twoSided: false, connectivity: input.connectivity };
  const obs = await engine.glmStat(data, glmBatch(fl, plan, 0, 1));
  const z = obs.map((x) => (isT ? zFromT(x, fl.df) : zFromF(x, fl.effect, fl.df)));
  const tfce = input.tfce && tfceRule(input.tfce, isT ? obs : z, test);
  const nulls = {
    maxStat: new Float64Array(plan.count),
    maxExtent: new Float64Array(plan.count),
    maxMass: new Float64Array(plan.count),
    maxTfce: tfce ? new Float64Array(plan.count) : null,
  };
  const exceed = input.uncorrected ? new Uint32Array(obs.length) : null;
  let size = 8;
  for (let done = 0; done < plan.count; ) {
    control.signal?.throwIfAborted();
    const count = Math.min(size, plan.count - done);
    const started = performance.now();
    const batch = glmBatch(fl, plan, done, count);
    const mx = await engine.glmMaxima(data, batch, input.geometry, clusters, tfce);
    nulls.maxStat.set(mx.maxT, done);
    nulls.maxExtent.set(mx.maxExtent, done);
    nulls.maxMass.set(mx.maxMass, done);
    if (nulls.maxTfce && mx.maxTfce) nulls.maxTfce.set(mx.maxTfce, done);
    if (exceed) countExceeding(await engine.glmStat(data, batch), obs, exceed);
    done += count;
    control.onProgress?.({ done, total: plan.count });
    const ms = performance.now() - started;
    size = Math.max(
      1,
      Math.min(4096, Math.round((size * (control.batchMs ?? PERMUTATION_BATCH_MS)) / Math.max(ms, 1))),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  control.signal?.throwIfAborted();
  const inferred = await glmInference({
    input,
    test,
    df: fl.df,
    df1: fl.effect,
    stat: obs,
    z,
    statThreshold,
    tfce,
    nulls,
    exceed,
    count: plan.count,
  });
  return {
    kind: test.kind,
    index: test.index,
    name: test.name,
    weights: isT ? Array.from(test.c.data) : null,
    contrasts: test.contrasts ?? null,
    df: fl.df,
    df1: fl.effect,
    permutation: fl.permutation,
    plan,
    threshold: { z: input.thresholdZ, stat: statThreshold },
    tfce,
    clusters: inferred.clusters,
    nulls: {
      maxStat: Array.from(nulls.maxStat),
      maxClusterExtent: Array.from(nulls.maxExtent),
      maxClusterMass: Array.from(nulls.maxMass),
      maxTfce: nulls.maxTfce && Array.from(nulls.maxTfce),
    },
    maps: inferred.maps,
  };
}

/** Per voxel, how many permutations' statistics reach the observed (the data's own among them). */
function countExceeding(stats: Float32Array, obs: Float32Array, exceed: Uint32Array): void {
  const m = obs.length;
  for (let p = 0; p < stats.length / m; p++)
    for (let v = 0; v < m; v++) if (stats[p * m + v]! >= obs[v]!) exceed[v] = exceed[v]! + 1;
}

function tfceRule(o: NonNullable<GlmInput['tfce']>, map: Float32Array, test: Test): TfceRule {
  let top = 0;
  for (let v = 0; v < map.length; v++) top = Math.max(top, map[v]!);
  const step = o.step ?? top / TFCE_LEVELS;
  if (!(step > 0))
    throw new GroupError(
      'DESIGN',
      `TFCE needs a positive ${test.kind === 't' ? 't' : 'z of F'} somewhere in ${test.kind === 't' ? 'contrast' : 'F-test'} ${test.index}'s unpermuted map (or --tfce-step)`,
    );
  return { step, E: o.E, H: o.H, connectivity: o.connectivity, twoSided: false };
}
