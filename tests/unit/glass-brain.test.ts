import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glassBrain, maskProjection, maxProjection, type ProjectionAxis } from '../../src/analysis/glass-brain';
import { readNiftiFile } from '../../src/cli/files';
import { runPython } from '../helpers/python';
import { HAS_SHARED, real, REPO, SHARED_MISSING } from '../helpers/shared';

interface Ref {
  values: (number | null)[][];
  mask: number[][];
}

describe.skipIf(!HAS_SHARED)(
  `glass-brain projections equal numpy's max along each axis (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    const cases: [string, number, boolean][] = [
      ['spmMotor.nii.gz', 3.1, false],
      ['spmMotor.nii.gz', 3.1, true],
      ['narps-4735_50GV-hypo1_unthresh.nii.gz', 2.3, true],
    ];
    for (const [file, t, two] of cases) {
      it(`${file} at ${two ? '|v|' : 'v'} >= ${t}`, async () => {
        const ref = runPython<Ref>(join(REPO, 'scripts/numpy_mip.py'), [real(file), String(t), two ? 'TWO' : 'ONE']);
        const img = await readNiftiFile(real(file));
        const data = img.frame(0);
        for (const axis of [0, 1, 2] as ProjectionAxis[]) {
          const got = maxProjection(data, img.dims, axis, t, two);
          const want = ref.values[axis]!;
          expect(got.length).toBe(want.length);
          let shown = 0;
          for (let i = 0; i < got.length; i++) {
            const w = want[i];
            if (w === null || w === undefined) expect(Number.isNaN(got[i]!), `axis ${axis} pixel ${i}`).toBe(true);
            else {
              expect(got[i], `axis ${axis} pixel ${i}`).toBe(w);
              shown++;
            }
          }
          expect(shown).toBeGreaterThan(100);
          const inside = Uint8Array.from(data, (v) => (v !== 0 && Number.isFinite(v) ? 1 : 0));
          expect(Array.from(maskProjection(inside, img.dims, axis))).toEqual(ref.mask[axis]);
        }
      });
    }
  },
);

describe('glass-brain views are oriented for the eye', () => {
  it('a voxel at the right, anterior, superior corner shows top-right in the axial and coronal views and top-right in the sagittal', () => {
    // A radiological 5x4x3 grid (x runs right to left in mm), one bright voxel at voxel (0, 3, 2).
    const dims: [number, number, number] = [5, 4, 3];
    const data = new Float32Array(60).fill(1);
    data[0 + 5 * 3 + 20 * 2] = 9;
    const g = glassBrain({ data, dims, affine: [-2, 0, 0, 10, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1] }, 5, false);
    const at = (name: string): [number, number] => {
      const v = g.views.find((x) => x.name === name)!;
      const i = v.values.indexOf(9);
      return [i % v.width, Math.floor(i / v.width)];
    };
    // Voxel x 0 is the largest mm x (the subject's right): the right of a coronal or axial view.
    expect(at('coronal')).toEqual([4, 0]);
    expect(at('axial')).toEqual([4, 0]);
    // y 3 is the most anterior: the right of the sagittal view; z 2 the top.
    expect(at('sagittal')).toEqual([3, 0]);
    expect(g.maxAbs).toBe(9);
    const axial = g.views.find((x) => x.name === 'axial')!;
    expect(axial.outline[0]).toBe(2);
    expect(axial.mm).toEqual([2, 2]);
  });
});

describe("the figure's outline from a background on another grid", () => {
  it('takes the nearest background voxel through both affines', async () => {
    const { backgroundMask } = await import('../../src/analysis/glass-brain');
    const dims: [number, number, number] = [4, 4, 4];
    const data = new Float32Array(64);
    data[1 + 4 * (2 + 4 * 3)] = 5;
    const bg = { data, dims, affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] };
    expect(Array.from(backgroundMask(bg, bg))).toEqual(Array.from(data, (v) => (v > 0 ? 1 : 0)));
    // A grid shifted by +1 mm in x: its voxel 0 is the background's voxel 1.
    const shifted = backgroundMask({ dims, affine: [1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] }, bg);
    expect(shifted[0 + 4 * (2 + 4 * 3)]).toBe(1);
    expect(shifted.reduce((a, b) => a + b, 0)).toBe(1);
  });
});
