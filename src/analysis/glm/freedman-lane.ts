import type { GlmBatch, GlmData } from '../../compute/glm';
import { GroupError } from '../group/design';
import { columnBasis, mat, multiply, norm, nullSpace, pinv, transpose, type Mat } from './linalg';
import type { Test } from './model';
import type { GlmPermutationPlan } from './permutations';
import { glmPermutationRow } from './permutations';

/**
 * Freedman-Lane for one contrast or F-test (../shared/SPEC.md; Winkler et al. 2014): the null model Z
 * spans { M b : C b = 0 }, E = R_z Y, and the j-th permuted data P_j E + H_z Y fitted on M give every
 * statistic from Q' P_j E, with Q = [Q_x Q_z] an orthonormal basis of M's span (Q_x the effect's s
 * columns, Q_z the null model's r - s).
 */
export interface FreedmanLane {
  readonly test: Test;
  readonly n: number;
  /** r: the design's rank (its columns: the design is refused when rank-deficient). */
  readonly rank: number;
  /** s: the contrast's rank (1 for a t-contrast). */
  readonly effect: number;
  readonly df: number;
  /** [Q_x Q_z], n x r. */
  readonly q: Mat;
  /** Q_z, n x (r - s). */
  readonly qz: Mat;
  /** Sign flips when the effective regressor is constant and Z holds no intercept (a mean test), else permutations. */
  readonly permutation: 'sign-flip' | 'permutation';
}

/** Within this share of their size, the effective regressor counts as constant and the intercept as in Z (design files carry about 7 digits). */
const DESIGN_RELATIVE = 1e-6;

export function freedmanLane(m: Mat, test: Test, force?: 'sign-flip' | 'permutation'): FreedmanLane {
  const n = m.rows;
  const p = m.cols;
  const s = test.c.rows;
  // W = M (M'M)^-1 C' = pinv(M)' C': its columns span the effect part R_z M.
  const w = multiply(transpose(pinv(m)), transpose(test.c));
  const z = multiply(m, nullSpace(test.c));
  const qz = columnBasis(z);
  let qx: Mat;
  if (s === 1) {
    // Oriented along w, so a_0 = Q_x' E has the sign of c b.
    const len = norm(w.data);
    qx = mat(
      n,
      1,
      w.data.map((x) => x / len),
    );
  } else qx = columnBasis(w);
  if (qx.cols !== s)
    throw new GroupError(
      'DESIGN',
      `${test.kind === 'F' ? 'F-test' : 'contrast'} ${test.index} (${test.name}) has rank ${qx.cols} in the design, not ${s}`,
    );
  const r = qx.cols + qz.cols;
  const q = mat(n, r);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < s; k++) q.data[i * r + k] = qx.data[i * s + k]!;
    for (let k = 0; k < qz.cols; k++) q.data[i * r + s + k] = qz.data[i * qz.cols + k]!;
  }
  const permutation = force ?? (meanTest(w, qz) ? 'sign-flip' : 'permutation');
  return { test, n, rank: r, effect: s, df: n - p, q, qz, permutation };
}

/**
 * randomise's choice: the effective regressor x = W (C (M'M)^-1 C')^-1 spans the same columns as W,
 * so x is constant (each column) exactly when W is; and the intercept must not be in Z.
 */
function meanTest(w: Mat, qz: Mat): boolean {
  const n = w.rows;
  for (let k = 0; k < w.cols; k++) {
    let lo = Infinity;
    let hi = -Infinity;
    let size = 0;
    for (let i = 0; i < n; i++) {
      const x = w.data[i * w.cols + k]!;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
      size = Math.max(size, Math.abs(x));
    }
    if (hi - lo > DESIGN_RELATIVE * size) return false;
  }
  // |R_z 1|: the ones vector's residual on the null model.
  const proj = new Float64Array(qz.cols);
  for (let i = 0; i < n; i++) for (let k = 0; k < qz.cols; k++) proj[k] = proj[k]! + qz.data[i * qz.cols + k]!;
  const left = n - proj.reduce((a, x) => a + x * x, 0);
  return Math.sqrt(Math.max(0, left)) > DESIGN_RELATIVE * Math.sqrt(n);
}

/** E = R_z Y (float64 sums, stored float32) and |E_v|^2, from the stacked rows Y (n x V). */
export function glmData(fl: FreedmanLane, y: Float32Array, voxels: number): GlmData {
  const { n, qz } = fl;
  if (y.length !== n * voxels) throw new RangeError(`${y.length} values for ${n} rows of ${voxels} voxels`);
  const k = qz.cols;
  const acc = new Float64Array(k * voxels);
  // acc_k = Q_z[:, k]' Y, then E = Y - Q_z acc.
  for (let i = 0; i < n; i++) {
    const row = y.subarray(i * voxels, (i + 1) * voxels);
    for (let c = 0; c < k; c++) {
      const qv = qz.data[i * k + c]!;
      const a = acc.subarray(c * voxels, (c + 1) * voxels);
      for (let v = 0; v < voxels; v++) a[v] = a[v]! + qv * row[v]!;
    }
  }
  const residuals = new Float32Array(n * voxels);
  const squares = new Float64Array(voxels);
  const e = new Float64Array(voxels);
  for (let i = 0; i < n; i++) {
    const row = y.subarray(i * voxels, (i + 1) * voxels);
    for (let v = 0; v < voxels; v++) e[v] = row[v]!;
    for (let c = 0; c < k; c++) {
      const qv = qz.data[i * k + c]!;
      const a = acc.subarray(c * voxels, (c + 1) * voxels);
      for (let v = 0; v < voxels; v++) e[v] = e[v]! - qv * a[v]!;
    }
    const out = residuals.subarray(i * voxels, (i + 1) * voxels);
    for (let v = 0; v < voxels; v++) {
      const x = Math.fround(e[v]!);
      out[v] = x;
      squares[v] = squares[v]! + x * x;
    }
  }
  return { rows: n, voxels, residuals, sumSquares: Float32Array.from(squares) };
}

/**
 * Rows from .. from + count - 1 of the plan as the engine's codes Q' P_j: row l of P_j E is row
 * perm(l) of E, so code_k[perm(l)] = Q[l, k]; a sign flip multiplies code_k[i] = Q[i, k] by s_i.
 */
export function glmBatch(fl: FreedmanLane, plan: GlmPermutationPlan, from: number, count: number): GlmBatch {
  const { n, rank: r, q } = fl;
  const codes = new Float32Array(count * r * n);
  const row = new Int32Array(n);
  for (let p = 0; p < count; p++) {
    glmPermutationRow(plan, from + p, row);
    const base = p * r * n;
    for (let l = 0; l < n; l++) {
      const to = plan.kind === 'sign-flip' ? l : row[l]!;
      const sign = plan.kind === 'sign-flip' ? row[l]! : 1;
      for (let k = 0; k < r; k++) codes[base + k * n + to] = sign * q.data[l * r + k]!;
    }
  }
  return { count, rank: r, effect: fl.effect, codes, statistic: fl.test.kind, df: fl.df };
}
