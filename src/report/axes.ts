/** What a plot's axes and fit line need, shared by the page's plots (src/app/batch) and the report's (svg.ts). */

/** A point of a scatter plot: a subject's covariate (x) and change (y), named by `label`. */
export interface ScatterPoint {
  readonly label: string;
  readonly x: number;
  readonly y: number;
}

/**
 * Round tick values for [lo, hi]: a step of 1, 2, 2.5 or 5 times a power of ten giving about `count`
 * intervals (Heckbert's "nice numbers"). `extend`: the axis grows to whole steps (an empty range
 * to lo - 1 .. hi + 1), for plots whose frame follows the ticks; `within`: only the ticks inside
 * [lo, hi] (an empty range: lo alone), for plots whose frame is already padded round the data.
 */
export function niceTicks(lo: number, hi: number, count = 5, cover: 'extend' | 'within' = 'extend'): number[] {
  if (!(hi > lo)) {
    if (cover === 'within') return [lo];
    [lo, hi] = [lo - 1, hi + 1];
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const first = cover === 'extend' ? Math.floor(lo / step) : Math.ceil(lo / step);
  const last = cover === 'extend' ? Math.ceil(hi / step) : Math.floor(hi / step + 1e-9);
  // Multiplying the index (not adding steps) keeps 0.1 * 3 from printing as 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (step / mag === 2.5 ? 1 : 0));
  return Array.from({ length: last - first + 1 }, (_, k) => Number(((first + k) * step).toFixed(decimals)));
}

/** Least-squares line y = a + b x (null with fewer than two points or a constant x). */
export function leastSquares(points: readonly ScatterPoint[]): { a: number; b: number } | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  return sxx > 0 ? { a: my - (sxy / sxx) * mx, b: sxy / sxx } : null;
}
