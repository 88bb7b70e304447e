import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siglens } from '../helpers/cli';
import { conformance, HAS_SHARED, real, REPO, SHARED_MISSING } from '../helpers/shared';
import { runPython } from '../helpers/python';

describe.skipIf(!HAS_SHARED)(`siglens info (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  it('prints the SPEC document, equal to nibabel', () => {
    const r = siglens('info', real('stats.nv_demo_mskd.nii.gz'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const ref = runPython<{
      dims: number[];
      affine: number[][];
      min: number;
      max: number;
      nanCount: number;
      datatype: number;
    }>(join(REPO, 'scripts/nibabel_sample.py'), [real('stats.nv_demo_mskd.nii.gz'), '0', '1', '1']);
    expect(doc).toMatchObject({ dims: ref.dims, frames: 2, datatype: ref.datatype, nanCount: ref.nanCount });
    for (const k of ['dims', 'frames', 'pixdim', 'datatype', 'intent', 'affine', 'min', 'max', 'nanCount'])
      expect(doc).toHaveProperty(k);
    expect(doc.min).toBeCloseTo(ref.min, 5);
    expect(doc.max).toBeCloseTo(ref.max, 5);
    ref.affine.forEach((row, i) => row.forEach((v, j) => expect(doc.affine[i][j]).toBeCloseTo(v, 4)));
  });

  it('reports a t-map intent with its df', () => {
    const doc = JSON.parse(siglens('info', conformance('tstat_df17.nii'), '--json').stdout);
    expect(doc.intent).toMatchObject({ code: 3, kind: 't', p1: 17 });
  });

  it('reads an .hdr/.img pair given either half', () => {
    for (const f of ['pair_int16.hdr', 'pair_int16.img'])
      expect(JSON.parse(siglens('info', conformance(f), '--json').stdout).dims).toEqual([6, 5, 4]);
  });

  it('fails bad input with one line on stderr and a non-zero exit', () => {
    for (const [file, text] of [
      ['truncated_data.nii', 'truncated_data.nii: the file ends before its data'],
      ['bad_magic.nii', 'bad_magic.nii: bad NIfTI-1 magic'],
      ['does-not-exist.nii', 'no such file'],
    ] as const) {
      const r = siglens('info', conformance(file), '--json');
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(text);
    }
    expect(siglens('info', '--json').code).not.toBe(0);
    expect(siglens('frobnicate').code).not.toBe(0);
  });
});
