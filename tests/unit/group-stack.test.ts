import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../helpers/volumes';
import type { GroupDesign } from '../../src/analysis/group/design';
import { readStudy } from '../../src/analysis/group/study';
import { NiftiError } from '../../src/nifti';

const dims: [number, number, number] = [5, 4, 3];
const size = 60;
const grid = { dims, affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], pixdim: [1, 1, 1] };

const valid = (x: number): boolean => x !== 0 && Number.isFinite(x);

/** The stack worked out from the definitions: SPM's implicit mask, the mask, post - pre, and no zero-variance voxel. */
function expected(
  maps: Float32Array[][],
  design: GroupDesign,
  mask: Float32Array | null,
  labels: Uint8Array | null,
): { voxelIndex: number[]; values: number[]; zeroVariance: number } {
  const voxelIndex: number[] = [];
  const rows: number[][] = maps.map(() => []);
  let zeroVariance = 0;
  for (let v = 0; v < size; v++) {
    if (!maps.every((s) => s.every((m) => valid(m[v]!))) || (mask && !valid(mask[v]!))) continue;
    const x = maps.map((s) => (design === 'paired' ? Math.fround(s[1]![v]! - s[0]![v]!) : s[0]![v]!));
    let ss = 0;
    for (const g of [0, 1]) {
      const members = x.filter((_, i) => (labels?.[i] ?? 0) === g);
      if (!members.length) continue;
      const mean = members.reduce((a, b) => a + b, 0) / members.length;
      for (const y of members) ss += (y - mean) ** 2;
    }
    if (!(ss > 0)) {
      zeroVariance++;
      continue;
    }
    voxelIndex.push(v);
    x.forEach((y, i) => rows[i]!.push(y));
  }
  return { voxelIndex, values: rows.flat(), zeroVariance };
}

describe('readStudy and StackBuilder: the analysed voxels and values of a study', () => {
  it('as worked out from the definitions, for every design, with unreadable files, masks, and buffers reused once released', async () => {
    const rnd = mulberry32(7);
    let checked = 0;
    for (let iter = 0; iter < 600; iter++) {
      const design = (['one-sample', 'paired', 'two-sample'] as const)[iter % 3]!;
      const subjects = Array.from({ length: 2 + Math.floor(rnd() * 5) }, (_, i) => ({
        subject: `s${i}`,
        files: design === 'paired' ? [`s${i}-pre`, `s${i}-post`] : [`s${i}`],
      }));
      const files = new Map<string, Float32Array>();
      const unreadable = new Set<string>();
      for (const s of subjects)
        for (const f of s.files) {
          files.set(
            f,
            Float32Array.from({ length: size }, () => {
              const r = rnd();
              return r < 0.05 ? 0 : r < 0.08 ? Number.NaN : r < 0.09 ? Infinity : r < 0.25 ? 1 : (rnd() - 0.5) * 4;
            }),
          );
          if (rnd() < 0.12) unreadable.add(f);
        }
      const mask =
        rnd() < 0.5
          ? Float32Array.from({ length: size }, () => (rnd() < 0.2 ? 0 : rnd() < 0.1 ? Number.NaN : 1))
          : null;
      // The reader decodes into released buffers, which it scribbles over at once: a value still read
      // from one would show.
      const free: Float32Array[] = [];
      const how = {
        read: async (f: string) => {
          if (unreadable.has(f)) throw new NiftiError('READ_FAILED', f, `${f} cannot be read`);
          const data = free.pop() ?? new Float32Array(size);
          data.set(files.get(f)!);
          return { name: f, ...grid, data };
        },
        release: (m: { data: Float32Array }) => {
          m.data.fill(12345);
          free.push(m.data);
        },
      };
      const kept = subjects.filter((s) => s.files.every((f) => !unreadable.has(f)));
      const excluded: { file: string; reason: string }[] = [];
      const run = readStudy(subjects, excluded, design, how);
      if (kept.length < 2) {
        await expect(run).rejects.toThrow(/fewer than two usable/);
        continue;
      }
      const r = await run;
      expect(r.kept.map((s) => s.subject)).toEqual(kept.map((s) => s.subject));
      expect(excluded).toHaveLength(subjects.length - kept.length);
      // The first subject's first map is the outputs' template: never released.
      expect(Array.from(r.first.data)).toEqual(Array.from(files.get(kept[0]!.files[0]!)!));
      const labels = design === 'two-sample' ? Uint8Array.from(kept, (_, i) => i % 2) : null;
      const maps = kept.map((s) => s.files.map((f) => files.get(f)!));
      const want = expected(maps, design, mask, labels);
      const finish = () => r.builder.finish(mask && { name: 'mask', ...grid, data: mask }, labels);
      if (want.voxelIndex.length === 0) {
        expect(finish).toThrow(/no voxel/);
        continue;
      }
      const { stack, geometry, zeroVariance } = finish();
      expect(Array.from(geometry.voxelIndex)).toEqual(want.voxelIndex);
      expect(Array.from(stack.values)).toEqual(want.values);
      expect(zeroVariance).toBe(want.zeroVariance);
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
  });
});
