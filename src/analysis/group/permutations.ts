import type { PermutationBatch } from '../../compute/permutation';

/**
 * Which permutations a group analysis runs (../shared/SPEC.md "Group analysis"): every distinct one
 * exactly once when the count asked for reaches their number (or `all`), else seeded random ones;
 * the first is always the data as given. Any row can be made on its own, so batches can start
 * anywhere and shards (other seeds) draw other rows.
 */
export interface PermutationPlan {
  readonly kind: 'sign-flip' | 'relabel';
  readonly subjects: number;
  readonly count: number;
  readonly exhaustive: boolean;
  readonly seed: number;
  /** Relabelling: the observed labels (1 = group A), subject order. */
  readonly labels: Uint8Array | null;
  /** How many distinct permutations exist (2^n sign flips, C(n, nA) relabellings). */
  readonly distinct: number;
}

/** Distinct permutations: 2^n sign flips or C(n, nA) relabellings (a float beyond 2^53). */
export function distinctPermutations(subjects: number, labels: Uint8Array | null): number {
  if (!labels) return 2 ** subjects;
  let a = 0;
  for (const l of labels) a += l;
  return binomial(subjects, a);
}

export function planPermutations(
  subjects: number,
  labels: Uint8Array | null,
  requested: number | 'all',
  seed: number,
): PermutationPlan {
  if (labels && labels.length !== subjects) throw new RangeError(`${labels.length} labels for ${subjects} subjects`);
  const distinct = distinctPermutations(subjects, labels);
  if (requested !== 'all' && !(Number.isInteger(requested) && requested >= 1))
    throw new RangeError(`a permutation count must be a whole number from 1, not ${requested}`);
  const exhaustive = requested === 'all' || requested >= distinct;
  return {
    kind: labels ? 'relabel' : 'sign-flip',
    subjects,
    count: exhaustive ? distinct : requested,
    exhaustive,
    seed: seed >>> 0,
    labels,
    distinct,
  };
}

/** Rows from .. from + count - 1 of the plan. */
export function permutationBatch(plan: PermutationPlan, from: number, count: number): PermutationBatch {
  const n = plan.subjects;
  const codes = new Float32Array(count * n);
  const row = new Float32Array(n);
  for (let p = 0; p < count; p++) {
    permutationRow(plan, from + p, row);
    codes.set(row, p * n);
  }
  return { kind: plan.kind, count, codes };
}

/** The plan's rows listed in `rows` (any order), as one batch. */
export function permutationRows(plan: PermutationPlan, rows: Int32Array): PermutationBatch {
  const n = plan.subjects;
  const codes = new Float32Array(rows.length * n);
  for (let k = 0; k < rows.length; k++) permutationRow(plan, rows[k]!, codes.subarray(k * n, (k + 1) * n));
  return { kind: plan.kind, count: rows.length, codes };
}

/** Row p of the plan's sequence into `out`. */
export function permutationRow(plan: PermutationPlan, p: number, out: Float32Array): void {
  const n = plan.subjects;
  const labels = plan.labels;
  if (!labels) {
    if (plan.exhaustive) {
      // Gray code: neighbouring rows differ in one sign (the engine then updates one subject's sums).
      const g = p ^ (p >>> 1);
      for (let i = 0; i < n; i++) out[i] = (g >>> i) & 1 ? -1 : 1;
      return;
    }
    const rand = rowRandom(plan.seed, p);
    for (let i = 0; i < n; i++) out[i] = p === 0 || rand() < 0.5 ? 1 : -1;
    return;
  }
  if (p === 0) {
    for (let i = 0; i < n; i++) out[i] = labels[i]!;
    return;
  }
  if (plan.exhaustive) {
    // Every combination in rank order, the observed one (row 0) skipped.
    const observed = rankCombination(labels);
    unrankCombination(p - 1 < observed ? p - 1 : p, n, countOnes(labels), out);
    return;
  }
  const rand = rowRandom(plan.seed, p);
  for (let i = 0; i < n; i++) out[i] = labels[i]!;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
}

function countOnes(labels: Uint8Array): number {
  let a = 0;
  for (const l of labels) a += l;
  return a;
}

export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - Math.min(k, n - k) + i)) / i;
  return Math.round(r);
}

/** Rank of a combination in the combinatorial number system (colex): sum of C(position, rank among ones). */
function rankCombination(labels: Uint8Array): number {
  let r = 0;
  for (let i = 0, k = 0; i < labels.length; i++) if (labels[i]) r += binomial(i, ++k);
  return r;
}

function unrankCombination(rank: number, n: number, k: number, out: Float32Array): void {
  out.fill(0);
  let r = rank;
  for (let j = k, i = n - 1; j >= 1; j--) {
    while (binomial(i, j) > r) i--;
    out[i] = 1;
    r -= binomial(i, j);
    i--;
  }
}

/** A small, fast generator per row (mulberry32 seeded by the seed and the row through a mix). */
export function rowRandom(seed: number, row: number): () => number {
  let s = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(row + 1, 0xc2b2ae35);
  s ^= s >>> 16;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
