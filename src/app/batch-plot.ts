import type { BatchSummary } from '../analysis/batch';
import { CI_LEVEL } from '../analysis/paired';
import { thresholdForP } from '../analysis/pvalue';

/** Geometry of the pre-to-post plot in a 0..WIDTH x 0..HEIGHT box; the UI only draws it. */
export const PLOT = { width: 420, height: 300, left: 60, right: 140, top: 20, bottom: 40 } as const;

export interface PlotGeometry {
  readonly lines: { x1: number; y1: number; x2: number; y2: number; group: number; subject: string }[];
  readonly means: { x: number; y: number; lo: number; hi: number; group: number; label: string }[];
  readonly ticks: { y: number; label: string }[];
  readonly xPre: number;
  readonly xPost: number;
  readonly groups: string[];
}

export function plotGeometry(s: BatchSummary): PlotGeometry {
  const groups = [...new Set(s.subjects.map((r) => r.group ?? 'all'))].sort();
  const values = s.subjects.flatMap((r) => [r.pre.value!, r.post.value!]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.08 || 1;
  const [y0, y1] = [lo - pad, hi + pad];
  const y = (v: number): number => PLOT.top + ((y1 - v) / (y1 - y0)) * (PLOT.height - PLOT.top - PLOT.bottom);
  const xPre = PLOT.left + 40;
  const xPost = PLOT.width - PLOT.right - 20;
  const lines = s.subjects.map((r) => ({ x1: xPre, y1: y(r.pre.value!), x2: xPost, y2: y(r.post.value!), group: groups.indexOf(r.group ?? 'all'), subject: r.subject }));
  const means = groups.flatMap((g, gi) => {
    const rows = s.subjects.filter((r) => (r.group ?? 'all') === g);
    return (['pre', 'post'] as const).map((ses, k) => {
      const v = rows.map((r) => r[ses].value!);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length - 1));
      const half = v.length > 1 ? thresholdForP(1 - CI_LEVEL, true, v.length - 1) * (sd / Math.sqrt(v.length)) : 0;
      const shift = (gi - (groups.length - 1) / 2) * 10;
      return { x: (k === 0 ? xPre - 18 : xPost + 18) + shift, y: y(m), lo: y(m - half), hi: y(m + half), group: gi, label: `${g} ${s.pair[k]} mean ${m.toPrecision(4)}` };
    });
  });
  const ticks = Array.from({ length: 5 }, (_, k) => {
    const v = y0 + ((y1 - y0) * k) / 4;
    return { y: y(v), label: v.toPrecision(3) };
  });
  return { lines, means, ticks, xPre, xPost, groups };
}
