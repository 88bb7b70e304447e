import { describe, expect, it } from 'vitest';
import { glmPermutationRow, planGlmPermutations } from '../../src/analysis/glm/permutations';

/** The model's permutation plans: the data's own first, exhaustive enumerations distinct and complete, blocks respected, seeds reproducible. */
const rows = (plan: ReturnType<typeof planGlmPermutations>): string[] =>
  Array.from({ length: plan.count }, (_, p) => {
    const out = new Int32Array(plan.rows);
    glmPermutationRow(plan, p, out);
    return out.join(' ');
  });

describe('GLM permutation plans', () => {
  it('every permutation of 5 rows exactly once (120), the identity first, when the count reaches them', () => {
    const plan = planGlmPermutations(5, 'permutation', null, 1000, 1);
    expect(plan).toMatchObject({ count: 120, exhaustive: true, distinct: 120 });
    const all = rows(plan);
    expect(all[0]).toBe('0 1 2 3 4');
    expect(new Set(all).size).toBe(120);
    for (const r of all) expect(r.split(' ').map(Number).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('within blocks: 3! x 2! = 12 exhaustive permutations, each row staying in its block', () => {
    const blocks = [1, 2, 1, 2, 1];
    const plan = planGlmPermutations(5, 'permutation', blocks, 'all', 0);
    expect(plan.count).toBe(12);
    const all = rows(plan);
    expect(new Set(all).size).toBe(12);
    for (const r of all)
      r.split(' ')
        .map(Number)
        .forEach((from, i) => expect(blocks[from]).toBe(blocks[i]));
  });

  it('random permutations within blocks, reproducible from the seed and different across seeds', () => {
    const blocks = Array.from({ length: 20 }, (_, i) => (i < 10 ? 1 : 2));
    const a = rows(planGlmPermutations(20, 'permutation', blocks, 50, 7));
    expect(a).toEqual(rows(planGlmPermutations(20, 'permutation', blocks, 50, 7)));
    expect(a.slice(1)).not.toEqual(rows(planGlmPermutations(20, 'permutation', blocks, 50, 8)).slice(1));
    expect(new Set(a).size).toBe(50);
    for (const r of a)
      r.split(' ')
        .map(Number)
        .forEach((from, i) => expect(from < 10).toBe(i < 10));
  });

  it('sign flips: all 2^n in Gray-code order when the count reaches them, else random with the data first', () => {
    const all = rows(planGlmPermutations(4, 'sign-flip', null, 'all', 0));
    expect(all.length).toBe(16);
    expect(new Set(all).size).toBe(16);
    expect(all[0]).toBe('1 1 1 1');
    const some = rows(planGlmPermutations(12, 'sign-flip', null, 30, 3));
    expect(some[0]).toBe(Array(12).fill(1).join(' '));
    expect(new Set(some).size).toBe(30);
  });

  it('refuses --permutations all beyond what can be enumerated', () => {
    expect(() => planGlmPermutations(20, 'permutation', null, 'all', 0)).toThrow(/give a count/);
  });
});
