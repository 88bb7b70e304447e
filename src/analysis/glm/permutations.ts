import { GroupError } from '../group/design';
import { rowRandom } from '../group/permutations';

/**
 * The permutations of a model's rows (../shared/SPEC.md "The general linear model"): sign flips, or
 * row permutations within exchangeability blocks. Row 0 is the data as given. Every row can be made on
 * its own (batches start anywhere; shards with other seeds draw other rows). Exhaustive when the count
 * asked for reaches the number there are: sign flips in Gray-code order (as the t-tests'), permutations
 * by their Lehmer codes within each block (mixed radix over the blocks), the identity first.
 */
export interface GlmPermutationPlan {
  readonly kind: 'sign-flip' | 'permutation';
  readonly rows: number;
  readonly count: number;
  readonly exhaustive: boolean;
  readonly seed: number;
  /** The rows of each block, ascending (one block of every row without --blocks). */
  readonly blocks: readonly (readonly number[])[];
  /** How many there are: 2^n sign flips, or the product of the blocks' sizes' factorials. */
  readonly distinct: number;
}

/** Enumerating permutations exhaustively stops being sensible beyond this many (random ones are then as good). */
const MAX_EXHAUSTIVE = 1e7;

export function planGlmPermutations(
  rows: number,
  kind: 'sign-flip' | 'permutation',
  blocks: readonly number[] | null,
  requested: number | 'all',
  seed: number,
): GlmPermutationPlan {
  if (requested !== 'all' && !(Number.isInteger(requested) && requested >= 1))
    throw new RangeError(`a permutation count must be a whole number from 1, not ${requested}`);
  const groups = blockRows(rows, blocks);
  let distinct = 1;
  if (kind === 'sign-flip') distinct = 2 ** rows;
  else for (const g of groups) for (let k = 2; k <= g.length; k++) distinct *= k;
  const exhaustive = requested === 'all' || requested >= distinct;
  if (exhaustive && distinct > MAX_EXHAUSTIVE)
    throw new GroupError(
      'DESIGN',
      `--permutations all would run ${distinct.toPrecision(3)} ${kind === 'sign-flip' ? 'sign flips' : 'permutations'}: give a count`,
    );
  return {
    kind,
    rows,
    count: exhaustive ? distinct : requested,
    exhaustive,
    seed: seed >>> 0,
    blocks: groups,
    distinct,
  };
}

function blockRows(rows: number, blocks: readonly number[] | null): number[][] {
  if (!blocks) return [Array.from({ length: rows }, (_, i) => i)];
  const by = new Map<number, number[]>();
  blocks.forEach((b, i) => by.set(b, [...(by.get(b) ?? []), i]));
  return [...by.values()];
}

/**
 * Row p of the plan into `out`: sign flips give +1 / -1 per row; permutations the 0-based row of E
 * that each row receives.
 */
export function glmPermutationRow(plan: GlmPermutationPlan, p: number, out: Int32Array): void {
  const n = plan.rows;
  if (plan.kind === 'sign-flip') {
    if (plan.exhaustive) {
      const g = p ^ (p >>> 1);
      for (let i = 0; i < n; i++) out[i] = i < 31 && (g >>> i) & 1 ? -1 : 1;
      return;
    }
    const rand = rowRandom(plan.seed, p);
    for (let i = 0; i < n; i++) out[i] = p === 0 || rand() < 0.5 ? 1 : -1;
    return;
  }
  for (let i = 0; i < n; i++) out[i] = i;
  if (p === 0) return;
  if (plan.exhaustive) {
    let rest = p;
    for (const g of plan.blocks) {
      let f = 1;
      for (let k = 2; k <= g.length; k++) f *= k;
      unrankWithin(g, rest % f, out);
      rest = Math.floor(rest / f);
    }
    return;
  }
  const rand = rowRandom(plan.seed, p);
  for (const g of plan.blocks) {
    for (let a = g.length - 1; a > 0; a--) {
      const b = Math.floor(rand() * (a + 1));
      const x = out[g[a]!]!;
      out[g[a]!] = out[g[b]!]!;
      out[g[b]!] = x;
    }
  }
}

/** The permutation of rank `r` (Lehmer code, lexicographic) of the block's rows into `out`. */
function unrankWithin(g: readonly number[], r: number, out: Int32Array): void {
  const pool = [...g];
  let f = 1;
  for (let k = 2; k < g.length; k++) f *= k;
  let rest = r;
  for (let i = 0; i < g.length; i++) {
    const left = g.length - 1 - i;
    const k = left > 0 ? Math.floor(rest / f) : 0;
    if (left > 0) {
      rest %= f;
      f = left > 1 ? f / left : 1;
    }
    out[g[i]!] = pool.splice(k, 1)[0]!;
  }
}
