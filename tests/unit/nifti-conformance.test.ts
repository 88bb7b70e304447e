import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNiftiFile } from '../../src/cli/files';
import { NiftiError, readNifti, readNiftiPair, type NiftiErrorCode, type NiftiImage } from '../../src/nifti';
import { affineRows } from '../../src/nifti/affine';
import { conformance, HAS_SHARED, SHARED_MISSING } from '../helpers/shared';

interface Case {
  files: string[];
  ok: boolean;
  why?: string;
  dims?: number[];
  frames?: number;
  pixdim?: number[];
  datatype?: number;
  intent_code?: number;
  affine?: number[][];
  values?: (number | string | null)[];
  ok_if_reads_declared?: boolean;
}

/** The error each bad case must raise. */
const EXPECTED_CODE: Record<string, NiftiErrorCode> = {
  bad_magic: 'BAD_MAGIC',
  truncated_data: 'TRUNCATED',
  truncated_header: 'TRUNCATED',
  negative_dim: 'BAD_DIMS',
  huge_dims: 'TOO_LARGE',
  unsupported_datatype: 'UNSUPPORTED_DATATYPE',
  corrupt: 'CORRUPT_GZIP',
};

/** A budget far below what huge_dims declares, so the test also proves nothing big is allocated. */
const TEST_BUDGET = 64 * 1024 ** 2;

function expectedValue(v: number | string | null): number {
  if (v === null) return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return Number(v);
}

function checkImage(img: NiftiImage, c: Case): void {
  expect(img.dims).toEqual(c.dims);
  expect(img.frames).toBe(c.frames);
  expect([1, 2, 3].map((i) => img.header.pixdim[i])).toEqual(c.pixdim);
  expect(img.header.datatype.code).toBe(c.datatype);
  expect(img.header.intent.code).toBe(c.intent_code);
  const rows = affineRows(img.affine);
  c.affine!.forEach((row, r) => row.forEach((v, k) => expect(Math.abs(rows[r]![k]! - v)).toBeLessThan(1e-4)));
  const data = img.frame(0);
  expect(data.length).toBe(c.values!.length);
  c.values!.forEach((raw, i) => {
    const want = expectedValue(raw);
    const got = data[i]!;
    if (Number.isNaN(want)) expect(got, `voxel ${i}`).toBeNaN();
    else if (!Number.isFinite(want)) expect(got, `voxel ${i}`).toBe(want);
    // float32 output; and the corpus scaled with the decimal slope while the file (and nibabel) holds
    // its float32 rounding (0.26 -> 0.25999999046), so allow 1e-6 relative plus 1e-6 absolute.
    else
      expect(Math.abs(got - want), `voxel ${i}: ${got} vs ${want}`).toBeLessThanOrEqual(Math.abs(want) * 1e-6 + 1e-6);
  });
}

function recordingAllocator(): { allocate: (n: number) => Uint8Array; sizes: number[] } {
  const sizes: number[] = [];
  return { sizes, allocate: (n) => (sizes.push(n), new Uint8Array(n)) };
}

async function readBothWays(c: Case, allocate: (n: number) => Uint8Array): Promise<NiftiImage[]> {
  const paths = c.files.map(conformance);
  const opts = { name: c.files[0]!, budgetBytes: TEST_BUDGET, allocate };
  if (paths.length === 2) {
    const [h, i] = paths.map((p) => new Uint8Array(readFileSync(p)));
    return [await readNiftiFile(paths[0]!, opts), await readNiftiPair(h!, i!, opts)];
  }
  // From disk as a streamed Blob, and from one in-memory buffer.
  return [await readNiftiFile(paths[0]!, opts), await readNifti(new Uint8Array(readFileSync(paths[0]!)), opts)];
}

describe.skipIf(!HAS_SHARED)(`NIfTI conformance corpus (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  const cases: Record<string, Case> = HAS_SHARED ? JSON.parse(readFileSync(conformance('expected.json'), 'utf8')) : {};

  it('covers every case in expected.json', () => {
    expect(Object.keys(cases).length).toBeGreaterThanOrEqual(30);
    for (const [name, c] of Object.entries(cases))
      if (!c.ok && !c.ok_if_reads_declared) expect(EXPECTED_CODE[name], name).toBeDefined();
  });

  for (const [name, c] of Object.entries(cases)) {
    if (c.ok) {
      it(`reads ${name} as nibabel does`, async () => {
        for (const img of await readBothWays(c, recordingAllocator().allocate)) checkImage(img, c);
      });
    } else {
      it(`refuses ${name} (${c.why}) within the memory budget`, async () => {
        const rec = recordingAllocator();
        let outcomes: (NiftiImage | NiftiError)[];
        try {
          outcomes = await readBothWays(c, rec.allocate);
        } catch (e) {
          outcomes = [e as NiftiError];
        }
        expect(rec.sizes.every((n) => n <= TEST_BUDGET)).toBe(true);
        for (const o of outcomes) {
          if (o instanceof NiftiError) {
            if (EXPECTED_CODE[name]) expect(o.code).toBe(EXPECTED_CODE[name]);
            expect(o.message).toContain(c.files[0]!);
          } else {
            // Only a gzip bomb may be read, and then only the declared voxels.
            expect(c.ok_if_reads_declared).toBe(true);
            expect(rec.sizes.reduce((a, b) => a + b, 0)).toBeLessThan(1024 ** 2);
          }
        }
      });
    }
  }
});

describe('an empty file', () => {
  it('says "the file is empty", from bytes and from a stream (issue 21 item 10)', async () => {
    await expect(readNifti(new Uint8Array(0), { name: 'empty.nii' })).rejects.toThrow(
      'empty.nii: the file is empty (0 bytes).',
    );
    await expect(readNifti(new Blob([]), { name: 'empty.nii.gz' })).rejects.toThrow(
      'empty.nii.gz: the file is empty (0 bytes).',
    );
  });
});
