import { P_REPORT_FLOOR } from '../analysis/constants';

/** Text into HTML (element content and quoted attributes alike): a name like markup stays text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** A number for a table: `digits` significant figures, exponent form for tiny p, '–' for none. */
export function fmtNumber(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (Number.isInteger(v)) return String(v);
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(digits)));
}

/**
 * A p-value as a paper would print it: exponent below 0.001, never "0", and nothing finer than the
 * report floor (P_REPORT_FLOOR). The page, its CSV and the HTML report all print p through this.
 */
export function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return '–';
  if (p < P_REPORT_FLOOR) return `< ${P_REPORT_FLOOR.toExponential(0)}`;
  return p < 1e-3 ? p.toExponential(2) : p.toFixed(4);
}

/** Bytes as people read them (1 KiB = 1024 bytes). */
export function fmtBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]}`;
}
