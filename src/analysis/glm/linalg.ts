/**
 * The small dense float64 linear algebra a design needs (n rows by p columns, p a handful): products,
 * a singular value decomposition (one-sided Jacobi, accurate to the last bits for such sizes) and what
 * follows from it (rank, pseudo-inverse, orthonormal bases). Matrices are row-major Float64Arrays.
 */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
  /** data[i * cols + j] */
  readonly data: Float64Array;
}

export function mat(rows: number, cols: number, data?: ArrayLike<number>): Mat {
  const d = new Float64Array(rows * cols);
  if (data) {
    if (data.length !== rows * cols) throw new RangeError(`${data.length} values for a ${rows} x ${cols} matrix`);
    d.set(data);
  }
  return { rows, cols, data: d };
}

export function fromRows(rows: readonly (readonly number[])[], cols?: number): Mat {
  const c = cols ?? rows[0]?.length ?? 0;
  const m = mat(rows.length, c);
  rows.forEach((r, i) => {
    if (r.length !== c) throw new RangeError(`row ${i + 1} has ${r.length} values, not ${c}`);
    m.data.set(r, i * c);
  });
  return m;
}

export function toRows(a: Mat): number[][] {
  return Array.from({ length: a.rows }, (_, i) => Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols)));
}

export function at(a: Mat, i: number, j: number): number {
  return a.data[i * a.cols + j]!;
}

export function transpose(a: Mat): Mat {
  const t = mat(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j]!;
  return t;
}

export function multiply(a: Mat, b: Mat): Mat {
  if (a.cols !== b.rows) throw new RangeError(`cannot multiply ${a.rows} x ${a.cols} by ${b.rows} x ${b.cols}`);
  const c = mat(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const x = a.data[i * a.cols + k]!;
      if (x === 0) continue;
      for (let j = 0; j < b.cols; j++) c.data[i * b.cols + j] = c.data[i * b.cols + j]! + x * b.data[k * b.cols + j]!;
    }
  }
  return c;
}

export function identity(n: number): Mat {
  const m = mat(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** Columns side by side. */
export function hstack(a: Mat, b: Mat): Mat {
  if (a.rows !== b.rows) throw new RangeError('hstack: different row counts');
  const c = mat(a.rows, a.cols + b.cols);
  for (let i = 0; i < a.rows; i++) {
    c.data.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * c.cols);
    c.data.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * c.cols + a.cols);
  }
  return c;
}

export interface Svd {
  /** n x p, columns of unit length where the singular value is above 0. */
  readonly u: Mat;
  /** p singular values, not sorted. */
  readonly s: Float64Array;
  /** p x p orthogonal. */
  readonly v: Mat;
}

/** A = U diag(s) V' by one-sided Jacobi rotations of A's columns (Hestenes). */
export function svd(a: Mat): Svd {
  const { rows: n, cols: p } = a;
  const u = mat(n, p, a.data);
  const v = identity(p);
  const U = u.data;
  const V = v.data;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let i = 0; i < p - 1; i++) {
      for (let j = i + 1; j < p; j++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let k = 0; k < n; k++) {
          const x = U[k * p + i]!;
          const y = U[k * p + j]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let k = 0; k < n; k++) {
          const x = U[k * p + i]!;
          const y = U[k * p + j]!;
          U[k * p + i] = c * x - s * y;
          U[k * p + j] = s * x + c * y;
        }
        for (let k = 0; k < p; k++) {
          const x = V[k * p + i]!;
          const y = V[k * p + j]!;
          V[k * p + i] = c * x - s * y;
          V[k * p + j] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const s = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let q = 0;
    for (let k = 0; k < n; k++) q += U[k * p + j]! ** 2;
    s[j] = Math.sqrt(q);
    if (s[j]! > 0) for (let k = 0; k < n; k++) U[k * p + j] = U[k * p + j]! / s[j]!;
  }
  return { u, s, v };
}

/** numpy.linalg.matrix_rank's tolerance: max(n, p) * eps * the largest singular value. */
export function rankTolerance(a: Mat, s: Float64Array): number {
  let top = 0;
  for (const x of s) top = Math.max(top, x);
  return Math.max(a.rows, a.cols) * Number.EPSILON * top;
}

export function rank(a: Mat): number {
  const d = svd(a);
  const tol = rankTolerance(a, d.s);
  return d.s.reduce((k, x) => k + (x > tol ? 1 : 0), 0);
}

/** An orthonormal basis of A's column space (n x rank). */
export function columnBasis(a: Mat): Mat {
  if (a.cols === 0) return mat(a.rows, 0);
  const d = svd(a);
  const tol = rankTolerance(a, d.s);
  const keep: number[] = [];
  d.s.forEach((x, j) => {
    if (x > tol) keep.push(j);
  });
  const q = mat(a.rows, keep.length);
  for (let i = 0; i < a.rows; i++) keep.forEach((j, k) => (q.data[i * keep.length + k] = d.u.data[i * a.cols + j]!));
  return q;
}

/** The unit vectors of A's null space (p x (p - rank)): right singular vectors of the zero singular values. */
export function nullSpace(a: Mat): Mat {
  // Padded with zero rows so the SVD sees at least p rows (a wide A has p - rows zero values more).
  const padded =
    a.rows >= a.cols ? a : mat(a.cols, a.cols, [...a.data, ...new Float64Array((a.cols - a.rows) * a.cols)]);
  const d = svd(padded);
  const tol = rankTolerance(a, d.s);
  const keep: number[] = [];
  d.s.forEach((x, j) => {
    if (!(x > tol)) keep.push(j);
  });
  const p = a.cols;
  const nsp = mat(p, keep.length);
  for (let i = 0; i < p; i++) keep.forEach((j, k) => (nsp.data[i * keep.length + k] = d.v.data[i * p + j]!));
  return nsp;
}

/** The Moore-Penrose pseudo-inverse (p x n). */
export function pinv(a: Mat): Mat {
  const d = svd(a);
  const tol = rankTolerance(a, d.s);
  const { rows: n, cols: p } = a;
  const out = mat(p, n);
  for (let j = 0; j < p; j++) {
    const sj = d.s[j]!;
    if (!(sj > tol)) continue;
    for (let r = 0; r < p; r++) {
      const vr = d.v.data[r * p + j]! / sj;
      if (vr === 0) continue;
      for (let i = 0; i < n; i++) out.data[r * n + i] = out.data[r * n + i]! + vr * d.u.data[i * p + j]!;
    }
  }
  return out;
}

/** Residuals of B's columns on an orthonormal basis Q: B - Q (Q' B). */
export function residualize(q: Mat, b: Mat): Mat {
  if (q.cols === 0) return mat(b.rows, b.cols, b.data);
  return subtract(b, multiply(q, multiply(transpose(q), b)));
}

export function subtract(a: Mat, b: Mat): Mat {
  const c = mat(a.rows, a.cols, a.data);
  for (let i = 0; i < c.data.length; i++) c.data[i] = c.data[i]! - b.data[i]!;
  return c;
}

export function norm(x: ArrayLike<number>): number {
  let q = 0;
  for (let i = 0; i < x.length; i++) q += x[i]! ** 2;
  return Math.sqrt(q);
}
