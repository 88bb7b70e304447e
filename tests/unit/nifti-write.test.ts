import { describe, expect, it } from 'vitest';
import { readNifti, writeNifti1, type Volume } from '../../src/nifti';
import { fromRows } from '../../src/nifti/affine';

function volume(affine: number[], data: Float32Array): Volume {
  return {
    name: 'v.nii',
    dims: [4, 3, 2],
    frames: 1,
    frame: 0,
    pixdim: [2, 2, 2],
    affine,
    affineSource: 'sform',
    datatype: { code: 16, name: 'float32', bytes: 4 },
    intent: { code: 3, kind: 't', name: 'post>pre', p1: 17, p2: 0, p3: 0 },
    description: 'written by a test',
    data,
  };
}

describe('NIfTI-1 writer', () => {
  const data = Float32Array.from({ length: 24 }, (_, i) => (i % 5 === 0 ? NaN : i * 0.37 - 3));

  it('round-trips data, affine, intent and df through the reader', async () => {
    const mni = Array.from(fromRows([-2, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72]));
    const back = await readNifti(writeNifti1(volume(mni, data)), { name: 'back.nii' });
    expect(back.dims).toEqual([4, 3, 2]);
    expect(Array.from(back.affine)).toEqual(mni);
    expect(back.header.intent).toMatchObject({ code: 3, p1: 17, name: 'post>pre' });
    expect(Array.from(back.frame(0))).toEqual(Array.from(data));
    // The qform it writes describes the same grid as the sform.
    expect(back.header.qformCode).toBe(2);
  });

  it('writes a qform equal to an oblique rigid sform, and none for a sheared one', async () => {
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const oblique = Array.from(fromRows([2 * c, -2 * s, 0, -80], [2 * s, 2 * c, 0, -120], [0, 0, 2.5, -70]));
    const bytes = writeNifti1(volume(oblique, data));
    // Clear the sform code: the reader must then rebuild the same affine from the quaternion.
    new DataView(bytes.buffer).setInt16(254, 0, true);
    const q = await readNifti(bytes, { name: 'q.nii' });
    expect(q.affineSource).toBe('qform');
    Array.from(q.affine).forEach((v, i) => expect(v).toBeCloseTo(oblique[i]!, 4));
    const sheared = Array.from(fromRows([2, 0.5, 0, 0], [0, 2, 0, 0], [0, 0, 2, 0]));
    expect((await readNifti(writeNifti1(volume(sheared, data)), { name: 's.nii' })).header.qformCode).toBe(0);
  });
});
