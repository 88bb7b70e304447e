import type { BatchSummary } from '../../analysis/batch';
import type { SubjectRow } from '../../analysis/batch-stats';
import type { Covariate } from '../../analysis/bids';
import { leastSquares, type ScatterPoint } from '../../report/axes';

/** A scatter plot's box; the UI only draws what `scatterGeometry` places in it. */
export const SCATTER = { width: 360, height: 270, left: 56, right: 16, top: 30, bottom: 42 } as const;

/** A measure's change for a subject: the signature response's, or an ROI mean's (null when missing). */
export function measureChange(s: SubjectRow, measure: string): number | null {
  if (measure === 'signature') return s.change;
  const k = s.pre.rois.findIndex((r) => r.name === measure);
  const [a, b] = [s.post.rois[k]?.mean, s.pre.rois[k]?.mean];
  return k < 0 || a == null || b == null ? null : a - b;
}

/** The subjects that have both the measure's change and the covariate: the points the correlation used. */
export function associationPoints(summary: BatchSummary, covariate: Covariate, measure: string): ScatterPoint[] {
  const out: ScatterPoint[] = [];
  for (const s of summary.subjects) {
    const y = measureChange(s, measure);
    const x = covariate.values.get(s.subject) ?? null;
    if (y !== null && x !== null && Number.isFinite(y)) out.push({ label: s.subject, x, y });
  }
  return out;
}

export interface ScatterGeometry {
  readonly points: readonly { readonly cx: number; readonly cy: number; readonly label: string }[];
  readonly fit: { readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number } | null;
  readonly xTicks: readonly { readonly x: number; readonly label: string }[];
  readonly yTicks: readonly { readonly y: number; readonly label: string }[];
  /** Where y = 0 lies (no change), when it is in view. */
  readonly zeroY: number | null;
}

function span(v: readonly number[]): [number, number] {
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
  return [lo - pad, hi + pad];
}

const TICKS = 5;

/** Points, the fit line across the data's x range, and ticks, in SCATTER's box. */
export function scatterGeometry(points: readonly ScatterPoint[]): ScatterGeometry {
  const [x0, x1] = span(points.map((p) => p.x));
  const [y0, y1] = span(points.map((p) => p.y));
  const px = (x: number): number =>
    SCATTER.left + ((x - x0) / (x1 - x0)) * (SCATTER.width - SCATTER.left - SCATTER.right);
  const py = (y: number): number =>
    SCATTER.top + ((y1 - y) / (y1 - y0)) * (SCATTER.height - SCATTER.top - SCATTER.bottom);
  const line = leastSquares(points);
  const xs = points.map((p) => p.x);
  const [a, b] = [Math.min(...xs), Math.max(...xs)];
  const tick = (lo: number, hi: number, k: number): number => lo + ((hi - lo) * k) / (TICKS - 1);
  return {
    points: points.map((p) => ({ cx: px(p.x), cy: py(p.y), label: p.label })),
    fit: line ? { x1: px(a), y1: py(line.a + line.b * a), x2: px(b), y2: py(line.a + line.b * b) } : null,
    xTicks: Array.from({ length: TICKS }, (_, k) => ({
      x: px(tick(x0, x1, k)),
      label: tick(x0, x1, k).toPrecision(3),
    })),
    yTicks: Array.from({ length: TICKS }, (_, k) => ({
      y: py(tick(y0, y1, k)),
      label: tick(y0, y1, k).toPrecision(3),
    })),
    zeroY: y0 < 0 && y1 > 0 ? py(0) : null,
  };
}
