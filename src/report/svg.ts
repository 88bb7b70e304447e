import { leastSquares, niceTicks, type ScatterPoint } from './axes';
import { escapeHtml, fmtNumber } from './escape';

/** Size of a report figure in CSS pixels, and its margins (room for tick labels and titles). */
const FIG = { width: 520, height: 360, left: 64, right: 20, top: 28, bottom: 52 };

/** [lo, hi] padded by 5% each side (one value: +-1), so no point sits on the frame. */
function span(values: readonly number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi > lo ? (hi - lo) * 0.05 : 1;
  return [lo - pad, hi + pad];
}

function axes(
  title: string,
  xTitle: string,
  yTitle: string,
  xs: [number, number],
  ys: [number, number],
  xTicks = true,
): { body: string; sx: (v: number) => number; sy: (v: number) => number } {
  const { width, height, left, right, top, bottom } = FIG;
  const sx = (v: number): number => left + ((v - xs[0]) / (xs[1] - xs[0])) * (width - left - right);
  const sy = (v: number): number => height - bottom - ((v - ys[0]) / (ys[1] - ys[0])) * (height - top - bottom);
  const xt = (xTicks ? niceTicks(xs[0], xs[1], 5, 'within') : []).map(
    (v) =>
      `<line x1="${sx(v)}" x2="${sx(v)}" y1="${height - bottom}" y2="${height - bottom + 4}" stroke="#444"/><text x="${sx(v)}" y="${height - bottom + 16}" text-anchor="middle">${fmtNumber(v)}</text>`,
  );
  const yt = niceTicks(ys[0], ys[1], 5, 'within').map(
    (v) =>
      `<line x1="${left - 4}" x2="${width - right}" y1="${sy(v)}" y2="${sy(v)}" stroke="#ddd"/><text x="${left - 6}" y="${sy(v) + 4}" text-anchor="end">${fmtNumber(v)}</text>`,
  );
  const body = [
    `<rect x="${left}" y="${top}" width="${width - left - right}" height="${height - top - bottom}" fill="none" stroke="#444"/>`,
    ...yt,
    ...xt,
    `<text x="${width / 2}" y="16" text-anchor="middle" font-weight="bold">${escapeHtml(title)}</text>`,
    `<text x="${(left + width - right) / 2}" y="${height - 12}" text-anchor="middle">${escapeHtml(xTitle)}</text>`,
    `<text transform="translate(16 ${(top + height - bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(yTitle)}</text>`,
  ].join('');
  return { body, sx, sy };
}

function svgFrame(label: string, body: string): string {
  return `<svg class="figure" width="${FIG.width}" height="${FIG.height}" viewBox="0 0 ${FIG.width} ${FIG.height}" role="img" aria-label="${escapeHtml(label)}" font-family="sans-serif" font-size="11">${body}</svg>`;
}

/** A scatter plot with its least-squares line and each point labelled (e.g. change vs covariate, subjects). */
export function scatterSvg(title: string, xTitle: string, yTitle: string, points: readonly ScatterPoint[]): string {
  if (!points.length)
    return svgFrame(title, `<text x="${FIG.width / 2}" y="${FIG.height / 2}" text-anchor="middle">no points</text>`);
  const xs = span(points.map((p) => p.x));
  const ys = span(points.map((p) => p.y));
  const { body, sx, sy } = axes(title, xTitle, yTitle, xs, ys);
  const fit = leastSquares(points);
  const line = fit
    ? `<line class="fit" x1="${sx(xs[0])}" y1="${sy(fit.a + fit.b * xs[0])}" x2="${sx(xs[1])}" y2="${sy(fit.a + fit.b * xs[1])}" stroke="#c0392b" stroke-width="1.5"/>`
    : '';
  const dots = points.map(
    (p) =>
      `<g class="point"><circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="4" fill="#2c7fb8"><title>${escapeHtml(`${p.label}: ${fmtNumber(p.x)}, ${fmtNumber(p.y)}`)}</title></circle><text x="${sx(p.x) + 6}" y="${sy(p.y) - 5}" font-size="9">${escapeHtml(p.label)}</text></g>`,
  );
  return svgFrame(title, `${body}${line}${dots.join('')}`);
}

export interface GroupSeries {
  readonly name: string;
  /** Mean and 95% CI at the two sessions. */
  readonly pre: { readonly mean: number; readonly lo: number; readonly hi: number };
  readonly post: { readonly mean: number; readonly lo: number; readonly hi: number };
}

const COLOURS = ['#e66101', '#5e3c99', '#1b7837', '#2166ac', '#b2182b'];

/** Each group's mean pre -> post with its 95% CI (Wielgosz et al. 2022's figure). */
export function groupPlotSvg(
  title: string,
  sessions: readonly [string, string],
  yTitle: string,
  series: readonly GroupSeries[],
): string {
  if (!series.length) return svgFrame(title, '');
  const ys = span(series.flatMap((s) => [s.pre.lo, s.pre.hi, s.post.lo, s.post.hi]));
  const { body, sx, sy } = axes(title, 'session', yTitle, [-0.5, 1.5], ys, false);
  const marks = series.map((s, k) => {
    const c = COLOURS[k % COLOURS.length]!;
    const dx = (k - (series.length - 1) / 2) * 0.04;
    const at = (x: number, m: GroupSeries['pre']): string =>
      `<line x1="${sx(x + dx)}" x2="${sx(x + dx)}" y1="${sy(m.lo)}" y2="${sy(m.hi)}" stroke="${c}" stroke-width="2"/><circle cx="${sx(x + dx)}" cy="${sy(m.mean)}" r="4" fill="${c}"/>`;
    return `<g class="group">${at(0, s.pre)}${at(1, s.post)}<line x1="${sx(dx)}" y1="${sy(s.pre.mean)}" x2="${sx(1 + dx)}" y2="${sy(s.post.mean)}" stroke="${c}"/><text x="${FIG.width - FIG.right - 4}" y="${FIG.top + 14 * (k + 1)}" text-anchor="end" fill="${c}">${escapeHtml(s.name)}</text></g>`;
  });
  const labels = sessions.map(
    (name, i) =>
      `<text x="${sx(i)}" y="${FIG.height - FIG.bottom + 30}" text-anchor="middle" font-weight="bold">${escapeHtml(name)}</text>`,
  );
  return svgFrame(title, body + labels.join('') + marks.join(''));
}
