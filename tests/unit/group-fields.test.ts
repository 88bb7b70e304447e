import { describe, expect, it } from 'vitest';
import { groupFields } from '../../src/app/group/group-fields';

describe("the Group panel's typed fields (z, permutations, seed)", () => {
  const good = { threshold: '2.3', permutations: '500', seed: '3' };

  it('takes what the command takes', () => {
    expect(groupFields(good)).toEqual({ ok: true, thresholdZ: 2.3, permutations: 500, seed: 3 });
    expect(groupFields({ ...good, permutations: ' ALL ' })).toMatchObject({ ok: true, permutations: 'all' });
    expect(groupFields({ ...good, seed: '4294967295' })).toMatchObject({ ok: true, seed: 4294967295 });
  });

  it('refuses each wrong value with its reason, quoting what was typed', () => {
    const cases: [Partial<typeof good>, RegExp][] = [
      [{ threshold: '-1' }, /z must be a number above 0, not "-1"/],
      [{ threshold: '0' }, /z must be a number above 0, not "0"/],
      [{ threshold: '' }, /z must be a number above 0, not ""/],
      [{ threshold: 'Infinity' }, /z must be a number above 0/],
      [{ permutations: '-5' }, /whole number of at least 1, or "all", not "-5"/],
      [{ permutations: 'abc' }, /not "abc"/],
      [{ permutations: '0' }, /not "0"/],
      [{ permutations: '2.5' }, /not "2.5"/],
      [{ permutations: '' }, /not ""/],
      [{ seed: '-1' }, /seed must be a whole number from 0 to 4294967295, not "-1"/],
      [{ seed: '2.5' }, /not "2.5"/],
      [{ seed: '4294967296' }, /not "4294967296"/],
    ];
    for (const [change, reason] of cases) {
      const f = groupFields({ ...good, ...change });
      expect(f.ok, JSON.stringify(change)).toBe(false);
      if (!f.ok) expect(f.problem).toMatch(reason);
    }
  });
});
