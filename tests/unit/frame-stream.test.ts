import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { StatsAccumulator, volumeStats, type VolumeStats } from '../../src/analysis/stats';
import { readNiftiFile } from '../../src/cli/files';
import { readWithStats } from '../../src/cli/info';
import { readNifti } from '../../src/nifti';
import { FrameStream } from '../../src/nifti/frame-stream';
import { conformance, HAS_SHARED, SHARED_MISSING } from '../helpers/shared';

/** The statistics written out plainly, as SPEC defines them: min and max over finite values. */
function reference(values: ArrayLike<number>): VolumeStats {
  const all = Array.from(values);
  const finite = all.filter(Number.isFinite);
  return {
    min: finite.length ? finite.reduce((a, b) => Math.min(a, b)) : NaN,
    max: finite.length ? finite.reduce((a, b) => Math.max(a, b)) : NaN,
    nanCount: all.filter(Number.isNaN).length,
    finiteCount: finite.length,
  };
}

function inPieces(data: Float32Array, cuts: number[]): VolumeStats {
  const acc = new StatsAccumulator();
  let at = 0;
  for (const c of [...cuts, data.length]) {
    acc.add(data.subarray(at, c));
    at = c;
  }
  return acc.result();
}

describe('StatsAccumulator', () => {
  const cases: Record<string, number[]> = {
    plain: [3, -1, 2.5, 7, 0],
    nan: [NaN, 4, NaN, -3, 1],
    infinities: [1, Infinity, -2, -Infinity, NaN, 5],
    'only non-finite': [NaN, Infinity, -Infinity, NaN],
    'infinity in one piece only': [-8, 2, 3, 4, Infinity, 6, 1],
    empty: [],
  };
  for (const [name, values] of Object.entries(cases)) {
    it(`gives volumeStats's numbers, and the plain definition's, in any pieces: ${name}`, () => {
      const data = Float32Array.from(values);
      const whole = volumeStats(data);
      expect(whole).toEqual(reference(data));
      for (let a = 0; a <= data.length; a++)
        for (let b = a; b <= data.length; b++) expect(inPieces(data, [a, b])).toEqual(whole);
    });
  }

  it('keeps the first of 0 and -0, as one pass over the whole does', () => {
    for (const values of [
      [0, -0, 1],
      [-0, 0, 1],
    ]) {
      const data = Float32Array.from(values);
      expect(Object.is(inPieces(data, [1]).min, volumeStats(data).min)).toBe(true);
      expect(Object.is(inPieces(data, [1]).min, values[0])).toBe(true);
    }
  });
});

/** Feeds `bytes` to a FrameStream as a buffer that fills from the front, in uneven steps; returns the values it gave. */
function streamed(bytes: Uint8Array, frame: number): { values: Float32Array; stream: FrameStream } {
  const pieces: Float32Array[] = [];
  const stream = new FrameStream('f.nii', frame, (v) => pieces.push(v.slice()));
  const file = new Uint8Array(bytes.length);
  const steps = [1, 3, 7, 100, 333, 4096];
  for (let end = 0, k = 0; end < bytes.length; k++) {
    const next = Math.min(bytes.length, end + steps[k % steps.length]!);
    file.set(bytes.subarray(end, next), end);
    end = next;
    stream.advance(file, end);
  }
  const values = new Float32Array(pieces.reduce((n, p) => n + p.length, 0));
  pieces.reduce((at, p) => (values.set(p, at), at + p.length), 0);
  return { values, stream };
}

describe.skipIf(!HAS_SHARED)(
  `FrameStream on the conformance corpus (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    const files = HAS_SHARED
      ? readdirSync(conformance('')).filter((f) => f.endsWith('.nii') || f.endsWith('.hdr'))
      : [];

    it('decodes every frame of every file the reader takes as NiftiImage.frame() does, and no other file', async () => {
      let read = 0;
      for (const f of files) {
        const bytes = new Uint8Array(readFileSync(conformance(f)));
        const img = await readNifti(bytes, { name: f }).catch(() => undefined);
        if (!img || f.endsWith('.hdr')) {
          expect(streamed(bytes, 0).stream.complete, f).toBe(false);
          continue;
        }
        read++;
        for (let k = 0; k < img.frames; k++) {
          const { values, stream } = streamed(bytes, k);
          expect(stream.complete, `${f} frame ${k}`).toBe(true);
          expect(values, `${f} frame ${k}`).toEqual(img.frame(k));
        }
        expect(streamed(bytes, img.frames).stream.complete, `${f} past its frames`).toBe(false);
      }
      // Every datatype, both byte orders, both versions, scaling and a 4D file.
      expect(read).toBeGreaterThanOrEqual(20);
    });

    it('stops for good when the buffer changes or its end goes back', () => {
      const bytes = new Uint8Array(readFileSync(conformance('dtype_int16.nii')));
      const s = new FrameStream('f.nii', 0, () => undefined);
      s.advance(bytes, 400);
      s.advance(bytes.slice(), bytes.length);
      expect(s.failed).toBe(true);
      const t = new FrameStream('f.nii', 0, () => undefined);
      t.advance(bytes, 400);
      t.advance(bytes, 300);
      t.advance(bytes, bytes.length);
      expect(t.complete).toBe(false);
    });
  },
);

/** A NIfTI-1 map written by hand: any datatype, either byte order, with scaling. */
function nifti1(
  dims: number[],
  datatype: number,
  bitpix: number,
  data: Uint8Array,
  le: boolean,
  slope = 0,
  inter = 0,
): Uint8Array {
  const out = new Uint8Array(352 + data.length);
  const dv = new DataView(out.buffer);
  dv.setInt32(0, 348, le);
  [dims.length, ...dims, ...Array<number>(7 - dims.length).fill(1)].forEach((d, i) => dv.setInt16(40 + 2 * i, d, le));
  dv.setInt16(70, datatype, le);
  dv.setInt16(72, bitpix, le);
  for (let i = 0; i < 4; i++) dv.setFloat32(76 + 4 * i, 1, le);
  dv.setFloat32(108, 352, le);
  dv.setFloat32(112, slope, le);
  dv.setFloat32(116, inter, le);
  out.set([0x6e, 0x2b, 0x31, 0], 344);
  out.set(data, 352);
  return out;
}

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** int16 values from -700 to 1299 in big-endian order: read in the wrong order they would span the whole int16 range. */
function bigEndianInt16(n: number): Uint8Array {
  const noise = randomBytes(2 * n, 2);
  const out = new Uint8Array(2 * n);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < n; i++) dv.setInt16(2 * i, (((noise[2 * i]! << 8) | noise[2 * i + 1]!) % 2000) - 700, false);
  return out;
}

describe('the reader tells what it has inflated, and info streams its statistics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'siglens-frame-stream-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Larger than the reader's 4 MiB pieces once compressed (random bytes do not compress), so that the
  // reader streams them: several reports. (A file of one piece is inflated at once: one report.)
  const floats = new Float32Array(randomBytes(128 * 128 * 144 * 4, 1).buffer);
  floats.forEach((v, i) => {
    if (!Number.isFinite(v) || Math.abs(v) > 1e30) floats[i] = i % 3;
  });
  floats.set([NaN, Infinity, -Infinity, NaN], 300_000);
  const maps: Record<string, { bytes: Uint8Array; frame: number }> = {
    'float32 with NaN and infinities': {
      bytes: nifti1([128, 128, 144], 16, 32, new Uint8Array(floats.buffer), true),
      frame: 0,
    },
    'scaled big-endian int16, frame 1 of 3': {
      bytes: nifti1([128, 96, 128, 3], 4, 16, bigEndianInt16(128 * 96 * 128 * 3), false, 0.25, -3),
      frame: 1,
    },
    'float64, frame 1 of 3': {
      bytes: nifti1([64, 64, 96, 3], 64, 64, randomBytes(64 * 64 * 96 * 3 * 8, 3), true),
      frame: 1,
    },
  };

  for (const [name, { bytes, frame }] of Object.entries(maps)) {
    const path = join(dir, `${name.replace(/\W+/g, '_')}.nii.gz`);
    writeFileSync(path, gzipSync(bytes, { level: 1 }));

    it(`reports its one buffer in order, each part final when told: ${name}`, async () => {
      const parts: Uint8Array[] = [];
      let buffer: Uint8Array | undefined;
      let last = 0;
      let inOrder = true;
      await readNiftiFile(path, {}, (file, end) => {
        buffer ??= file;
        inOrder &&= file === buffer && end >= last;
        parts.push(file.slice(last, end));
        last = end;
      });
      expect(inOrder).toBe(true);
      expect(parts.length).toBeGreaterThan(2);
      expect(last).toBe(bytes.length);
      expect(Buffer.concat(parts).equals(gunzipSync(readFileSync(path)))).toBe(true);
    });

    it(`info's statistics, streamed, are volumeStats of the frame: ${name}`, async () => {
      const { img, streamed: wasStreamed, stats } = await readWithStats(path, frame);
      expect(wasStreamed).toBe(true);
      expect(stats()).toEqual(volumeStats(img.frame(frame)));
      expect(stats()).toEqual(reference(img.frame(frame)));
      if (img.header.datatype.code === 4)
        expect([stats().min, stats().max]).toEqual([-700 * 0.25 - 3, 1299 * 0.25 - 3]);
    });
  }

  it('falls back to the frame when the file is not gzip, and when the fast path gives up', async () => {
    const plain = join(dir, 'plain.nii');
    writeFileSync(plain, maps['float32 with NaN and infinities']!.bytes);
    const a = await readWithStats(plain, 0);
    expect(a.streamed).toBe(false);
    expect(a.stats()).toEqual(volumeStats(a.img.frame(0)));
    // More data than the header declares: the fast path refuses it after reporting, and starts over.
    const longer = join(dir, 'longer.nii.gz');
    const { bytes } = maps['float32 with NaN and infinities']!;
    writeFileSync(longer, gzipSync(Buffer.concat([bytes, new Uint8Array(1 << 20)]), { level: 1 }));
    const ends: number[] = [];
    await readNiftiFile(longer, {}, (_, end) => ends.push(end)).catch(() => undefined);
    expect(ends.at(-1)).toBe(0);
    const b = await readWithStats(longer, 0).catch(() => undefined);
    if (b) expect(b.streamed).toBe(false);
  });
});
