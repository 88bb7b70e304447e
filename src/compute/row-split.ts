import type { GlmBatch } from './glm';
import type { PermutationBatch, PermutationMaxima } from './permutation';

/**
 * Splitting a batch of permutations into contiguous shares, one per thread or worker, and joining
 * their maxima back in the batch's order. Each row's maxima depend on that row alone (the CPU twin's
 * sums are exact in float64, whichever row they start from), so any split gives the same numbers.
 */

/** Share bounds: share i is rows bounds[i] .. bounds[i + 1] - 1; at most `parts` shares of at least `minRows` rows (one share when the batch is smaller). */
export function shareBounds(count: number, parts: number, minRows: number): number[] {
  const k = Math.max(1, Math.min(parts, Math.floor(count / Math.max(1, minRows))));
  return Array.from({ length: k + 1 }, (_, i) => Math.round((i * count) / k));
}

/** The rows of a row-major code array (`width` codes a row) that share i holds. */
export function shareCodes(codes: Float32Array, width: number, bounds: readonly number[], i: number): Float32Array {
  return codes.slice(bounds[i]! * width, bounds[i + 1]! * width);
}

/** Share i of a batch: its codes and mirror flags. */
export function shareBatch(
  batch: PermutationBatch,
  width: number,
  bounds: readonly number[],
  i: number,
): PermutationBatch {
  const codes = shareCodes(batch.codes, width, bounds, i);
  const count = bounds[i + 1]! - bounds[i]!;
  return batch.mirrors
    ? { kind: batch.kind, count, codes, mirrors: batch.mirrors.slice(bounds[i]!, bounds[i + 1]!) }
    : { kind: batch.kind, count, codes };
}

/** The shares' maxima, concatenated in order (their mirrors' too, when every share gave them). */
export function joinMaxima(
  parts: readonly PermutationMaxima[],
  bounds: readonly number[],
  tfce: boolean,
): PermutationMaxima {
  const joined = joinOnly(parts, bounds, tfce);
  if (!parts.some((m) => m.mirror)) return joined;
  const empty = (i: number): PermutationMaxima => {
    const n = bounds[i + 1]! - bounds[i]!;
    return {
      maxT: new Float64Array(n),
      maxExtent: new Float64Array(n),
      maxMass: new Float64Array(n),
      maxTfce: tfce ? new Float64Array(n) : null,
    };
  };
  return {
    ...joined,
    mirror: joinOnly(
      parts.map((m, i) => m.mirror ?? empty(i)),
      bounds,
      tfce,
    ),
  };
}

function joinOnly(parts: readonly PermutationMaxima[], bounds: readonly number[], tfce: boolean): PermutationMaxima {
  const count = bounds[bounds.length - 1]!;
  const join = (pick: (m: PermutationMaxima) => Float64Array | null): Float64Array => {
    const out = new Float64Array(count);
    parts.forEach((m, i) => {
      const values = pick(m);
      if (!values || values.length !== bounds[i + 1]! - bounds[i]!)
        throw new RangeError(
          `share ${i} returned ${values?.length ?? 'no'} maxima for ${bounds[i + 1]! - bounds[i]!} rows`,
        );
      out.set(values, bounds[i]!);
    });
    return out;
  };
  return {
    maxT: join((m) => m.maxT),
    maxExtent: join((m) => m.maxExtent),
    maxMass: join((m) => m.maxMass),
    maxTfce: tfce ? join((m) => m.maxTfce) : null,
  };
}

/** Rows from .. to - 1 of a batch, as views of its codes and mirror flags (`width` codes a row). */
export function batchRows(batch: PermutationBatch, width: number, from: number, to: number): PermutationBatch {
  const codes = batch.codes.subarray(from * width, to * width);
  const count = to - from;
  return batch.mirrors
    ? { kind: batch.kind, count, codes, mirrors: batch.mirrors.subarray(from, to) }
    : { kind: batch.kind, count, codes };
}

/** Permutations from .. to - 1 of a GLM batch, as a view of its codes (`rank * rows` codes a permutation). */
export function glmBatchRows(batch: GlmBatch, rows: number, from: number, to: number): GlmBatch {
  const width = batch.rank * rows;
  return { ...batch, count: to - from, codes: batch.codes.subarray(from * width, to * width) };
}
