import type { GroupStack, PermutationBatch } from '../permutation';
import { PairScan } from './wasm/pair-scan';

/**
 * A permutation's coded sum at a voxel, sum_i c_i x_i (sign flips: c = +-1; relabellings: c = 1 for
 * group A, so the sum is group A's), is all it takes besides the fixed sum and sum of squares.
 * Consecutive permutations that differ in a few codes (exhaustive enumerations are generated so)
 * update the float64 sums by those subjects alone; a fresh sum every FRESH_EVERY updates bounds drift.
 */
const FRESH_EVERY = 256;

/** Bytes per voxel of a fresh sum per coded subject (a float32 read), and of an update (a float32 read, a float64 read and write). */
const FRESH_READS = 4;
const UPDATE_READS = 20;

/** Voxels per block of a fresh sum: the float64 sums of a block (32 KiB) stay in the first-level cache while the subjects are added. */
const SUM_BLOCK = 4096;

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
      sum[v]! += x;
      squares[v]! += x * x;
    }
  }
  s = { sum, squares };
  sums.set(stack, s);
  return s;
}

/** Where supra-threshold voxels go as a scan meets them (ClusterScratch). */
export interface SupraSink {
  begin(): void;
  add(j: number, t: number): void;
  /** The first `count` voxels of `index` with their `t`, as `add` one by one would take them. */
  addMany?(index: Int32Array, t: Float32Array, count: number): void;
}

/**
 * A t, as numerator / sqrt(denominator): sign flips num = S sqrt((n - 1) / n), den = sum of squares
 * about the mean; relabellings num = mean A - mean B, den = pooled variance (1/nA + 1/nB). Both the
 * whole-map and the scanning paths use this one expression, so they give the same float32 t.
 */
const tOf = (num: number, den: number): number => num / Math.sqrt(den);

/** A voxel the product test preselected joins the clusters when its float32 t passes. */
function offer(sink: SupraSink, v: number, t: number, uf: number, twoSided: boolean): void {
  if (t >= uf || (twoSided && t <= -uf)) sink.add(v, t);
}

function checkCodes(batch: PermutationBatch, n: number): void {
  if (batch.codes.length !== batch.count * n)
    throw new RangeError(
      `${batch.count} permutations of ${n} subjects need ${batch.count * n} codes, not ${batch.codes.length}`,
    );
}

/** Group A's size in a batch's first row (the sum of its codes). */
function groupSize(batch: PermutationBatch, n: number): number {
  let a = 0;
  for (let i = 0; i < n; i++) a += batch.codes[i]!;
  return a;
}

/** Computes one permutation's t-map after another (a reused float32 map), or scans it without making it. */
export class PermutedT {
  readonly t: Float32Array;
  private acc: Float64Array;
  /**
   * The pair scan in WebAssembly, made at the first scanPair (undefined before; null where SIMD is
   * missing): its memory then holds `acc`. A TFCE or two-sided run never scans pairs and never makes it.
   */
  private wasm: PairScan | null | undefined;
  private readonly codes: Float64Array;
  private fresh = false;
  private sinceFresh = 0;
  private readonly groupA: number;

  constructor(
    readonly stack: GroupStack,
    private batch: PermutationBatch,
  ) {
    const n = stack.subjects;
    checkCodes(batch, n);
    this.t = new Float32Array(stack.voxels);
    this.acc = new Float64Array(stack.voxels);
    this.codes = new Float64Array(n);
    this.groupA = groupSize(batch, n);
    if (batch.kind === 'relabel' && !(this.groupA >= 1 && this.groupA <= n - 1))
      throw new RangeError('a relabelling needs at least one subject in each group');
  }

  /**
   * Goes on with another batch of the same stack and kind, the sums kept: a batch that continues a
   * Gray code (the next rows of the plan) updates them by one subject instead of starting afresh.
   * False when the batch cannot follow (another kind, another group size).
   */
  continueWith(batch: PermutationBatch): boolean {
    if (batch.kind !== this.batch.kind || batch.count < 1) return false;
    checkCodes(batch, this.stack.subjects);
    if (batch.kind === 'relabel' && groupSize(batch, this.stack.subjects) !== this.groupA) return false;
    this.batch = batch;
    return true;
  }

  /** t of permutation p of the batch into `this.t`. */
  compute(p: number): Float32Array {
    const step = this.updateSums(p, false);
    if (step) this.applyStep(step.x, step.d);
    this.fillT();
    return this.t;
  }

  /**
   * Permutation p's max t (max |t| two-sided), its supra-threshold voxels handed to `sink`, without
   * a division or square root at the voxels that are neither: t^2 >= u^2 and t^2 > max^2 are tested
   * as products. The t of a voxel that passes is the float32 `compute` gives.
   */
  scan(p: number, threshold: number, twoSided: boolean, sink: SupraSink): number {
    const step = this.updateSums(p, true);
    const uf = Math.fround(threshold);
    sink.begin();
    // One loop per kind, each with the pending subject's update fused in (d = 0: none pending).
    const x = step?.x ?? this.stack.values.subarray(0, this.acc.length);
    const d = step?.d ?? 0;
    const best =
      this.batch.kind === 'sign-flip'
        ? this.scanSignFlip(x, d, uf, twoSided, sink)
        : this.scanRelabel(x, d, uf, twoSided, sink);
    return best > -Infinity ? best : this.largest(1, twoSided);
  }

  /**
   * One-sided sign flip p and its mirror (every sign reversed: t becomes -t) in one pass: p's max t
   * is returned and its supra-threshold voxels go to `sink`; the mirror's max t is `mirrorBest`, its
   * voxels (as the mirror's positive t) go to `mirrorSink`. Each side decides exactly as `scan` of
   * that row would, on the same float64 sums negated.
   */
  scanPair(p: number, threshold: number, sink: SupraSink, mirrorSink: SupraSink): number {
    if (this.batch.kind !== 'sign-flip') throw new RangeError('only a sign flip has a mirror');
    const wasm = this.pairScan();
    const step = this.updateSums(p, true);
    const uf = Math.fround(threshold);
    sink.begin();
    mirrorSink.begin();
    const x = step?.x ?? this.stack.values.subarray(0, this.acc.length);
    let best: number;
    let mirror: number;
    if (wasm) ({ best, mirror } = wasm.scan(x, step?.d ?? 0, this.stack.subjects, uf, sink, mirrorSink));
    else {
      best = this.scanSignFlipPair(x, step?.d ?? 0, uf, sink, mirrorSink);
      mirror = this.pairMirror;
    }
    this.mirrorBest = mirror > -Infinity ? mirror : this.largest(-1, false);
    return best > -Infinity ? best : this.largest(1, false);
  }

  /** The pair scan in WebAssembly, made once: the sums so far move into its memory. */
  private pairScan(): PairScan | null {
    if (this.wasm === undefined) {
      this.wasm = PairScan.create(stackSums(this.stack).squares);
      if (this.wasm) {
        this.wasm.acc.set(this.acc);
        this.acc = this.wasm.acc;
      }
    }
    return this.wasm;
  }

  /** The mirror's max t after `scanPair`. */
  mirrorBest = -Infinity;

  /** Max of sign * t over the whole map (max |t| two-sided), from the sums as they stand. */
  private largest(sign: 1 | -1, twoSided: boolean): number {
    this.fillT();
    let top = -Infinity;
    for (let v = 0; v < this.t.length; v++) top = Math.max(top, twoSided ? Math.abs(this.t[v]!) : sign * this.t[v]!);
    return top;
  }

  private scanSignFlipPair(x: Float32Array, d: number, uf: number, sink: SupraSink, mirrorSink: SupraSink): number {
    const { squares } = stackSums(this.stack);
    const acc = this.acc;
    const m = acc.length;
    const n = this.stack.subjects;
    const invN = 1 / n;
    const rootK = Math.sqrt((n - 1) / n);
    const u2 = uf * uf * (1 - 1e-6);
    let best = -Infinity;
    let best2 = 0;
    let lo = 0;
    let bestM = -Infinity;
    let best2M = 0;
    let loM = 0;
    for (let v = 0; v < m; v++) {
      const s = acc[v]! + d * x[v]!;
      acc[v] = s;
      const q = squares[v]!;
      const num = s * rootK;
      const ss = q - s * s * invN;
      // t^2 * ss signed (p's), and the mirror's, -r: the tests of scanSignFlip for each.
      const r = num * Math.abs(num);
      const rm = -r;
      if (!(r >= lo * ss || rm >= loM * ss) || !(ss > ZERO_VARIANCE * q)) continue;
      if (r >= lo * ss) {
        if (r >= u2 * ss) offer(sink, v, Math.fround(tOf(num, ss)), uf, false);
        if (r > best2 * ss) {
          best = Math.max(best, Math.abs(Math.fround(tOf(num, ss))));
          best2 = best * best;
          lo = Math.min(u2, best2);
        }
      }
      if (rm >= loM * ss) {
        if (rm >= u2 * ss) offer(mirrorSink, v, Math.fround(tOf(-num, ss)), uf, false);
        if (rm > best2M * ss) {
          bestM = Math.max(bestM, Math.abs(Math.fround(tOf(-num, ss))));
          best2M = bestM * bestM;
          loM = Math.min(u2, best2M);
        }
      }
    }
    this.pairMirror = bestM;
    return best;
  }

  /**
   * scanSignFlipPair's mirror max, left here rather than returned with p's in an array: the loop is
   * compiled on the stack before the code after it has run, and an array literal there had no type
   * feedback, so every call deoptimised (499 times in 512 calls of a 10-pair exhaustive run).
   */
  private pairMirror = -Infinity;

  private scanSignFlip(x: Float32Array, d: number, uf: number, twoSided: boolean, sink: SupraSink): number {
    const { squares } = stackSums(this.stack);
    const acc = this.acc;
    const m = acc.length;
    const n = this.stack.subjects;
    const invN = 1 / n;
    const rootK = Math.sqrt((n - 1) / n);
    // Loosened a little: the product test only preselects; the float32 t decides.
    const u2 = uf * uf * (1 - 1e-6);
    const two = twoSided ? 1 : 0;
    const one = 1 - two;
    let best = -Infinity;
    let best2 = 0;
    // One test for the two below (either passing passes it), the zero variance checked only then.
    let lo = 0;
    for (let v = 0; v < m; v++) {
      const s = acc[v]! + d * x[v]!;
      acc[v] = s;
      const q = squares[v]!;
      const num = s * rootK;
      const ss = q - s * s * invN;
      // t^2 * ss, signed one-sided (a negative t then fails both tests): no branch on t's sign.
      const r = num * (two * num + one * Math.abs(num));
      if (!(r >= lo * ss) || !(ss > ZERO_VARIANCE * q)) continue;
      if (r >= u2 * ss) offer(sink, v, Math.fround(tOf(num, ss)), uf, twoSided);
      if (r > best2 * ss) {
        best = Math.max(best, Math.abs(Math.fround(tOf(num, ss))));
        best2 = best * best;
        lo = Math.min(u2, best2);
      }
    }
    return best;
  }

  private scanRelabel(x: Float32Array, d: number, uf: number, twoSided: boolean, sink: SupraSink): number {
    const { sum, squares } = stackSums(this.stack);
    const acc = this.acc;
    const m = acc.length;
    const na = this.groupA;
    const nb = this.stack.subjects - na;
    const scale = (1 / na + 1 / nb) / (na + nb - 2);
    const u2 = uf * uf * (1 - 1e-6);
    const two = twoSided ? 1 : 0;
    const one = 1 - two;
    let best = -Infinity;
    let best2 = 0;
    let lo = 0;
    for (let v = 0; v < m; v++) {
      const sa = acc[v]! + d * x[v]!;
      acc[v] = sa;
      const sb = sum[v]! - sa;
      const q = squares[v]!;
      const num = sa / na - sb / nb;
      const ss = q - (sa * sa) / na - (sb * sb) / nb;
      const den = ss * scale;
      const r = num * (two * num + one * Math.abs(num));
      if (!(r >= lo * den) || !(ss > ZERO_VARIANCE * q)) continue;
      if (r >= u2 * den) offer(sink, v, Math.fround(tOf(num, den)), uf, twoSided);
      if (r > best2 * den) {
        best = Math.max(best, Math.abs(Math.fround(tOf(num, den))));
        best2 = best * best;
        lo = Math.min(u2, best2);
      }
    }
    return best;
  }

  /**
   * acc = sum_i c_i x_i, subject by subject in order over blocks of voxels small enough to stay in
   * cache. A sign flip reads only its fewer sign's subjects: with S the fixed sum, sum_i c_i x_i =
   * s (2 sum_{c_i = s} x_i - S) for either sign s, so about half the subjects are read.
   */
  private freshSums(row: Float32Array): void {
    const acc = this.acc;
    const m = acc.length;
    const n = this.stack.subjects;
    const values = this.stack.values;
    const minority = this.batch.kind === 'sign-flip' ? minoritySign(row) : 0;
    const sum = minority === 0 ? null : stackSums(this.stack).sum;
    for (let from = 0; from < m; from += SUM_BLOCK) {
      const to = Math.min(m, from + SUM_BLOCK);
      if (sum) for (let v = from; v < to; v++) acc[v] = -minority * sum[v]!;
      else acc.fill(0, from, to);
      for (let i = 0; i < n; i++) {
        const c = row[i]!;
        if (c === 0 || (sum && c !== minority)) continue;
        const w = sum ? 2 * c : c;
        const base = i * m;
        for (let v = from; v < to; v++) acc[v]! += w * values[base + v]!;
      }
    }
  }

  private applyStep(x: Float32Array, d: number): void {
    const acc = this.acc;
    for (let v = 0; v < acc.length; v++) acc[v]! += d * x[v]!;
  }

  private fillT(): void {
    const { sum, squares } = stackSums(this.stack);
    const n = this.stack.subjects;
    const acc = this.acc;
    const t = this.t;
    const m = t.length;
    if (this.batch.kind === 'sign-flip') {
      const rootK = Math.sqrt((n - 1) / n);
      const invN = 1 / n;
      for (let v = 0; v < m; v++) {
        const s = acc[v]!;
        const q = squares[v]!;
        const ss = q - s * s * invN;
        t[v] = ss > ZERO_VARIANCE * q ? tOf(s * rootK, ss) : 0;
      }
    } else {
      const na = this.groupA;
      const nb = n - na;
      const scale = (1 / na + 1 / nb) / (n - 2);
      for (let v = 0; v < m; v++) {
        const sa = acc[v]!;
        const sb = sum[v]! - sa;
        const q = squares[v]!;
        const ss = q - (sa * sa) / na - (sb * sb) / nb;
        t[v] = ss > ZERO_VARIANCE * q ? tOf(sa / na - sb / nb, ss * scale) : 0;
      }
    }
  }

  /**
   * Brings the sums to row p: afresh, or by the subjects whose code changed. One changed subject
   * (every step of a Gray code) is returned instead, for the caller's pass over the voxels to apply
   * (`fused`: a scan's pass, where it costs no pass of its own).
   */
  private updateSums(p: number, fused: boolean): { x: Float32Array; d: number } | null {
    const n = this.stack.subjects;
    const m = this.stack.voxels;
    const values = this.stack.values;
    const row = this.batch.codes.subarray(p * n, (p + 1) * n);
    let groupA = 0;
    for (let i = 0; i < n; i++) groupA += row[i]!;
    if (this.batch.kind === 'relabel' && groupA !== this.groupA)
      throw new RangeError(`relabelling ${p} has ${groupA} subjects in group A, not ${this.groupA}`);
    let differ = 0;
    let last = -1;
    for (let i = 0; i < n; i++) if (row[i] !== this.codes[i]) differ++, (last = i);
    let nonZero = 0;
    for (let i = 0; i < n; i++) if (row[i] !== 0) nonZero++;
    // A fresh sign flip reads its fewer sign's subjects and the fixed sum (freshSums).
    if (this.batch.kind === 'sign-flip') {
      const positive = countPositive(row);
      nonZero = Math.min(positive, n - positive) + 2;
    }
    // Afresh when that moves fewer bytes than updating: one pass reading each coded subject's float32
    // values (FRESH_READS) against a read and write of the float64 sums per changed subject. A scan
    // fuses one changed subject into its own pass over the sums, where it costs that subject's read
    // alone: a Gray code's step is then never worth a pass of its own (175 of a 10-pair exhaustive
    // run's 512 scans took one, and the command's time fell by a quarter without them).
    const updateBytes = fused && differ === 1 ? FRESH_READS : differ * UPDATE_READS;
    if (!this.fresh || this.sinceFresh >= FRESH_EVERY || nonZero * FRESH_READS <= updateBytes) {
      for (let i = 0; i < n; i++) this.codes[i] = row[i]!;
      this.freshSums(row);
      this.fresh = true;
      this.sinceFresh = 0;
      return null;
    }
    this.sinceFresh++;
    if (differ === 1) {
      const d = row[last]! - this.codes[last]!;
      this.codes[last] = row[last]!;
      return { x: values.subarray(last * m, (last + 1) * m), d };
    }
    for (let i = 0; i < n; i++) {
      const d = row[i]! - this.codes[i]!;
      if (d === 0) continue;
      this.codes[i] = row[i]!;
      this.applyStep(values.subarray(i * m, (i + 1) * m), d);
    }
    return null;
  }
}

/** The sign (+1 or -1) fewer of a sign flip's codes carry (+1 on a tie). */
function minoritySign(row: Float32Array): 1 | -1 {
  return countPositive(row) * 2 <= row.length ? 1 : -1;
}

function countPositive(row: Float32Array): number {
  let k = 0;
  for (let i = 0; i < row.length; i++) if (row[i]! > 0) k++;
  return k;
}
