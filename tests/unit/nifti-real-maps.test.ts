import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNiftiFile } from '../../src/cli/files';
import { affineRows } from '../../src/nifti';
import { volumeStats } from '../../src/analysis/stats';
import { HAS_SHARED, real, REPO, SHARED_MISSING } from '../helpers/shared';
import { runPython } from '../helpers/python';

interface Reference {
  dims: number[];
  frames: number;
  affine: number[][];
  datatype: number;
  min: number;
  max: number;
  argmin: number;
  argmax: number;
  nanCount: number;
  indices: number[];
  values: (number | null)[];
}

const SAMPLES = 5000;
const SCRIPT = join(REPO, 'scripts/nibabel_sample.py');

const MAPS: { file: string; frame: number; frames: number; check?: (r: Reference) => void }[] = [
  {
    file: 'spmMotor.nii.gz',
    frame: 0,
    frames: 1,
    check: (r) => {
      expect(r.min).toBeCloseTo(-6.86, 2);
      expect(r.max).toBeCloseTo(12.16, 2);
    },
  },
  { file: 'narps-4965_9U7M-hypo1_unthresh.nii.gz', frame: 0, frames: 1 },
  { file: 'narps-4735_50GV-hypo1_unthresh.nii.gz', frame: 0, frames: 1 },
  { file: 'stats.nv_demo_mskd.nii.gz', frame: 0, frames: 2 },
  { file: 'stats.nv_demo_mskd.nii.gz', frame: 1, frames: 2 },
  { file: 'tstat1.nii.gz', frame: 0, frames: 1 },
  { file: 'MNI152_T1_2mm.nii.gz', frame: 0, frames: 1 },
  { file: 'aal.nii.gz', frame: 0, frames: 1 },
];

describe.skipIf(!HAS_SHARED)(
  `real maps read as nibabel reads them (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    for (const m of MAPS) {
      it(`${m.file} frame ${m.frame}: header, affine, range and ${SAMPLES} sampled voxels`, async () => {
        const ref = runPython<Reference>(SCRIPT, [real(m.file), String(m.frame), String(SAMPLES), '20261122']);
        m.check?.(ref);
        const img = await readNiftiFile(real(m.file));
        expect(img.dims).toEqual(ref.dims);
        expect(img.frames).toBe(m.frames);
        expect(ref.frames).toBe(m.frames);
        expect(img.header.datatype.code).toBe(ref.datatype);
        const rows = affineRows(img.affine);
        ref.affine.forEach((row, r) => row.forEach((v, k) => expect(Math.abs(rows[r]![k]! - v)).toBeLessThan(1e-4)));
        const data = img.frame(m.frame);
        const close = (got: number, want: number): boolean => Math.abs(got - want) <= Math.abs(want) * 2 ** -24;
        ref.indices.forEach((flat, n) => {
          const want = ref.values[n];
          if (want === null) expect(data[flat]).toBeNaN();
          else expect(close(data[flat]!, want!), `voxel ${flat}: ${data[flat]} vs ${want}`).toBe(true);
        });
        const s = volumeStats(data);
        expect(close(s.min, ref.min) && close(s.max, ref.max), `${s.min}..${s.max} vs ${ref.min}..${ref.max}`).toBe(
          true,
        );
        expect(s.nanCount).toBe(ref.nanCount);
        expect(close(data[ref.argmin]!, ref.min)).toBe(true);
        expect(close(data[ref.argmax]!, ref.max)).toBe(true);
      });
    }
  },
);
