import { mat, multiply, pinv, transpose } from './linalg';
import { designMatrix, modelTests, type GlmModel } from './model';

/**
 * The unpermuted fit in float64, by the textbook formulas (not the permutation codes): b = pinv(M) Y,
 * sigma^2 = |Y - M b|^2 / (n - r), t = c b / sqrt(sigma^2 c (M'M)^-1 c'), F = (C b)' (C (M'M)^-1 C')^-1
 * (C b) / s / sigma^2. statsmodels' OLS t_test and f_test give the same (tests/unit/glm-statsmodels).
 */
export interface GlmFit {
  readonly df: number;
  /** Per test in modelTests order (t-contrasts, then F-tests): its statistic at each column of Y. */
  readonly stats: Float64Array[];
}

/** y: n rows of V values, row-major (y[i * V + v]). */
export function fitGlm(model: GlmModel, y: Float64Array, voxels: number): GlmFit {
  const m = designMatrix(model);
  const n = m.rows;
  const p = m.cols;
  if (y.length !== n * voxels) throw new RangeError(`${y.length} values for ${n} rows of ${voxels}`);
  const pm = pinv(m);
  const xtxi = multiply(pm, transpose(pm));
  const df = n - p;
  const b = multiply(pm, mat(n, voxels, y));
  const sigma2 = new Float64Array(voxels);
  for (let i = 0; i < n; i++) {
    for (let v = 0; v < voxels; v++) {
      let fitted = 0;
      for (let k = 0; k < p; k++) fitted += m.data[i * p + k]! * b.data[k * voxels + v]!;
      sigma2[v] = sigma2[v]! + (y[i * voxels + v]! - fitted) ** 2 / df;
    }
  }
  const stats = modelTests(model).map((test) => {
    const c = test.c;
    const s = c.rows;
    const cb = multiply(c, b);
    const middle = pinv(multiply(multiply(c, xtxi), transpose(c)));
    const out = new Float64Array(voxels);
    for (let v = 0; v < voxels; v++) {
      if (test.kind === 't') {
        out[v] = cb.data[v]! / Math.sqrt(sigma2[v]! * (1 / middle.data[0]!));
        continue;
      }
      let q = 0;
      for (let a = 0; a < s; a++)
        for (let d = 0; d < s; d++) q += cb.data[a * voxels + v]! * middle.data[a * s + d]! * cb.data[d * voxels + v]!;
      out[v] = q / s / sigma2[v]!;
    }
    return out;
  });
  return { df, stats };
}
