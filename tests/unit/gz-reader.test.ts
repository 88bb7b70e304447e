import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readNiftiFile } from '../../src/cli/files';
import { errorText } from '../../src/nifti/chunks';
import { writeMap } from '../helpers/group-study';
import { mulberry32, type Dims } from '../helpers/volumes';

const DIR = mkdtempSync(join(tmpdir(), 'siglens-gz-'));
afterAll(() => rmSync(DIR, { recursive: true }));

/** A float32 map gzipped: `noise` of its voxels random (incompressible), the rest 0. */
function gzMap(name: string, dims: Dims, noise: number): { path: string; data: Float32Array; gzBytes: number } {
  const rnd = mulberry32(name.length * 31 + dims[0]);
  const n = dims[0] * dims[1] * dims[2];
  const data = Float32Array.from({ length: n }, () => (rnd() < noise ? rnd() * 10 - 5 : 0));
  const nii = writeMap(join(DIR, `${name}.nii`), dims, data);
  const gz = gzipSync(readFileSync(nii), { level: 1 });
  const path = `${nii}.gz`;
  writeFileSync(path, gz);
  return { path, data, gzBytes: gz.length };
}

describe("the command's .nii.gz reader (one piece inflated at once; larger files streamed, the header's peek first, then pieces up to 4 MiB)", () => {
  // Below the 64 KiB peek, about it, one piece, and more than one 4 MiB piece (streamed).
  const cases: [string, Dims, number][] = [
    ['tiny', [6, 5, 4], 1],
    ['peek', [40, 20, 20], 0.6],
    ['one piece', [64, 64, 40], 1],
    ['large', [128, 128, 80], 1],
  ];
  for (const [name, dims, noise] of cases) {
    it(`${name}: the frame as written`, async () => {
      const { path, data, gzBytes } = gzMap(name, dims, noise);
      if (name === 'large') expect(gzBytes).toBeGreaterThan(4 << 20);
      if (name === 'tiny') expect(gzBytes).toBeLessThan(64 << 10);
      const img = await readNiftiFile(path);
      expect(img.dims).toEqual(dims);
      expect(
        Buffer.compare(
          Buffer.from(img.frame(0).buffer, img.frame(0).byteOffset, data.byteLength),
          Buffer.from(data.buffer),
        ),
      ).toBe(0);
    });
  }

  it('decodes a frame that is not float32 into a buffer handed to it, and the same values as a fresh decode', async () => {
    const { path } = gzMap('peek', [40, 20, 20], 0.6);
    const img = await readNiftiFile(path);
    // float32 with no scaling is a view of the file: nothing to decode into.
    expect(img.frame(0, new Float32Array(img.voxels))).toEqual(img.frame(0));
    const int16 = join(DIR, 'int16.nii');
    const vol = img.volume(0);
    const { writeNifti1 } = await import('../../src/nifti/write');
    writeFileSync(int16, writeNifti1(vol, { int16Slope: 0.01 }));
    const scaled = await readNiftiFile(int16);
    const into = new Float32Array(scaled.voxels).fill(7);
    const got = scaled.frame(0, into);
    expect(got).toBe(into);
    expect(Array.from(got)).toEqual(Array.from(scaled.frame(0)));
  });

  it('a header beyond the first 4 KiB of the stream (a long gzip comment) is read all the same', async () => {
    const { path, data } = gzMap('comment', [40, 20, 20], 0.6);
    const nii = readFileSync(path.replace(/\.gz$/, ''));
    // gzip (RFC 1952) with FCOMMENT: 6,000 bytes of comment before the deflate stream.
    const comment = Buffer.alloc(6001, 0x61);
    comment[6000] = 0;
    const head = Buffer.from([0x1f, 0x8b, 8, 0x10, 0, 0, 0, 0, 0, 3]);
    const tail = Buffer.alloc(8);
    tail.writeUInt32LE(crc32(nii), 0);
    tail.writeUInt32LE(nii.length, 4);
    const commented = join(DIR, 'commented.nii.gz');
    writeFileSync(commented, Buffer.concat([head, comment, deflateRawSync(nii), tail]));
    const img = await readNiftiFile(commented);
    expect(Array.from(img.frame(0))).toEqual(Array.from(data));
  });

  it('a truncated file is refused as a corrupt gzip stream, in one sentence with one full stop', async () => {
    const { path } = gzMap('truncated', [64, 64, 40], 1);
    const cut = join(DIR, 'cut.nii.gz');
    writeFileSync(cut, readFileSync(path).subarray(0, 50_000));
    const e = await readNiftiFile(cut).catch((x: unknown) => x as Error);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(/the gzip stream is corrupt \([^)]*[^.]\)\.$/);
    // The browser's DecompressionStream ends its reason with a full stop: quoted, it loses it.
    expect(errorText(new TypeError('Compressed input was truncated.'))).toBe('Compressed input was truncated');
  });
});
