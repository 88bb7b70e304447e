import { GroupError } from '../group/design';
import { fromRows, mat, multiply, nullSpace, pinv, rank, type Mat } from './linalg';

/**
 * A second-level general linear model as FSL randomise runs it (../shared/SPEC.md "The general linear
 * model"): the design M (one row per analysed map, named columns), t-contrasts, F-tests over them, and
 * exchangeability blocks. DOM-free: `siglens group` and the page's Group panel both build one.
 */
export interface TContrast {
  readonly name: string;
  /** One weight per design column. */
  readonly weights: readonly number[];
}

export interface FTest {
  readonly name: string;
  /** 0-based indices into the model's contrasts. */
  readonly contrasts: readonly number[];
}

export interface GlmModel {
  readonly columns: readonly string[];
  /** n rows of columns.length numbers. */
  readonly rows: readonly (readonly number[])[];
  readonly contrasts: readonly TContrast[];
  readonly fTests: readonly FTest[];
  /** Exchangeability block of each row (randomise's design.grp), or null for one block. */
  readonly blocks: readonly number[] | null;
}

/** A contrast (t) or an F-test, as the analysis runs it: C (s x p). */
export interface Test {
  readonly kind: 't' | 'F';
  /** 1-based, per kind (randomise's tstat1, fstat1 ...). */
  readonly index: number;
  readonly name: string;
  readonly c: Mat;
  /** F: the 0-based contrasts it stacks. */
  readonly contrasts?: readonly number[];
}

export function designMatrix(model: GlmModel): Mat {
  return fromRows(model.rows, model.columns.length);
}

/**
 * Refuses what randomise cannot fit, naming the fault (GroupError 'DESIGN', exit 2 in the command):
 * rows that are not the maps' count, a contrast of the wrong length, a rank-deficient design, a zero
 * or inestimable contrast, an F-test naming no contrast (or dependent ones), blocks of another length.
 */
export function checkModel(model: GlmModel, maps: number): void {
  const p = model.columns.length;
  const n = model.rows.length;
  if (n !== maps)
    throw new GroupError(
      'DESIGN',
      `the design has ${n} rows but there are ${maps} ${maps === 1 ? 'map' : 'maps'} to analyse (one row per map, or per subject's change when paired)`,
    );
  model.rows.forEach((r, i) => {
    if (r.length !== p)
      throw new GroupError('DESIGN', `design row ${i + 1} has ${r.length} values, not the ${p} columns`);
    if (!r.every(Number.isFinite))
      throw new GroupError('DESIGN', `design row ${i + 1} holds a value that is not a finite number`);
  });
  if (model.contrasts.length === 0) throw new GroupError('DESIGN', 'the model has no contrast');
  model.contrasts.forEach((c, k) => {
    if (c.weights.length !== p)
      throw new GroupError(
        'DESIGN',
        `contrast ${k + 1} (${c.name}) has ${c.weights.length} weights but the design has ${p} columns`,
      );
    if (!c.weights.some((w) => w !== 0)) throw new GroupError('DESIGN', `contrast ${k + 1} (${c.name}) is all zeros`);
  });
  const m = designMatrix(model);
  const r = rank(m);
  if (r < p) {
    // Say which contrasts the dependency leaves without an estimate, so the fix is plain.
    const row = rowSpaceResidual(m);
    const lost = model.contrasts.flatMap((c, k) => (estimable(row, c.weights) ? [] : [`${k + 1} (${c.name})`]));
    const which = lost.length
      ? `; contrast ${lost.join(', ')} ${lost.length > 1 ? 'are' : 'is'} not estimable in it`
      : '';
    throw new GroupError(
      'DESIGN',
      `the design is rank-deficient (rank ${r} of ${p} columns): ${dependentColumns(m, model.columns)}${which}`,
    );
  }
  if (n - r < 1) throw new GroupError('DESIGN', `the design's ${p} columns leave no degrees of freedom with ${n} rows`);
  model.fTests.forEach((f, k) => {
    if (f.contrasts.length === 0) throw new GroupError('DESIGN', `F-test ${k + 1} (${f.name}) names no contrast`);
    for (const i of f.contrasts)
      if (!(i >= 0 && i < model.contrasts.length))
        throw new GroupError(
          'DESIGN',
          `F-test ${k + 1} names contrast ${i + 1}, but there are ${model.contrasts.length}`,
        );
    const c = fromRows(
      f.contrasts.map((i) => model.contrasts[i]!.weights),
      p,
    );
    if (rank(c) < f.contrasts.length)
      throw new GroupError(
        'DESIGN',
        `F-test ${k + 1} (${f.name}) stacks contrasts that are not independent (${f.contrasts.map((i) => i + 1).join(', ')})`,
      );
  });
  if (model.blocks && model.blocks.length !== n)
    throw new GroupError('DESIGN', `the block file has ${model.blocks.length} rows but the design has ${n}`);
}

/** The columns taking part in the design's dependency, from the null vector of its smallest singular value. */
function dependentColumns(m: Mat, names: readonly string[]): string {
  const ns = nullSpace(m);
  if (ns.cols === 0) return 'its columns are nearly collinear';
  const v = Array.from({ length: m.cols }, (_, j) => ns.data[j * ns.cols]!);
  const top = Math.max(...v.map(Math.abs));
  const involved = names.filter((_, j) => Math.abs(v[j]!) > 1e-6 * top);
  return `columns ${involved.join(', ')} are linearly dependent`;
}

/** I - pinv(M) M: a contrast c is estimable when c (I - pinv(M) M) is 0. */
function rowSpaceResidual(m: Mat): Mat {
  const proj = multiply(pinv(m), m);
  const p = m.cols;
  const r = mat(p, p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) r.data[i * p + j] = (i === j ? 1 : 0) - proj.data[i * p + j]!;
  return r;
}

function estimable(residual: Mat, c: readonly number[]): boolean {
  const p = c.length;
  let off = 0;
  let size = 0;
  for (let j = 0; j < p; j++) {
    let x = 0;
    for (let i = 0; i < p; i++) x += c[i]! * residual.data[i * p + j]!;
    off = Math.max(off, Math.abs(x));
    size = Math.max(size, Math.abs(c[j]!));
  }
  return off <= 1e-6 * size;
}

/** The model's t-contrasts then its F-tests, as the analysis runs them. */
export function modelTests(model: GlmModel): Test[] {
  const p = model.columns.length;
  const t: Test[] = model.contrasts.map((c, k) => ({
    kind: 't',
    index: k + 1,
    name: c.name,
    c: fromRows([c.weights], p),
  }));
  const f: Test[] = model.fTests.map((ft, k) => ({
    kind: 'F',
    index: k + 1,
    name: ft.name,
    c: fromRows(
      ft.contrasts.map((i) => model.contrasts[i]!.weights),
      p,
    ),
    contrasts: ft.contrasts,
  }));
  return [...t, ...f];
}

/** Subtracts each column's mean (randomise -D; the participants builder's covariates). */
export function demeanColumns(rows: readonly (readonly number[])[]): number[][] {
  const n = rows.length;
  const p = rows[0]?.length ?? 0;
  const mean = new Float64Array(p);
  for (const r of rows) r.forEach((x, j) => (mean[j] = mean[j]! + x / n));
  return rows.map((r) => r.map((x, j) => x - mean[j]!));
}
