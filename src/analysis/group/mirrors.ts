import { permutationRow, type PermutationPlan } from './permutations';

/**
 * Sign flips come in mirror pairs: reversing every sign of a row turns its t-map into -t. Two-sided,
 * the pair's maxima are the same; one-sided, an engine with `mirrors` gives a row's mirror from the
 * same pass over the voxels. So a plan's rows whose mirror came earlier need no pass of their own:
 * in an exhaustive plan that is half of them (the Gray code's second half mirrors its first); among
 * random rows, those that happen to be drawn with their mirror.
 */
export interface MirrorPlan {
  /** The rows run by the engine, ascending. */
  readonly rows: Int32Array;
  /** Per plan row: the run row whose mirror it is, or -1 for a row run itself. */
  readonly mirrorOf: Int32Array;
  /** Per plan row: 1 at a run row whose mirror is a later row. */
  readonly wanted: Uint8Array;
}

/** Subjects beyond which an exhaustive plan (2^n rows) cannot be held anyway. */
const MAX_EXHAUSTIVE_SUBJECTS = 30;

/** The mirror pairs of a sign-flip plan; null for relabellings. */
export function mirrorPlan(plan: PermutationPlan): MirrorPlan | null {
  if (plan.kind !== 'sign-flip') return null;
  const mirrorOf = new Int32Array(plan.count).fill(-1);
  const wanted = new Uint8Array(plan.count);
  if (plan.exhaustive) {
    const n = plan.subjects;
    if (n > MAX_EXHAUSTIVE_SUBJECTS || plan.count !== 2 ** n) return null;
    // Row p has the signs of gray(p); gray is linear in xor, so the row with every sign reversed is
    // p xor gray^-1(all ones), whose top bit is set: the first half's mirrors are the second half.
    let g = 0;
    for (let x = 2 ** n - 1; x > 0; x >>>= 1) g ^= x;
    const half = plan.count / 2;
    for (let p = 0; p < half; p++) {
      mirrorOf[p ^ g] = p;
      wanted[p] = 1;
    }
    return { rows: Int32Array.from({ length: half }, (_, p) => p), mirrorOf, wanted };
  }
  const firstRun = new Map<string, number>();
  const row = new Float32Array(plan.subjects);
  const rows: number[] = [];
  for (let p = 0; p < plan.count; p++) {
    permutationRow(plan, p, row);
    let key = '';
    let mirrorKey = '';
    for (const c of row) {
      key += c > 0 ? '+' : '-';
      mirrorKey += c > 0 ? '-' : '+';
    }
    const q = firstRun.get(mirrorKey);
    if (q !== undefined) {
      mirrorOf[p] = q;
      wanted[q] = 1;
      continue;
    }
    if (!firstRun.has(key)) firstRun.set(key, p);
    rows.push(p);
  }
  return { rows: Int32Array.from(rows), mirrorOf, wanted };
}
