/**
 * What the Group panel draws of a general linear model (as FSL's Glm GUI shows a design): the matrix
 * as a greyscale image (rows = analysed maps, columns = regressors) with its t-contrasts' weights
 * below and the F-tests that stack them. The UI only places what this computes.
 */

/** The parts of a model (src/analysis/glm/model.ts's GlmModel) the picture needs. */
export interface DesignModelLike {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly number[])[];
  readonly contrasts: readonly { readonly name: string; readonly weights: readonly number[] }[];
  readonly fTests: readonly { readonly name: string; readonly contrasts: readonly number[] }[];
}

export interface DesignContrastView {
  readonly name: string;
  /** Each weight as text (FSL's Glm GUI shows them as typed: 1, -1, 0.5). */
  readonly weights: readonly string[];
  /** Whether each F-test stacks this contrast. */
  readonly inF: readonly boolean[];
}

export interface DesignView {
  readonly columns: readonly string[];
  /** One label per row: the subject (or map) it models. */
  readonly rowLabels: readonly string[];
  /**
   * grey[i][j] in [0, 1]: each column scaled from its minimum (black) to its maximum (white), as FSL
   * draws a design; a constant column is white (black when it is all zeros).
   */
  readonly grey: readonly (readonly number[])[];
  /** Each cell's value as text (the picture's tooltips). */
  readonly values: readonly (readonly string[])[];
  readonly contrasts: readonly DesignContrastView[];
  readonly fTests: readonly string[];
}

/** Digits a design value shows: demeaned covariates are fractions; FSL's files keep about 7. */
const VALUE_DIGITS = 4;

export function formatWeight(w: number): string {
  return Number.isInteger(w) ? String(w) : String(Number(w.toPrecision(VALUE_DIGITS)));
}

export function designView(model: DesignModelLike, rowLabels: readonly string[]): DesignView {
  const p = model.columns.length;
  const range = Array.from({ length: p }, (_, j) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of model.rows) {
      const v = r[j]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return { lo, hi };
  });
  const grey = model.rows.map((r) =>
    r.map((v, j) => {
      const { lo, hi } = range[j]!;
      return hi > lo ? (v - lo) / (hi - lo) : v === 0 ? 0 : 1;
    }),
  );
  return {
    columns: [...model.columns],
    rowLabels: model.rows.map((_, i) => rowLabels[i] ?? String(i + 1)),
    grey,
    values: model.rows.map((r) => r.map(formatWeight)),
    contrasts: model.contrasts.map((c, k) => ({
      name: c.name,
      weights: c.weights.map(formatWeight),
      inF: model.fTests.map((f) => f.contrasts.includes(k)),
    })),
    fTests: model.fTests.map((f) => f.name),
  };
}
