import { describe, expect, it } from 'vitest';
import type { PermutationMaxima } from '../../src/compute/permutation';
import { joinMaxima } from '../../src/compute/row-split';
import { allDone, chunkRows, sharedMaxima, sharedRows, takeChunks } from '../../src/cli/shared-rows';

/** A row's maxima that name it: maxT = row, extent = 2 row, mass = 3 row, TFCE = 4 row; the mirror's negated. */
function rowMaxima(from: number, to: number, mirror: boolean): PermutationMaxima {
  const col = (k: number): Float64Array => Float64Array.from({ length: to - from }, (_, i) => k * (from + i));
  const m = { maxT: col(1), maxExtent: col(2), maxMass: col(3), maxTfce: col(4) };
  if (!mirror) return m;
  const neg = (a: Float64Array): Float64Array => a.map((v) => -v);
  return {
    ...m,
    mirror: { maxT: neg(m.maxT), maxExtent: neg(m.maxExtent), maxMass: neg(m.maxMass), maxTfce: neg(m.maxTfce) },
  };
}

/** Two takers interleaved as threads would be: each awaits between chunks, one slower than the other. */
async function twoTakers(count: number, chunk: number, mirrorFrom: (from: number) => boolean) {
  const rows = sharedRows(count, chunk, true, true);
  const taken: number[][] = [[], []];
  const taker = (t: number, delay: number) =>
    takeChunks(rows, async (from, to) => {
      taken[t]!.push(from);
      for (let k = 0; k < delay; k++) await Promise.resolve();
      return rowMaxima(from, to, mirrorFrom(from));
    });
  await Promise.all([taker(0, 1), taker(1, 5)]);
  return { rows, taken };
}

describe("a batch's rows as a shared queue of chunks (the command's threads)", () => {
  it('chunks a batch for its threads, never below the floor', () => {
    expect(chunkRows(100, 2, 1)).toBe(7);
    expect(chunkRows(100, 2, 10)).toBe(10);
    expect(chunkRows(5, 2, 2)).toBe(2);
    expect(chunkRows(1, 4, 1)).toBe(1);
  });

  it('writes every row once, in place, whichever taker took its chunk', async () => {
    const { rows, taken } = await twoTakers(23, 3, () => true);
    expect(allDone(rows)).toBe(true);
    // Both took chunks, each chunk once.
    expect(taken[0]!.length).toBeGreaterThan(0);
    expect(taken[1]!.length).toBeGreaterThan(0);
    expect([...taken[0]!, ...taken[1]!].sort((a, b) => a - b)).toEqual([0, 3, 6, 9, 12, 15, 18, 21]);
    const m = sharedMaxima(rows);
    expect(Array.from(m.maxT)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(Array.from(m.maxTfce!)).toEqual(Array.from({ length: 23 }, (_, i) => 4 * i));
    expect(Array.from(m.mirror!.maxMass)).toEqual(Array.from({ length: 23 }, (_, i) => -3 * i));
  });

  it('gives the maxima joinMaxima gives for the same rows: mirrors only where a chunk made them, none when none did', async () => {
    for (const some of [(from: number) => from === 6, () => false]) {
      const { rows } = await twoTakers(10, 3, some);
      const parts = [0, 3, 6, 9].map((from) => rowMaxima(from, Math.min(10, from + 3), some(from)));
      const joined = joinMaxima(parts, [0, 3, 6, 9, 10], true);
      const m = sharedMaxima(rows);
      expect(m.mirror === undefined).toBe(joined.mirror === undefined);
      for (const k of ['maxT', 'maxExtent', 'maxMass', 'maxTfce'] as const) {
        expect(Array.from(m[k]!)).toEqual(Array.from(joined[k]!));
        if (joined.mirror) expect(Array.from(m.mirror![k]!)).toEqual(Array.from(joined.mirror[k]!));
      }
    }
  });

  it("refuses a chunk's maxima of the wrong length, and stops the taker at the error", async () => {
    const rows = sharedRows(6, 3, false, false);
    await expect(takeChunks(rows, async () => rowMaxima(0, 2, false))).rejects.toThrow(/2 maxima for 3 rows/);
    expect(allDone(rows)).toBe(false);
  });
});
