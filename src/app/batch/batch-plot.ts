import type { BatchSummary } from '../../analysis/batch';
import { CI_LEVEL } from '../../analysis/paired';
import { thresholdForP } from '../../analysis/pvalue';
import { niceTicks } from '../../report/axes';

/**
 * The pre-to-post plot, drawn the same in the page and in its SVG export: dark text on a white
 * background (the export lands in papers and slides), so every text passes WCAG AA (>= 4.5:1).
 */
export const PLOT = {
  width: 480,
  left: 64,
  right: 24,
  top: 16,
  plotHeight: 220,
  axis: 44,
  legendLine: 18,
  legendPad: 8,
} as const;

/** Text and axis colours on the white background: contrast 14.7:1 and 7.0:1. */
export const PLOT_INK = { background: '#ffffff', text: '#24292f', muted: '#57606a', grid: '#d0d7de' } as const;
/** Group colours for lines and points, each at least 3:1 on white (WCAG's figure for graphics). */
export const GROUP_COLOURS = ['#c2410c', '#1d4ed8', '#15803d', '#7e22ce'] as const;

export interface PlotGeometry {
  readonly width: number;
  readonly height: number;
  readonly lines: { x1: number; y1: number; x2: number; y2: number; group: number; subject: string }[];
  readonly means: { x: number; y: number; lo: number; hi: number; group: number; label: string }[];
  readonly ticks: { y: number; label: string }[];
  readonly xPre: number;
  readonly xPost: number;
  readonly plotBottom: number;
  readonly groups: string[];
}

export function plotGeometry(s: BatchSummary): PlotGeometry {
  const groups = [...new Set(s.subjects.map((r) => r.group ?? 'all'))].sort();
  const values = s.subjects.flatMap((r) => [r.pre.value!, r.post.value!]);
  const tickValues = niceTicks(Math.min(...values), Math.max(...values));
  const y0 = tickValues[0]!;
  const y1 = tickValues[tickValues.length - 1]!;
  const plotBottom = PLOT.top + PLOT.plotHeight;
  const y = (v: number): number => PLOT.top + ((y1 - v) / (y1 - y0)) * PLOT.plotHeight;
  const xPre = PLOT.left + 70;
  const xPost = PLOT.width - PLOT.right - 70;
  const lines = s.subjects.map((r) => ({
    x1: xPre,
    y1: y(r.pre.value!),
    x2: xPost,
    y2: y(r.post.value!),
    group: groups.indexOf(r.group ?? 'all'),
    subject: r.subject,
  }));
  const means = groups.flatMap((g, gi) => {
    const rows = s.subjects.filter((r) => (r.group ?? 'all') === g);
    return (['pre', 'post'] as const).map((ses, k) => {
      const v = rows.map((r) => r[ses].value!);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length - 1));
      const half = v.length > 1 ? thresholdForP(1 - CI_LEVEL, true, v.length - 1) * (sd / Math.sqrt(v.length)) : 0;
      const shift = (gi - (groups.length - 1) / 2) * 10;
      return {
        x: (k === 0 ? xPre - 24 : xPost + 24) + shift,
        y: y(m),
        lo: y(m - half),
        hi: y(m + half),
        group: gi,
        label: `${g} ${s.pair[k]} mean ${m.toPrecision(4)}`,
      };
    });
  });
  const ticks = tickValues.map((v) => ({ y: y(v), label: String(v) }));
  const height = plotBottom + PLOT.axis + PLOT.legendPad + groups.length * PLOT.legendLine;
  return { width: PLOT.width, height, lines, means, ticks, xPre, xPost, plotBottom, groups };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Subject and group names come from file names and a participants.tsv: text, never markup. */
const esc = (v: string | number): string => String(v).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const n = (v: number): string => String(Math.round(v * 10) / 10);
const CI_PERCENT = Math.round(CI_LEVEL * 100);

/**
 * The plot as a standalone SVG document (what the page shows and what Export saves): a white
 * background, y-axis title, round ticks, the sessions under their columns, and a legend below
 * the plot, one line per group, so no label is clipped however long.
 */
export function plotSvg(s: BatchSummary, yTitle: string): string {
  const g = plotGeometry(s);
  const ink = PLOT_INK;
  const font = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';
  const right = PLOT.width - PLOT.right;
  const midY = PLOT.top + PLOT.plotHeight / 2;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${n(g.height)}" viewBox="0 0 ${g.width} ${n(g.height)}" id="batch-plot" role="img" aria-label="${esc(yTitle)} per subject, before and after" ${font}>`,
    `<title>${esc(yTitle)} per subject, ${esc(s.pair[0])} and ${esc(s.pair[1])}</title>`,
    `<rect x="0" y="0" width="${g.width}" height="${n(g.height)}" fill="${ink.background}"/>`,
    ...g.ticks.map(
      (t) =>
        `<line x1="${PLOT.left}" x2="${right}" y1="${n(t.y)}" y2="${n(t.y)}" stroke="${ink.grid}"/>` +
        `<text x="${PLOT.left - 6}" y="${n(t.y + 4)}" fill="${ink.muted}" font-size="11" text-anchor="end">${esc(t.label)}</text>`,
    ),
    `<line x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${g.plotBottom}" stroke="${ink.muted}"/>`,
    `<text transform="translate(16 ${n(midY)}) rotate(-90)" fill="${ink.text}" font-size="12" text-anchor="middle">${esc(yTitle)}</text>`,
    ...g.lines.map(
      (l) =>
        `<line x1="${n(l.x1)}" y1="${n(l.y1)}" x2="${n(l.x2)}" y2="${n(l.y2)}" stroke="${GROUP_COLOURS[l.group % 4]}" stroke-opacity="0.6"><title>${esc(l.subject)}</title></line>`,
    ),
    ...g.means.map(
      (m) =>
        `<line x1="${n(m.x)}" x2="${n(m.x)}" y1="${n(m.lo)}" y2="${n(m.hi)}" stroke="${GROUP_COLOURS[m.group % 4]}" stroke-width="2"/>` +
        `<circle cx="${n(m.x)}" cy="${n(m.y)}" r="4" fill="${GROUP_COLOURS[m.group % 4]}"><title>${esc(m.label)}</title></circle>`,
    ),
    `<text x="${n(g.xPre)}" y="${g.plotBottom + 18}" fill="${ink.text}" font-size="12" text-anchor="middle">${esc(s.pair[0])}</text>`,
    `<text x="${n(g.xPost)}" y="${g.plotBottom + 18}" fill="${ink.text}" font-size="12" text-anchor="middle">${esc(s.pair[1])}</text>`,
    `<text x="${n((g.xPre + g.xPost) / 2)}" y="${g.plotBottom + 36}" fill="${ink.text}" font-size="12" text-anchor="middle">session</text>`,
    ...g.groups.map((name, k) => {
      const y = g.plotBottom + PLOT.axis + PLOT.legendPad + k * PLOT.legendLine + 10;
      const c = GROUP_COLOURS[k % 4];
      return (
        `<line x1="${PLOT.left}" x2="${PLOT.left + 18}" y1="${y - 4}" y2="${y - 4}" stroke="${c}" stroke-width="2"/><circle cx="${PLOT.left + 9}" cy="${y - 4}" r="3.5" fill="${c}"/>` +
        `<text class="legend" x="${PLOT.left + 26}" y="${y}" fill="${ink.text}" font-size="12">${esc(name)}: subjects, and mean ± ${CI_PERCENT}% CI</text>`
      );
    }),
    '</svg>',
  ];
  return parts.join('');
}
