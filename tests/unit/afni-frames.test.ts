import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afniFrames, afniFramesOf, statSymbol } from '../../src/nifti/afni';
import { readNifti, writeNifti1 } from '../../src/nifti';
import { readNiftiFile } from '../../src/cli/files';
import { siglensJson } from '../helpers/cli';
import { runPython } from '../helpers/python';
import { HAS_SHARED, real, REPO, SHARED_MISSING } from '../helpers/shared';
import { mulberry32 } from '../helpers/volumes';

const FILE = 'stats.nv_demo_mskd.nii.gz';

/** AFNI's attribute as 3dcalc writes it. */
const atr = (name: string, value: string, type = 'String'): string =>
  `<AFNI_atr ni_type="${type}" ni_dimen="1" atr_name="${name}" >\n ${value}\n</AFNI_atr>\n`;
const xmlOf = (...atrs: string[]): string =>
  `<?xml version='1.0' ?>\n<AFNI_attributes ni_form="ni_group" >\n${atrs.join('\n')}</AFNI_attributes>\n`;

/** A two-frame NIfTI-1 with these bytes as an ecode-4 extension (padded to 16 as the standard asks). */
function withExtension(xml: Uint8Array, esize?: number): Uint8Array {
  const one = writeNifti1({
    name: 'x',
    dims: [2, 2, 2],
    frames: 1,
    frame: 0,
    pixdim: [2, 2, 2],
    affine: [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1],
    affineSource: 'sform',
    datatype: { code: 16, name: 'float32', bytes: 4 },
    intent: { code: 0, kind: 'none', name: '', p1: 0, p2: 0, p3: 0 },
    description: '',
    data: Float32Array.from({ length: 8 }, (_, k) => k - 3),
  });
  const padded = Math.ceil((8 + xml.length) / 16) * 16;
  const out = new Uint8Array(348 + 4 + padded + 2 * 32);
  out.set(one.subarray(0, 348));
  const dv = new DataView(out.buffer);
  dv.setInt16(40, 4, true);
  dv.setInt16(48, 2, true);
  dv.setFloat32(108, 352 + padded, true);
  out[348] = 1;
  dv.setInt32(352, esize ?? padded, true);
  dv.setInt32(356, 4, true);
  out.set(xml, 360);
  out.set(one.subarray(352), 352 + padded);
  out.set(one.subarray(352), 352 + padded + 32);
  return out;
}

describe.skipIf(!HAS_SHARED)(
  `AFNI frames from the header extension, against nibabel + ElementTree (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    const ref = runPython<{ labels: string[]; statsym: string[]; frames: number }>(
      join(REPO, 'scripts/nibabel_afni_frames.py'),
      [real(FILE)],
    );

    it('each frame has its label and statistic: a coefficient (effect) and a t with 134 df', async () => {
      const img = await readNiftiFile(real(FILE));
      expect(img.frameLabels).toEqual(ref.labels);
      expect(ref.statsym).toEqual(['none', 'Ttest(134)']);
      expect(img.frameIntent(0)).toMatchObject({ code: 1001, kind: 'estimate', source: 'afni' });
      expect(img.frameIntent(1)).toMatchObject({ code: 3, kind: 't', p1: 134, source: 'afni' });
      expect(img.volume(1).intent).toMatchObject({ kind: 't', p1: 134 });
      expect(img.volume(0).frameLabels).toEqual(ref.labels);
    });

    it('siglens info --frame 1 reports t with 134 df and every frame label', () => {
      const doc = siglensJson<{ intent: { kind: string; df: number; source: string }; frameLabels: string[] }>(
        'info',
        real(FILE),
        '--frame',
        '1',
      );
      expect(doc.intent).toMatchObject({ kind: 't', df: 134, source: 'afni' });
      expect(doc.frameLabels).toEqual(ref.labels);
      const zero = siglensJson<{ intent: { kind: string } }>('info', real(FILE), '--frame', '0');
      expect(zero.intent.kind).toBe('estimate');
    });

    it('clusters on the coefficient frame give no GRF p; on the t frame, its z-equivalent p', () => {
      type Doc = { warnings: string[]; clusters: { p: number | null; peak: { z: number | null } }[] };
      const coef = siglensJson<Doc>(
        'clusters',
        real(FILE),
        '--threshold',
        '2.3',
        '--estimate-smoothness',
        '--frame',
        '0',
      );
      expect(coef.clusters.every((c) => c.p === null && c.peak.z === null)).toBe(true);
      expect(coef.warnings.join(' ')).toMatch(/effect/);
      const t = siglensJson<Doc>('clusters', real(FILE), '--threshold', '3.1', '--estimate-smoothness', '--frame', '1');
      expect(t.clusters[0]!.p).not.toBeNull();
      expect(t.warnings.join(' ')).toMatch(/t, df 134/);
    });
  },
);

describe('AFNI extension parsing is robust', () => {
  it('reads labels, STATSYM (t, F, z, none) and falls back to STATAUX', () => {
    const f = afniFrames(
      xmlOf(
        atr('BRICK_LABS', '"a~b~c~d"'),
        atr('BRICK_STATSYM', '"Ftest(2,30);Zscore();none;none"'),
        atr('BRICK_STATAUX', '3 3 1 17', 'float'),
      ),
      4,
    );
    expect(f.labels).toEqual(['a', 'b', 'c', 'd']);
    expect(f.intents.map((i) => i && [i.kind, i.p1, i.p2])).toEqual([
      ['f', 2, 30],
      ['zscore', 0, 0],
      ['estimate', 0, 0],
      ['t', 17, 0],
    ]);
    expect(f.notes).toEqual([]);
  });

  it('notes what it cannot read and never throws', () => {
    const notes: string[] = [];
    expect(statSymbol('Ttest(', 0, notes)).toBeNull();
    expect(statSymbol('Ttest(1,2)', 0, notes)).toBeNull();
    expect(statSymbol('Weird(3)', 0, notes)).toBeNull();
    expect(notes).toHaveLength(3);
    const bad = afniFrames('<AFNI_atr atr_name="BRICK_LABS"><<<"a~b', 2);
    expect(bad.labels).toBeNull();
    expect(bad.notes.join(' ')).toMatch(/malformed/);
    const short = afniFrames(xmlOf(atr('BRICK_LABS', '"only"'), atr('BRICK_STATAUX', '0 3 9 1', 'float')), 2);
    expect(short.labels).toEqual(['only', '']);
    expect(short.notes.join(' ')).toMatch(/BRICK_LABS names 1 frame/);
    expect(short.notes.join(' ')).toMatch(/STATAUX is malformed/);
    const rnd = mulberry32(7);
    for (let k = 0; k < 200; k++) {
      const bytes = Uint8Array.from({ length: 4 + Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256));
      bytes[0] = 1;
      expect(() => afniFramesOf(bytes, true, 3)).not.toThrow();
    }
  });

  it('a file with a malformed or oversized extension still reads, with a note', async () => {
    const good = await readNifti(
      withExtension(
        new TextEncoder().encode(
          xmlOf(atr('BRICK_LABS', '"pre~post"'), atr('BRICK_STATSYM', '"Ttest(20);Ttest(&apos;x&apos;)"')),
        ),
      ),
      { name: 'x.nii' },
    );
    expect(good.frameLabels).toEqual(['pre', 'post']);
    expect(good.frameIntent(0)).toMatchObject({ kind: 't', p1: 20 });
    expect(good.frameIntent(1).source).toBe('header');
    expect(good.volume(1).notes?.join(' ')).toMatch(/frame 1/);
    const garbage = await readNifti(withExtension(new TextEncoder().encode('<AFNI_atr <<< not xml')), {
      name: 'y.nii',
    });
    expect(garbage.frames).toBe(2);
    expect(garbage.afni?.notes.join(' ')).toMatch(/malformed/);
    const oversize = await readNifti(
      withExtension(new TextEncoder().encode(xmlOf(atr('BRICK_LABS', '"a~b"'))), 1 << 20),
      { name: 'z.nii' },
    );
    expect(oversize.frameLabels).toBeNull();
    expect(oversize.afni?.notes.join(' ')).toMatch(/does not fit/);
  });
});
