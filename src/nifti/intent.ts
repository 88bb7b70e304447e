/** NIfTI intent codes researchers meet in statistical maps (nifti1.h). */
const INTENT_NAMES: Readonly<Record<number, string>> = {
  0: 'none',
  2: 'correlation',
  3: 'ttest',
  4: 'ftest',
  5: 'zscore',
  6: 'chisq',
  7: 'beta',
  8: 'binom',
  9: 'gamma',
  10: 'poisson',
  11: 'normal',
  22: 'pval',
  23: 'logpval',
  24: 'log10pval',
  1001: 'estimate',
  1002: 'label',
  1003: 'neuroname',
  1005: 'symmatrix',
  1006: 'dispvect',
  1007: 'vector',
  1008: 'pointset',
  1009: 'triangle',
  1010: 'quaternion',
  1011: 'dimless',
};

export const INTENT_TTEST = 3;
export const INTENT_ZSCORE = 5;

export interface Intent {
  readonly code: number;
  /** The standard name of the code (e.g. 'ttest'), or 'unknown'. */
  readonly kind: string;
  /** The free-text intent_name from the header (often empty). */
  readonly name: string;
  readonly p1: number;
  readonly p2: number;
  readonly p3: number;
}

export function intentKind(code: number): string {
  return INTENT_NAMES[code] ?? 'unknown';
}

/** Degrees of freedom of a t-map (intent_p1), or undefined when the map does not say. */
export function tMapDf(intent: Intent): number | undefined {
  return intent.code === INTENT_TTEST && Number.isFinite(intent.p1) && intent.p1 > 0 ? intent.p1 : undefined;
}
