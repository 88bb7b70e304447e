import type { PatternSums } from '../engine';

/** The usable weights (finite, non-zero) of a weight map, compacted: index and value. */
export interface CompactWeights {
  readonly index: Int32Array;
  readonly value: Float32Array;
}

export function compactWeights(w: Float32Array): CompactWeights {
  let n = 0;
  for (let i = 0; i < w.length; i++) {
    const a = w[i]!;
    if (a !== 0 && a - a === 0) n++;
  }
  const index = new Int32Array(n);
  const value = new Float32Array(n);
  for (let i = 0, k = 0; i < w.length; i++) {
    const a = w[i]!;
    if (a !== 0 && a - a === 0) {
      index[k] = i;
      value[k++] = a;
    }
  }
  return { index, value };
}

/**
 * Float64 sums over {w finite, w != 0} and {x finite, x != 0}: the reference for the GPU reduction.
 * Signature weights are sparse, so the loop visits only the voxels that have a weight.
 */
export function patternSums(w: CompactWeights, x: Float32Array): PatternSums {
  return sums(w.index, w.value, x);
}

// The arrays are parameters, not properties: V8 keeps this loop fast for every weight map, where a
// loop reading w.index and w.value ran 3x slower from the second weight map on.
function sums(index: Int32Array, value: Float32Array, x: Float32Array): PatternSums {
  let n = 0;
  let sw = 0;
  let sx = 0;
  let sww = 0;
  let sxx = 0;
  let swx = 0;
  for (let k = 0; k < index.length; k++) {
    const b = x[index[k]!]!;
    // b - b is 0 only for finite b.
    if (b === 0 || b - b !== 0) continue;
    const a = value[k]!;
    n++;
    sw += a;
    sx += b;
    sww += a * a;
    sxx += b * b;
    swx += a * b;
  }
  return { n, sw, sx, sww, sxx, swx };
}
