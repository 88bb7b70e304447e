import { openAsBlob, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Parser } from '../../src/worker/parser';
import { conformance, HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';

describe.skipIf(!HAS_SHARED)(`the worker's parser (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  it('parses a File-like blob with progress that reaches the total', async () => {
    const blob = await openAsBlob(real('MNI152_2009_template.nii.gz'));
    const seen: [number, number | undefined][] = [];
    const reply = await new Parser().parse({ kind: 'file', file: blob, name: 'template.nii.gz' }, { id: 1 }, (d, t) =>
      seen.push([d, t]),
    );
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    expect(reply.volume.dims).toEqual([193, 229, 193]);
    expect(reply.volume.data.length).toBe(193 * 229 * 193);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toEqual([blob.size, blob.size]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThanOrEqual(seen[i - 1]![0]);
  });

  it('cancels a parse in flight with a CANCELLED error', async () => {
    const blob = await openAsBlob(real('MNI152_2009_template.nii.gz'));
    const parser = new Parser();
    let cancelled = false;
    const reply = await parser.parse({ kind: 'file', file: blob, name: 't.nii.gz' }, { id: 7 }, () => {
      if (!cancelled) {
        cancelled = true;
        parser.cancel(7);
      }
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'CANCELLED', file: 't.nii.gz' } });
  });

  it('returns typed errors as data (comlink would drop the code of a thrown one)', async () => {
    const bytes = readFileSync(conformance('bad_magic.nii'));
    const reply = await new Parser().parse(
      {
        kind: 'bytes',
        bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        name: 'x.nii',
      },
      { id: 2 },
    );
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_MAGIC', file: 'x.nii' } });
  });

  it('keeps a 4D map for other frames on demand, and hands frames over by transfer', async () => {
    const transferred: ArrayBuffer[] = [];
    const parser = new Parser((v, b) => (transferred.push(...b), v));
    const blob = await openAsBlob(real('stats.nv_demo_mskd.nii.gz'));
    const first = await parser.parse({ kind: 'file', file: blob, name: 'stats.nii.gz' }, { id: 3 });
    const second = await parser.frame(3, 1);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect([first.volume.frame, second.volume.frame, second.volume.frames]).toEqual([0, 1, 2]);
    expect(transferred).toEqual([first.volume.data.buffer, second.volume.data.buffer]);
    expect(await parser.frame(3, 2)).toMatchObject({ ok: false, error: { code: 'BAD_DIMS' } });
    parser.release(3);
    expect((await parser.frame(3, 0)).ok).toBe(false);
  });

  it('parses an .hdr/.img pair', async () => {
    const [hdr, img] = await Promise.all(['pair_int16.hdr', 'pair_int16.img'].map((f) => openAsBlob(conformance(f))));
    const reply = await new Parser().parse({ kind: 'pair', hdr: hdr!, img: img!, name: 'pair_int16.hdr' }, { id: 4 });
    expect(reply.ok && reply.volume.dims).toEqual([6, 5, 4]);
  });
});
