import type { PatternSums } from '../engine';

/** Float64 sums over {w finite, w != 0} and {x finite, x != 0}: the reference for the GPU reduction. */
export function patternSums(w: Float32Array, x: Float32Array): PatternSums {
  let n = 0;
  let sw = 0;
  let sx = 0;
  let sww = 0;
  let sxx = 0;
  let swx = 0;
  for (let i = 0; i < w.length; i++) {
    const a = w[i]!;
    const b = x[i]!;
    // a - a is 0 only for finite a: one test for "finite and non-zero" on each side.
    if (a === 0 || b === 0 || a - a !== 0 || b - b !== 0) continue;
    n++;
    sw += a;
    sx += b;
    sww += a * a;
    sxx += b * b;
    swx += a * b;
  }
  return { n, sw, sx, sww, sxx, swx };
}
