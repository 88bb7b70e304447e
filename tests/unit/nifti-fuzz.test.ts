import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isNiftiError, readNifti } from '../../src/nifti';
import { conformance, HAS_SHARED, SHARED_MISSING } from '../helpers/shared';
import { mulberry32 } from '../helpers/volumes';
import { mutate } from '../helpers/fuzz';

const FILES = 5000;
/** A read still running after this is taken for a hang (how fast a read is belongs to the bench, not the tests). */
const HANG_MS = 30_000;
const BUDGET = 32 * 1024 ** 2;

describe.skipIf(!HAS_SHARED)(`fuzzing the reader (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  it(`${FILES} mutated files each parse or raise NiftiError, none hanging`, async () => {
    const expected = JSON.parse(readFileSync(conformance('expected.json'), 'utf8')) as Record<
      string,
      { files: string[]; ok: boolean }
    >;
    const seeds = Object.values(expected)
      .filter((c) => c.files.length === 1 && !c.files[0]!.includes('bomb'))
      .map((c) => new Uint8Array(readFileSync(conformance(c.files[0]!))));
    const rnd = mulberry32(20261122);
    const outcomes = { parsed: 0, refused: 0 };
    const codes = new Map<string, number>();
    let slowest = 0;
    for (let i = 0; i < FILES; i++) {
      const input = mutate(seeds[i % seeds.length]!, rnd);
      const t0 = performance.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hang = new Promise<never>(
        (_, rej) => (timer = setTimeout(() => rej(new Error(`file ${i} hung`)), HANG_MS)),
      );
      try {
        const img = await Promise.race([readNifti(input, { name: `fuzz-${i}.nii`, budgetBytes: BUDGET }), hang]);
        img.frame(0);
        img.frame(img.frames - 1);
        outcomes.parsed++;
      } catch (e) {
        if (!isNiftiError(e)) throw new Error(`file ${i} threw a non-NiftiError: ${String(e)}`);
        expect(e.message.startsWith(`fuzz-${i}.nii: `)).toBe(true);
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
        outcomes.refused++;
      } finally {
        clearTimeout(timer);
      }
      slowest = Math.max(slowest, performance.now() - t0);
    }
    console.log(
      `fuzz: ${outcomes.parsed} parsed, ${outcomes.refused} refused`,
      Object.fromEntries(codes),
      `slowest ${slowest.toFixed(1)} ms`,
    );
    expect(outcomes.parsed + outcomes.refused).toBe(FILES);
    // The mutations must actually reach both outcomes and several error kinds.
    expect(outcomes.parsed).toBeGreaterThan(FILES / 10);
    expect(codes.size).toBeGreaterThanOrEqual(5);
  });
});
