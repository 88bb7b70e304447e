// The GPU permutation passes against the CPU twin on synthetic studies, for a machine with a real
// GPU (the sessions that wrote this had none: SwiftShader's figures say nothing about hardware).
//
//   npx tsx bench/gpu-permutations.ts [voxels-per-side=60] [subjects=10] [permutations=1024] [--tfce]
//     the t-tests: permutationMaxima on both engines for the same sign flips.
//   npx tsx bench/gpu-permutations.ts --glm-vs-t [side=40] [subjects=10] [permutations=256]
//     GPU only: a one-sample sign-flip test through the t-tests' pass (perm-t) and through the GLM's
//     (glm-stat, rank 1), maps and maxima (clusters, no TFCE), timed in turn 5 times: is the GLM
//     pass as fast?
//   npx tsx bench/gpu-permutations.ts --g5 [--engine gpu|cpu|both] [--permutations 1000] [--scale 1]
//     G5's model on the engines: a three-arm F-test with one covariate (age), 30 rows, a 2 mm mask's
//     size (an ellipsoid of about 226,000 voxels; --scale shrinks each side), cluster extent and mass
//     at z 2.3 (F at the same p), 26-connected.
//
// Each prints the adapter, each side's time (median of 3 after one warm-up; wall and this process's
// CPU seconds, which include SwiftShader's threads), their ratio, and whether the results agree.
import { CpuEngine } from '../src/compute/cpu/engine';
import { GpuEngine } from '../src/compute/gpu/engine';
import { nodeGpu, nodeShaderSources } from '../src/cli/node-gpu';
import type { PermutationEngine, PermutationMaxima } from '../src/compute/permutation';
import type { GlmEngine } from '../src/compute/glm';
import { freedmanLane, glmBatch, glmData } from '../src/analysis/glm/freedman-lane';
import { designMatrix, modelTests, type GlmModel } from '../src/analysis/glm/model';
import { planGlmPermutations } from '../src/analysis/glm/permutations';
import { fForZ } from '../src/analysis/group/zt';
import { signFlips, syntheticStudy } from '../tests/helpers/permutation-study';

interface Timing<T> {
  readonly wall: number;
  readonly cpu: number;
  readonly runs: number[];
  readonly last: T;
}

/** One warm-up (uploads, pipelines), then the median of 3 runs: wall ms and process CPU ms. */
async function time<T>(run: () => Promise<T>): Promise<Timing<T>> {
  let last = await run();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let k = 0; k < 3; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = await run();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[1]!;
  return { wall: median(walls), cpu: median(cpus), runs: walls, last };
}

/**
 * Two runs timed in turn (after a warm-up each), `reps` times: a shared machine's load then falls on
 * both alike. Medians of wall and CPU ms.
 */
async function timePair<A, B>(a: () => Promise<A>, b: () => Promise<B>, reps = 5): Promise<[Timing<A>, Timing<B>]> {
  let lastA = await a();
  let lastB = await b();
  const w: [number[], number[]] = [[], []];
  const c: [number[], number[]] = [[], []];
  const once = async <T>(run: () => Promise<T>, k: 0 | 1): Promise<T> => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = await run();
    w[k].push(performance.now() - t0);
    const d = process.cpuUsage(c0);
    c[k].push((d.user + d.system) / 1000);
    return out;
  };
  for (let r = 0; r < reps; r++) {
    lastA = await once(a, 0);
    lastB = await once(b, 1);
  }
  const median = (xs: number[]): number => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return [
    { wall: median(w[0]), cpu: median(c[0]), runs: w[0], last: lastA },
    { wall: median(w[1]), cpu: median(c[1]), runs: w[1], last: lastB },
  ];
}

const show = (name: string, t: Timing<unknown>): string =>
  `${name} ${t.wall.toFixed(0)} ms wall (runs ${t.runs.map((r) => r.toFixed(0)).join(', ')}), ${t.cpu.toFixed(0)} ms CPU`;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function positional(): number[] {
  const out: number[] = [];
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i]!.startsWith('--')) {
      if (['--engine', '--permutations', '--scale'].includes(args[i]!)) i++;
      continue;
    }
    out.push(Number(args[i]));
  }
  return out;
}

async function gpuEngine(): Promise<GpuEngine> {
  const adapter = await (await nodeGpu())?.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter');
  return GpuEngine.create(adapter, await nodeShaderSources());
}

function maximaAgree(a: PermutationMaxima, b: PermutationMaxima): boolean {
  return (
    a.maxT.every((x, p) => Math.abs(x - b.maxT[p]!) <= 1e-5 * Math.max(1, Math.abs(x))) &&
    a.maxExtent.every((x, p) => x === b.maxExtent[p])
  );
}

async function tTests(gpu: GpuEngine): Promise<void> {
  const [side = 60, subjects = 10, count = 1024] = positional();
  const withTfce = process.argv.includes('--tfce');
  const cpu = new CpuEngine();
  const { stack, geometry } = syntheticStudy(1, [side, side, Math.round(side * 0.85)], subjects, 0.8);
  const batch = signFlips(subjects, count, 9);
  const clusters = { threshold: 3.25, twoSided: false, connectivity: 26 } as const;
  const tfce = withTfce ? ({ step: 0.1, E: 0.5, H: 2, connectivity: 6, twoSided: false } as const) : null;
  console.log(
    `${gpu.description}; ${stack.voxels} voxels, ${subjects} subjects, ${count} sign flips, clusters 26-connected${tfce ? ', TFCE' : ''}`,
  );
  const run = (e: PermutationEngine) => () => e.permutationMaxima(stack, batch, geometry, clusters, tfce);
  const g = await time(run(gpu));
  const c = await time(run(cpu));
  console.log(
    `${show('GPU', g)}; ${show('CPU', c)}: CPU / GPU = ${(c.wall / g.wall).toFixed(1)}; maxima agree: ${maximaAgree(g.last, c.last)}`,
  );
}

/** The one-sample t as the GLM's rank-1 model: Q = 1 / sqrt(n), E = Y (Z is empty), codes s_i / sqrt(n). */
async function glmVsT(gpu: GpuEngine): Promise<void> {
  const [side = 40, subjects = 10, count = 256] = positional();
  const { stack, geometry } = syntheticStudy(1, [side, side, Math.round(side * 0.85)], subjects, 0.8);
  const flips = signFlips(subjects, count, 9);
  const V = stack.voxels;
  const sumSquares = new Float32Array(V);
  for (let v = 0; v < V; v++) {
    let s = 0;
    for (let i = 0; i < subjects; i++) s += stack.values[i * V + v]! ** 2;
    sumSquares[v] = s;
  }
  const data = { rows: subjects, voxels: V, residuals: stack.values, sumSquares };
  const batch = {
    count,
    rank: 1,
    effect: 1,
    codes: flips.codes.map((s) => s / Math.sqrt(subjects)),
    statistic: 't' as const,
    df: subjects - 1,
  };
  const clusters = { threshold: 3.25, twoSided: false, connectivity: 26 } as const;
  console.log(`${gpu.description}; one-sample sign flips, ${V} voxels, ${subjects} subjects, ${count} flips`);
  const [tMaps, gMaps] = await timePair(
    () => gpu.permutedT(stack, flips),
    () => gpu.glmStat(data, batch),
  );
  let worst = 0;
  tMaps.last.forEach((t, i) => (worst = Math.max(worst, Math.abs(t - gMaps.last[i]!) / Math.max(1, Math.abs(t)))));
  console.log(
    `maps (read back): ${show('perm-t', tMaps)}; ${show('glm-stat', gMaps)}; GLM / t = ${(gMaps.wall / tMaps.wall).toFixed(2)} wall, ${(gMaps.cpu / tMaps.cpu).toFixed(2)} CPU; worst |t difference| ${worst.toExponential(2)}`,
  );
  const [tMax, gMax] = await timePair(
    () => gpu.permutationMaxima(stack, flips, geometry, clusters, null),
    () => gpu.glmMaxima(data, batch, geometry, clusters, null),
  );
  console.log(
    `maxima + clusters: ${show('perm-t', tMax)}; ${show('glm-stat', gMax)}; GLM / t = ${(gMax.wall / tMax.wall).toFixed(2)} wall, ${(gMax.cpu / tMax.cpu).toFixed(2)} CPU; agree: ${maximaAgree(tMax.last, gMax.last)}`,
  );
}

/** G5's model: three arms of 10 (A, B, C cell means) and a demeaned age; the F-test of any difference. */
function threeArmModel(n: number): GlmModel {
  const raw = Array.from({ length: n }, (_, i) => 30 + ((i * 7) % 13) + 0.5 * Math.sin(i));
  const mean = raw.reduce((a, b) => a + b, 0) / n;
  const rows = raw.map((a, i) => [i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0, i % 3 === 2 ? 1 : 0, a - mean]);
  const contrasts = [
    { name: 'A-B', weights: [1, -1, 0, 0] },
    { name: 'A-C', weights: [1, 0, -1, 0] },
  ];
  return {
    columns: ['A', 'B', 'C', 'age'],
    rows,
    contrasts,
    fTests: [{ name: 'any difference', contrasts: [0, 1] }],
    blocks: null,
  };
}

async function g5(gpu: GpuEngine | null): Promise<void> {
  const which = option('engine', 'both');
  const count = Number(option('permutations', '1000'));
  const scale = Number(option('scale', '1'));
  const n = 30;
  // An ellipsoid filling this box holds about 226,000 voxels: the MNI 2 mm brain mask's size.
  const dims: [number, number, number] = [Math.round(72 * scale), Math.round(86 * scale), Math.round(70 * scale)];
  const { stack, geometry } = syntheticStudy(5, dims, n, 0.6);
  const model = threeArmModel(n);
  const test = modelTests(model).find((t) => t.kind === 'F')!;
  const fl = freedmanLane(designMatrix(model), test);
  const data = glmData(fl, stack.values, stack.voxels);
  const batch = glmBatch(fl, planGlmPermutations(n, fl.permutation, null, count, 42), 0, count);
  const clusters = { threshold: fForZ(2.3, fl.effect, fl.df), twoSided: false, connectivity: 26 } as const;
  console.log(
    `G5: ${gpu?.description ?? 'CPU only'}; F-test of 3 arms + age, ${n} rows, rank ${fl.rank}, ${stack.voxels} voxels, ${count} permutations, clusters at F ${clusters.threshold.toFixed(3)} (z 2.3), 26-connected`,
  );
  const run = (e: GlmEngine) => () => e.glmMaxima(data, batch, geometry, clusters, null);
  const g = gpu && which !== 'cpu' ? await time(run(gpu)) : null;
  const c = which !== 'gpu' ? await time(run(new CpuEngine())) : null;
  if (g) console.log(show('GPU', g));
  if (c) console.log(show('CPU', c));
  if (g && c)
    console.log(
      `CPU / GPU = ${(c.wall / g.wall).toFixed(1)} wall, ${(c.cpu / g.cpu).toFixed(1)} CPU; maxima agree: ${maximaAgree(g.last, c.last)}`,
    );
}

async function main(): Promise<void> {
  const cpuOnly = process.argv.includes('--g5') && option('engine', 'both') === 'cpu';
  const gpu = cpuOnly ? null : await gpuEngine();
  try {
    if (process.argv.includes('--g5')) await g5(gpu);
    else if (process.argv.includes('--glm-vs-t')) await glmVsT(gpu!);
    else await tTests(gpu!);
  } finally {
    gpu?.dispose();
  }
}

await main();
