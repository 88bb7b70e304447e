import { checkMaskVoxels } from '../permutation';
import { fForZ, zFromF } from '../distributions';
import type { GlmBatch, GlmData, GlmEngine } from '../glm';
import type { ClusterRule, MaskGeometry, PermutationMaxima, TfceRule } from '../permutation';
import { blockedGraph } from './mask-graph';
import { ClusterScratch, supraLattice } from './permutation-clusters';
import { TfceScratch } from './tfce';

/**
 * An RSS at or below this share of |E|^2 is an exact fit (rounding, not data): the statistic is 0,
 * as the contract's "a voxel whose RSS is 0 gives 0" means it.
 */
const ZERO_RSS = 1e-10;

/** Voxels per tile of the product: r float64 accumulators of this many stay in cache (4 x 2048 x 8 = 64 KiB). */
const TILE = 2048;

/**
 * Ranks up to this run voxel by voxel on E held voxel-major, with the r sums in registers: each of a
 * voxel's n residuals is read once for all r rows and nothing is stored until the statistic. The sums
 * are the same float64 operations in the same order as the tiled product's, so the same numbers.
 */
const REGISTER_RANK = 4;

/** E voxel-major (v n + i), made once per contrast's data for the register product. */
const voxelMajor = new WeakMap<GlmData, Float32Array>();

function residualsByVoxel(data: GlmData): Float32Array {
  let et = voxelMajor.get(data);
  if (et) return et;
  const { rows: n, voxels: m, residuals } = data;
  et = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let v = 0; v < m; v++) et[v * n + i] = residuals[i * m + v]!;
  voxelMajor.set(data, et);
  return et;
}

/**
 * The float64 reference of the GLM's permutation pass (src/compute/glm.ts): for each permutation the
 * r products a_k = code_k . E_v accumulated in float64 over the rows, then the epilogue (RSS, t or F)
 * rounded to float32 as the GPU holds it; the existing cluster and TFCE code runs on that map.
 */
export class CpuGlm implements GlmEngine {
  async glmStat(data: GlmData, batch: GlmBatch): Promise<Float32Array> {
    check(data, batch);
    const out = new Float32Array(batch.count * data.voxels);
    const work = new GlmWork(data, batch);
    for (let p = 0; p < batch.count; p++) out.set(work.statistic(p), p * data.voxels);
    return out;
  }

  async glmMaxima(
    data: GlmData,
    batch: GlmBatch,
    geometry: MaskGeometry,
    clusters: ClusterRule,
    tfce: TfceRule | null,
  ): Promise<PermutationMaxima> {
    check(data, batch);
    checkMaskVoxels(geometry, data.voxels);
    const work = new GlmWork(data, batch);
    const lattice = supraLattice(geometry, clusters.connectivity);
    const tfceGraph = tfce && blockedGraph(geometry, tfce.connectivity);
    const scratch = new ClusterScratch(data.voxels);
    const tfceScratch = tfce && new TfceScratch(data.voxels);
    const z = batch.statistic === 'F' && tfce ? new Float32Array(data.voxels) : null;
    // Only F values whose z reaches the first TFCE level need converting.
    const fStep = z && tfce ? fForZ(tfce.step, batch.effect, batch.df) : Infinity;
    const maxT = new Float64Array(batch.count);
    const maxExtent = new Float64Array(batch.count);
    const maxMass = new Float64Array(batch.count);
    const maxTfce = tfce ? new Float64Array(batch.count) : null;
    for (let p = 0; p < batch.count; p++) {
      const stat = work.statistic(p);
      let top = -Infinity;
      for (let v = 0; v < stat.length; v++) if (stat[v]! > top) top = stat[v]!;
      maxT[p] = top;
      // One-sided, as randomise: t > 0, and F is never negative.
      scratch.begin();
      scratch.addMap(stat, clusters.threshold, false);
      const c = scratch.finish(lattice);
      maxExtent[p] = c.extent;
      maxMass[p] = c.mass;
      if (tfce && tfceScratch && tfceGraph && maxTfce) {
        const map = z ? zOfF(stat, z, fStep, batch.effect, batch.df) : stat;
        maxTfce[p] = tfceScratch.run(map, 1, tfce.step, tfce.E, tfce.H, tfceGraph);
      }
    }
    return { maxT, maxExtent, maxMass, maxTfce };
  }
}

/** z of each F at or above `from` (randomise's TFCE on F); 0 below, where TFCE does not reach. Shared by both engines (the GPU converts on the host). */
export function zOfF(f: Float32Array, z: Float32Array, from: number, df1: number, df2: number): Float32Array {
  const lo = Math.fround(from) * (1 - 1e-6);
  for (let v = 0; v < f.length; v++) z[v] = f[v]! >= lo ? zFromF(f[v]!, df1, df2) : 0;
  return z;
}

function check(data: GlmData, batch: GlmBatch): void {
  const { rows: n, voxels } = data;
  if (data.residuals.length !== n * voxels)
    throw new RangeError(`residuals of ${n} x ${voxels} hold ${data.residuals.length} values`);
  if (data.sumSquares.length !== voxels)
    throw new RangeError(`${data.sumSquares.length} sums of squares for ${voxels} voxels`);
  if (batch.codes.length !== batch.count * batch.rank * n)
    throw new RangeError(
      `${batch.count} permutations of ${batch.rank} x ${n} codes need ${batch.count * batch.rank * n}, not ${batch.codes.length}`,
    );
  if (!(batch.effect >= 1 && batch.effect <= batch.rank))
    throw new RangeError(`an effect of ${batch.effect} rows in a rank of ${batch.rank}`);
  if (batch.statistic === 't' && batch.effect !== 1) throw new RangeError('a t statistic has one effect row');
  if (!(batch.df >= 1)) throw new RangeError(`df ${batch.df}`);
}

/** One permutation's statistic map after another, into a reused float32 map. */
class GlmWork {
  private readonly acc: Float64Array;
  private readonly squares: Float64Array;
  readonly stat: Float32Array;
  private readonly code4: Float64Array;

  constructor(
    private readonly data: GlmData,
    private readonly batch: GlmBatch,
  ) {
    this.acc = new Float64Array(batch.rank * data.voxels);
    this.stat = new Float32Array(data.voxels);
    this.code4 = new Float64Array(REGISTER_RANK * data.rows);
    // |E_v|^2 in float64 from the float32 residuals the product uses (the contract's sumSquares rounded).
    const { rows: n, voxels: m, residuals } = data;
    const sq = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const row = residuals.subarray(i * m, (i + 1) * m);
      for (let v = 0; v < m; v++) sq[v] = sq[v]! + row[v]! * row[v]!;
    }
    this.squares = sq;
  }

  statistic(p: number): Float32Array {
    if (this.batch.rank <= REGISTER_RANK) return this.registerStatistic(p);
    const { rows: n, voxels: m, residuals } = this.data;
    const { rank: r, codes } = this.batch;
    const acc = this.acc;
    const base = p * r * n;
    // Tiles of voxels keep the r accumulators in cache while every row of E passes over them; two
    // code rows share each read of E.
    for (let t0 = 0; t0 < m; t0 += TILE) {
      const t1 = Math.min(m, t0 + TILE);
      for (let k = 0; k < r; k++) acc.fill(0, k * m + t0, k * m + t1);
      for (let i = 0; i < n; i++) {
        const off = i * m;
        let k = 0;
        for (; k + 1 < r; k += 2) {
          const c0 = codes[base + k * n + i]!;
          const c1 = codes[base + (k + 1) * n + i]!;
          const a0 = k * m;
          const a1 = a0 + m;
          for (let v = t0; v < t1; v++) {
            const e = residuals[off + v]!;
            acc[a0 + v] = acc[a0 + v]! + c0 * e;
            acc[a1 + v] = acc[a1 + v]! + c1 * e;
          }
        }
        if (k < r) {
          const c0 = codes[base + k * n + i]!;
          const a0 = k * m;
          for (let v = t0; v < t1; v++) acc[a0 + v] = acc[a0 + v]! + c0 * residuals[off + v]!;
        }
      }
    }
    return this.epilogue();
  }

  /**
   * statistic(p) for rank <= REGISTER_RANK: the code rows padded with zero rows to four, two voxels at
   * a time so that each code read serves both, the epilogue fused.
   */
  private registerStatistic(p: number): Float32Array {
    const { rows: n, voxels: m } = this.data;
    const { rank: r, codes } = this.batch;
    const et = residualsByVoxel(this.data);
    const c = this.code4;
    c.fill(0);
    for (let k = 0; k < r * n; k++) c[k] = codes[p * r * n + k]!;
    let v = 0;
    for (; v + 1 < m; v += 2) {
      const o = v * n;
      const o2 = o + n;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let i = 0; i < n; i++) {
        const c0 = c[i]!;
        const c1 = c[n + i]!;
        const c2 = c[2 * n + i]!;
        const c3 = c[3 * n + i]!;
        const e = et[o + i]!;
        const f = et[o2 + i]!;
        a0 += c0 * e;
        a1 += c1 * e;
        a2 += c2 * e;
        a3 += c3 * e;
        b0 += c0 * f;
        b1 += c1 * f;
        b2 += c2 * f;
        b3 += c3 * f;
      }
      this.put(v, a0, a1, a2, a3);
      this.put(v + 1, b0, b1, b2, b3);
    }
    if (v < m) {
      const o = v * n;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let i = 0; i < n; i++) {
        const e = et[o + i]!;
        a0 += c[i]! * e;
        a1 += c[n + i]! * e;
        a2 += c[2 * n + i]! * e;
        a3 += c[3 * n + i]! * e;
      }
      this.put(v, a0, a1, a2, a3);
    }
    return this.stat;
  }

  /** The epilogue of one voxel from its four sums, adding the squares in its order: the effect rows (k < s), then the rest. */
  private put(v: number, a0: number, a1: number, a2: number, a3: number): void {
    const { rank: r, effect: s, df } = this.batch;
    let eff = 0;
    let rest = 0;
    if (s > 0) eff += a0 ** 2;
    else rest += a0 ** 2;
    if (r > 1) {
      if (s > 1) eff += a1 ** 2;
      else rest += a1 ** 2;
    }
    if (r > 2) {
      if (s > 2) eff += a2 ** 2;
      else rest += a2 ** 2;
    }
    if (r > 3) {
      if (s > 3) eff += a3 ** 2;
      else rest += a3 ** 2;
    }
    const sq = this.squares[v]!;
    const rss = sq - eff - rest;
    if (!(rss > ZERO_RSS * sq)) {
      this.stat[v] = 0;
      return;
    }
    const sigma2 = rss / df;
    this.stat[v] = this.batch.statistic === 't' ? a0 / Math.sqrt(sigma2) : eff / s / sigma2;
  }

  /** RSS = |E|^2 - sum_k a_k^2, then t = a_0 / sqrt(RSS / df) or F = (sum_{k<s} a_k^2 / s) / (RSS / df). */
  private epilogue(): Float32Array {
    const m = this.data.voxels;
    const { rank: r, effect: s, df } = this.batch;
    const acc = this.acc;
    const stat = this.stat;
    const sq = this.squares;
    const isT = this.batch.statistic === 't';
    for (let v = 0; v < m; v++) {
      let eff = 0;
      for (let k = 0; k < s; k++) eff += acc[k * m + v]! ** 2;
      let rest = 0;
      for (let k = s; k < r; k++) rest += acc[k * m + v]! ** 2;
      const rss = sq[v]! - eff - rest;
      if (!(rss > ZERO_RSS * sq[v]!)) {
        stat[v] = 0;
        continue;
      }
      const sigma2 = rss / df;
      stat[v] = isT ? acc[v]! / Math.sqrt(sigma2) : eff / s / sigma2;
    }
    return stat;
  }
}
