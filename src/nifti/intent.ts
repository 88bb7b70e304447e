/**
 * NIfTI intent codes researchers meet in statistical maps (nifti1.h). The t- and F-test kinds are
 * named as the statistic ('t', 'f'), which is how `siglens info` and the page report them.
 */
const INTENT_NAMES: Readonly<Record<number, string>> = {
  0: 'none',
  2: 'correlation',
  3: 't',
  4: 'f',
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

export const INTENT_NONE = 0;
export const INTENT_TTEST = 3;
export const INTENT_FTEST = 4;
export const INTENT_ZSCORE = 5;
export const INTENT_ESTIMATE = 1001;

/**
 * Where a map's intent was read: the header's intent_code, SPM's `descrip` (SPM writes no intent), or
 * AFNI's header extension (one statistic per frame).
 */
export type IntentSource = 'header' | 'descrip' | 'afni';

export interface Intent {
  readonly code: number;
  /** The statistic's name ('t', 'f', 'zscore', ...; see INTENT_NAMES), or 'unknown'. */
  readonly kind: string;
  /** The free-text intent_name from the header (often empty). */
  readonly name: string;
  /** t: df; F: numerator df (p2 the denominator's), as NIfTI stores them. */
  readonly p1: number;
  readonly p2: number;
  readonly p3: number;
  /** Where the statistic was read (absent: the header). */
  readonly source?: IntentSource;
}

export function intentKind(code: number): string {
  return INTENT_NAMES[code] ?? 'unknown';
}

/** SPM's statistic in `descrip`: `SPM{T_[262.0]}` and `SPM{F_[1.0,262.0]}` (spm_write_vol via spm_contrasts). */
const SPM_DESCRIP = /SPM\{([TF])_\[\s*([0-9.eE+-]+)\s*(?:,\s*([0-9.eE+-]+)\s*)?\]\}/;

/**
 * The intent of a header: its intent_code, or, when that says nothing (none, or a t/F code without
 * df), the statistic and df SPM wrote in `descrip`.
 */
export function readIntent(raw: Omit<Intent, 'kind' | 'source'>, descrip: string): Intent {
  const header: Intent = { ...raw, kind: intentKind(raw.code), source: 'header' };
  const m = SPM_DESCRIP.exec(descrip);
  if (!m) return header;
  const code = m[1] === 'T' ? INTENT_TTEST : INTENT_FTEST;
  const df = [Number(m[2]), m[3] === undefined ? 0 : Number(m[3])];
  const valid = code === INTENT_TTEST ? m[3] === undefined && df[0]! > 0 : df[0]! > 0 && df[1]! > 0;
  if (!valid || !df.every(Number.isFinite)) return header;
  const headerSays = raw.code === code && raw.p1 > 0;
  if (headerSays || (raw.code !== INTENT_NONE && raw.code !== code)) return header;
  return { ...raw, code, kind: intentKind(code), p1: df[0]!, p2: df[1]!, source: 'descrip' };
}

/** Degrees of freedom of a t-map (intent_p1), or undefined when the map does not say. */
export function tMapDf(intent: Intent): number | undefined {
  return intent.code === INTENT_TTEST && Number.isFinite(intent.p1) && intent.p1 > 0 ? intent.p1 : undefined;
}
