// Small general-linear-model studies for the engines' GLM passes (src/compute/glm.ts is the
// contract), built here in float64 from the SPEC's definitions ("The general linear model"), not
// from the engines: a design M with full column rank, a t-contrast or an F-test C, the null model
// Z = M N (N spanning C's null space), E = R_z Y, and each permutation's code rows Q' P_j with
// Q = [Q_x Q_z] (Q_x spanning M (M'M)^-1 C', which is orthogonal to Z). Two references: the
// contract's formulas in float64 from the codes, and a plain refit of P_j E + H_z Y on M.
import type { GlmBatch, GlmData } from '../../src/compute/glm';
import type { MaskGeometry } from '../../src/compute/permutation';
import { mulberry32, type Dims } from './volumes';
import { syntheticStudy } from './permutation-study';

type Matrix = number[][];

export interface GlmStudy {
  readonly n: number;
  readonly rank: number;
  readonly effect: number;
  readonly statistic: 't' | 'F';
  readonly design: Matrix;
  readonly contrast: Matrix;
  /** The maps as given (float64 of the float32 stack), row-major n x V. */
  readonly y: Float64Array;
  /** H_z Y, the null model's fit, float64. */
  readonly fitted: Float64Array;
  /** [Q_x Q_z] as columns: q[k][i]. */
  readonly q: Matrix;
  readonly data: GlmData;
  readonly geometry: MaskGeometry;
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const transpose = (m: Matrix): Matrix => m[0]!.map((_, j) => m.map((row) => row[j]!));
const multiply = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, k) => s + x * b[k]![j]!, 0)));

/** Orthonormal columns spanning `columns` (modified Gram-Schmidt, twice), dropping dependent ones. */
function orthonormal(columns: Matrix, against: Matrix = []): Matrix {
  const out: Matrix = [];
  for (const c of columns) {
    const v = c.slice();
    const scale = Math.sqrt(dot(v, v));
    for (let pass = 0; pass < 2; pass++) {
      for (const u of [...against, ...out]) {
        const d = dot(u, v);
        for (let i = 0; i < v.length; i++) v[i]! -= d * u[i]!;
      }
    }
    const norm = Math.sqrt(dot(v, v));
    if (norm > 1e-10 * Math.max(1, scale)) out.push(v.map((x) => x / norm));
  }
  return out;
}

/** Inverse of a small symmetric positive definite matrix (Gauss-Jordan). */
function inverse(a: Matrix): Matrix {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    const d = m[c]![c]!;
    m[c] = m[c]!.map((x) => x / d);
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      m[r] = m[r]!.map((x, j) => x - f * m[c]![j]!);
    }
  }
  return m.map((row) => row.slice(n));
}

/**
 * A study of n rows on a small masked grid: an intercept, then rank - 1 random covariates (the first
 * `groups` of them +-1 group codes), the maps of syntheticStudy; the contrast picks `effect` columns
 * (an F-test when statistic is 'F', else the t-contrast on column `column` with weight `sign`).
 */
export function glmStudy(opts: {
  seed: number;
  dims: Dims;
  n: number;
  rank: number;
  statistic: 't' | 'F';
  effect?: number;
  column?: number;
  sign?: number;
}): GlmStudy {
  const { seed, dims, n, rank, statistic } = opts;
  const s = statistic === 't' ? 1 : (opts.effect ?? Math.min(2, rank));
  const rand = mulberry32(seed * 7919 + 3);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const design: Matrix = Array.from({ length: n }, (_, i) => [
    1,
    ...Array.from({ length: rank - 1 }, (_, j) => (j === 0 ? (i % 3 === 0 ? 1 : -0.5) : normal())),
  ]);
  const first = statistic === 't' ? (opts.column ?? Math.min(1, rank - 1)) : rank - s;
  const contrast: Matrix = Array.from({ length: s }, (_, k) =>
    Array.from({ length: rank }, (_, j) => (j === first + k ? (opts.sign ?? 1) : 0)),
  );
  const study = syntheticStudy(seed, dims, n, 0.9);
  const V = study.stack.voxels;
  const y = Float64Array.from(study.stack.values);
  // Covariates matter in the data too, so the null model's fit is not nothing.
  for (let i = 0; i < n; i++)
    for (let v = 0; v < V; v++) y[i * V + v]! += 0.7 * design[i]![rank - 1]! * Math.sin(v / 5);
  const m = design;
  const mt = transpose(m);
  const pinvCt = multiply(inverse(multiply(mt, m)), transpose(contrast)); // (M'M)^-1 C', p x s
  const x = transpose(multiply(m, pinvCt)); // s columns of length n, each orthogonal to Z
  const cSpan = orthonormal(contrast);
  const nullC = orthonormal(
    Array.from({ length: rank }, (_, j) => Array.from({ length: rank }, (_, k) => (j === k ? 1 : 0))),
    cSpan,
  );
  const z = nullC.length > 0 ? transpose(multiply(m, transpose(nullC))) : []; // columns of Z = M N
  const qz = orthonormal(z);
  let qx = orthonormal(x, qz);
  if (s === 1 && dot(qx[0]!, x[0]!) < 0) qx = [qx[0]!.map((v) => -v)];
  const q = [...qx, ...qz];
  if (q.length !== rank) throw new Error(`the test design has rank ${q.length}, not ${rank}`);
  const fitted = new Float64Array(n * V);
  const residuals = new Float32Array(n * V);
  const sumSquares = new Float32Array(V);
  for (let v = 0; v < V; v++) {
    const col = Array.from({ length: n }, (_, i) => y[i * V + v]!);
    const fit = new Array<number>(n).fill(0);
    for (const u of qz) {
      const d = dot(u, col);
      for (let i = 0; i < n; i++) fit[i]! += d * u[i]!;
    }
    let ss = 0;
    for (let i = 0; i < n; i++) {
      fitted[i * V + v] = fit[i]!;
      residuals[i * V + v] = col[i]! - fit[i]!;
      ss += residuals[i * V + v]! ** 2;
    }
    sumSquares[v] = ss;
  }
  return {
    n,
    rank,
    effect: s,
    statistic,
    design,
    contrast,
    y,
    fitted,
    q,
    data: { rows: n, voxels: V, residuals, sumSquares },
    geometry: study.geometry,
  };
}

/**
 * `count` permutations as the batch's codes: row permutations (row i receives row perm[i] of E) or
 * sign flips; the first is the data as given. Also returns each permutation, for the refit.
 */
export function glmBatch(
  study: GlmStudy,
  count: number,
  kind: 'permute' | 'flip',
  seed = 5,
): { batch: GlmBatch; perms: Int32Array[]; signs: Float64Array[] } {
  const { n, rank, q } = study;
  const rand = mulberry32(seed);
  const codes = new Float32Array(count * rank * n);
  const perms: Int32Array[] = [];
  const signs: Float64Array[] = [];
  for (let p = 0; p < count; p++) {
    const perm = Int32Array.from({ length: n }, (_, i) => i);
    const sign = new Float64Array(n).fill(1);
    if (p > 0 && kind === 'permute') {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
    }
    if (p > 0 && kind === 'flip') for (let i = 0; i < n; i++) sign[i] = rand() < 0.5 ? -1 : 1;
    perms.push(perm);
    signs.push(sign);
    // a_k = sum_i q_k[i] s_i E[perm[i]]: E's row perm[i] gets the code q_k[i] s_i.
    for (let k = 0; k < rank; k++)
      for (let i = 0; i < n; i++) codes[(p * rank + k) * n + perm[i]!] = q[k]![i]! * sign[i]!;
  }
  return {
    batch: { count, rank, effect: study.effect, codes, statistic: study.statistic, df: n - rank },
    perms,
    signs,
  };
}

/** The contract's formulas in float64 from the batch's codes and the data's E and |E|^2. */
export function referenceGlmStat(data: GlmData, batch: GlmBatch): Float64Array {
  const { rows: n, voxels: V, residuals: e } = data;
  const { rank: r, effect: s, codes, df } = batch;
  const out = new Float64Array(batch.count * V);
  const a = new Float64Array(r);
  for (let p = 0; p < batch.count; p++) {
    for (let v = 0; v < V; v++) {
      for (let k = 0; k < r; k++) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += codes[(p * r + k) * n + i]! * e[i * V + v]!;
        a[k] = sum;
      }
      let total = 0;
      let eff = 0;
      for (let k = 0; k < r; k++) (total += a[k]! ** 2), k < s && (eff += a[k]! ** 2);
      const rss = Math.max(data.sumSquares[v]! - total, 0);
      out[p * V + v] = rss === 0 ? 0 : batch.statistic === 't' ? a[0]! / Math.sqrt(rss / df) : eff / s / (rss / df);
    }
  }
  return out;
}

/** The statistic by refitting M to P_j E + H_z Y (float64, E unrounded): what the codes stand for. */
export function refitGlmStat(study: GlmStudy, perm: Int32Array, sign: Float64Array): Float64Array {
  const { n, rank, design: m, contrast: c, y, fitted } = study;
  const V = study.data.voxels;
  const xtxInv = inverse(multiply(transpose(m), m));
  const middle = inverse(multiply(multiply(c, xtxInv), transpose(c)));
  const out = new Float64Array(V);
  for (let v = 0; v < V; v++) {
    const e = (i: number): number => y[i * V + v]! - fitted[i * V + v]!;
    const ys = Array.from({ length: n }, (_, i) => sign[i]! * e(perm[i]!) + fitted[i * V + v]!);
    const mty = transpose(m).map((col) => dot(col, ys));
    const b = xtxInv.map((row) => dot(row, mty));
    let rss = 0;
    for (let i = 0; i < n; i++) rss += (ys[i]! - dot(m[i]!, b)) ** 2;
    const sigma2 = rss / (n - rank);
    const cb = c.map((row) => dot(row, b));
    if (study.statistic === 't')
      out[v] = cb[0]! / Math.sqrt(sigma2 * multiply(multiply(c, xtxInv), transpose(c))[0]![0]!);
    else
      out[v] =
        dot(
          cb,
          middle.map((row) => dot(row, cb)),
        ) /
        c.length /
        sigma2;
  }
  return out;
}
