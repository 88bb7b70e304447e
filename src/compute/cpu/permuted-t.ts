import type { GroupStack, PermutationBatch } from '../permutation';

/**
 * A permutation's coded sum at a voxel, sum_i c_i x_i (sign flips: c = +-1; relabellings: c = 1 for
 * group A, so the sum is group A's), is all it takes besides the fixed sum and sum of squares.
 * Consecutive permutations that differ in a few codes (exhaustive enumerations are generated so)
 * update the float64 sums by those subjects alone; a fresh sum every FRESH_EVERY updates bounds drift.
 */
const FRESH_EVERY = 256;

/**
 * A sum of squares at or below this share of sum x^2 is a zero variance (rounding, not data): its t
 * is 0. It stands for |t| beyond about 3e5 sqrt(n), which no map holds.
 */
const ZERO_VARIANCE = 1e-10;

/** Fixed per-voxel sums of a stack, kept while the stack lives. */
interface StackSums {
  readonly sum: Float64Array;
  readonly squares: Float64Array;
}

const sums = new WeakMap<GroupStack, StackSums>();

function stackSums(stack: GroupStack): StackSums {
  let s = sums.get(stack);
  if (s) return s;
  const { subjects: n, voxels: m, values } = stack;
  if (values.length !== n * m) throw new RangeError(`a stack of ${n} x ${m} values holds ${values.length}`);
  const sum = new Float64Array(m);
  const squares = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const row = values.subarray(i * m, (i + 1) * m);
    for (let v = 0; v < m; v++) {
      const x = row[v]!;
      sum[v] += x;
      squares[v] += x * x;
    }
  }
  s = { sum, squares };
  sums.set(stack, s);
  return s;
}

/** Computes one permutation's t-map after another into a reused float32 map. */
export class PermutedT {
  readonly t: Float32Array;
  private readonly acc: Float64Array;
  private readonly codes: Float64Array;
  private fresh = false;
  private sinceFresh = 0;
  private readonly groupA: number;

  constructor(
    private readonly stack: GroupStack,
    private readonly batch: PermutationBatch,
  ) {
    const n = stack.subjects;
    if (batch.codes.length !== batch.count * n) throw new RangeError(`${batch.count} permutations of ${n} subjects need ${batch.count * n} codes, not ${batch.codes.length}`);
    this.t = new Float32Array(stack.voxels);
    this.acc = new Float64Array(stack.voxels);
    this.codes = new Float64Array(n);
    let a = 0;
    for (let i = 0; i < n; i++) a += batch.codes[i]!;
    this.groupA = a;
    if (batch.kind === 'relabel' && !(a >= 1 && a <= n - 1)) throw new RangeError('a relabelling needs at least one subject in each group');
  }

  /** t of permutation p of the batch into `this.t`. */
  compute(p: number): Float32Array {
    this.updateSums(p);
    const { sum, squares } = stackSums(this.stack);
    const n = this.stack.subjects;
    const acc = this.acc;
    const t = this.t;
    const m = t.length;
    if (this.batch.kind === 'sign-flip') {
      const k = (n - 1) / n;
      for (let v = 0; v < m; v++) {
        const s = acc[v]!;
        const q = squares[v]!;
        const ss = q - (s * s) / n;
        t[v] = ss > ZERO_VARIANCE * q ? s * Math.sqrt(k / ss) : 0;
      }
    } else {
      const na = this.groupA;
      const nb = n - na;
      const scale = 1 / na + 1 / nb;
      const df = n - 2;
      for (let v = 0; v < m; v++) {
        const sa = acc[v]!;
        const sb = sum[v]! - sa;
        const q = squares[v]!;
        const ss = q - (sa * sa) / na - (sb * sb) / nb;
        t[v] = ss > ZERO_VARIANCE * q ? (sa / na - sb / nb) / Math.sqrt((ss / df) * scale) : 0;
      }
    }
    return t;
  }

  private updateSums(p: number): void {
    const n = this.stack.subjects;
    const m = this.stack.voxels;
    const values = this.stack.values;
    const row = this.batch.codes.subarray(p * n, (p + 1) * n);
    let groupA = 0;
    for (let i = 0; i < n; i++) groupA += row[i]!;
    if (this.batch.kind === 'relabel' && groupA !== this.groupA) throw new RangeError(`relabelling ${p} has ${groupA} subjects in group A, not ${this.groupA}`);
    let differ = 0;
    for (let i = 0; i < n; i++) if (row[i] !== this.codes[i]) differ++;
    const acc = this.acc;
    if (!this.fresh || differ > n / 2 || this.sinceFresh >= FRESH_EVERY) {
      acc.fill(0);
      for (let i = 0; i < n; i++) {
        const c = row[i]!;
        this.codes[i] = c;
        if (c === 0) continue;
        const x = values.subarray(i * m, (i + 1) * m);
        for (let v = 0; v < m; v++) acc[v] += c * x[v]!;
      }
      this.fresh = true;
      this.sinceFresh = 0;
      return;
    }
    for (let i = 0; i < n; i++) {
      const c = row[i]!;
      const d = c - this.codes[i]!;
      if (d === 0) continue;
      this.codes[i] = c;
      const x = values.subarray(i * m, (i + 1) * m);
      for (let v = 0; v < m; v++) acc[v] += d * x[v]!;
    }
    this.sinceFresh++;
  }
}
