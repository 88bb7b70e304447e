/** The Group panel's typed fields, as typed. */
export interface GroupFieldText {
  readonly threshold: string;
  readonly permutations: string;
  readonly seed: string;
}

/** The same fields as the run takes them, or why they cannot run (the first problem, in the fields' order). */
export type GroupFields =
  | { readonly ok: true; readonly thresholdZ: number; readonly permutations: number | 'all'; readonly seed: number }
  | { readonly ok: false; readonly problem: string };

/** Seeds are 32-bit, as `siglens group --seed` takes them (the permutation plan keeps seed >>> 0). */
const SEED_LIMIT = 2 ** 32;

const number = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));

/**
 * Parses the fields as the command's flags are parsed (src/cli/group-options.ts): z above 0, a count
 * that is a whole number from 1 or "all", a 32-bit seed. Each refusal quotes what was typed.
 */
export function groupFields(t: GroupFieldText): GroupFields {
  const z = number(t.threshold);
  if (!(Number.isFinite(z) && z > 0))
    return { ok: false, problem: `The cluster-forming z must be a number above 0, not "${t.threshold.trim()}".` };
  const p = t.permutations.trim().toLowerCase();
  const count = p === 'all' ? 'all' : number(p);
  if (!(count === 'all' || (Number.isSafeInteger(count) && count >= 1)))
    return {
      ok: false,
      problem: `The permutation count must be a whole number of at least 1, or "all", not "${t.permutations.trim()}".`,
    };
  const seed = number(t.seed);
  if (!(Number.isInteger(seed) && seed >= 0 && seed < SEED_LIMIT))
    return {
      ok: false,
      problem: `The seed must be a whole number from 0 to ${SEED_LIMIT - 1}, not "${t.seed.trim()}".`,
    };
  return { ok: true, thresholdZ: z, permutations: count, seed };
}
