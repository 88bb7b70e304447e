import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateSmoothness, type Smoothness } from '../../src/analysis/smoothness';
import { readNiftiFile } from '../../src/cli/files';
import { writeNifti1 } from '../../src/nifti';
import { runPython } from '../helpers/python';
import { HAS_SHARED, real, REPO, SHARED_MISSING } from '../helpers/shared';
import { mulberry32, type Dims } from '../helpers/volumes';

/** scripts/numpy_smoothest.py's answer (null where FSL would print nan or inf). */
interface Ref {
  dlh: number | null;
  volume: number;
  resels: number | null;
  fwhmVoxels: (number | null)[];
}
const REL = 1e-6;
const tmp = mkdtempSync(join(tmpdir(), 'smoothest-'));
const reference = (file: string, mask?: string): Ref =>
  runPython<Ref>(join(REPO, 'scripts/numpy_smoothest.py'), mask ? [file, mask] : [file]);

async function ours(file: string, mask?: string): Promise<Smoothness> {
  const m = mask ? (await readNiftiFile(mask)).frame(0) : undefined;
  return estimateSmoothness((await readNiftiFile(file)).volume(0), m);
}

function expectSmoothest(got: Smoothness, want: Ref): void {
  expect(got.volume).toBe(want.volume);
  const close = (g: number, w: number | null, what: string): void => {
    if (w === null) expect(Number.isFinite(g), `${what} ${g}: FSL gives no number`).toBe(false);
    else expect(Math.abs(g - w), `${what}: ${g} vs ${w}`).toBeLessThanOrEqual(REL * Math.abs(w));
  };
  close(got.dlh, want.dlh, 'DLH');
  close(got.reselSize, want.resels, 'RESELS');
  got.fwhmVoxels.forEach((f, a) => close(f, want.fwhmVoxels[a]!, `FWHM ${'xyz'[a]}`));
}

/** A NIfTI of these values; the affine's determinant decides FSL's x order. */
function write(
  name: string,
  dims: Dims,
  data: Float32Array,
  affine = [-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1],
): string {
  const path = join(tmp, name);
  writeFileSync(
    path,
    writeNifti1({
      name,
      dims,
      frames: 1,
      frame: 0,
      pixdim: [2, 2, 2],
      affine,
      affineSource: 'sform',
      datatype: { code: 16, name: 'float32', bytes: 4 },
      intent: { code: 5, kind: 'zscore', name: '', p1: 0, p2: 0, p3: 0 },
      description: name,
      data,
    }),
  );
  return path;
}

/** White noise smoothed by a Gaussian of this sigma (voxels) along each axis, edges truncated. */
function smoothNoise(dims: Dims, sigma: number, seed: number): Float32Array {
  const n = dims[0] * dims[1] * dims[2];
  const rnd = mulberry32(seed);
  let data = Float32Array.from(
    { length: n },
    () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd()),
  );
  const radius = Math.ceil(4 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
  const norm = Math.sqrt(kernel.reduce((a, b) => a + b * b, 0));
  const steps = [1, dims[0], dims[0] * dims[1]];
  for (let axis = 0; axis < 3; axis++) {
    if (dims[axis] === 1) continue;
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const c = Math.floor(i / steps[axis]!) % dims[axis]!;
      let s = 0;
      for (let k = Math.max(-radius, -c); k <= Math.min(radius, dims[axis]! - 1 - c); k++)
        s += kernel[k + radius]! * data[i + k * steps[axis]!]!;
      out[i] = s / norm;
    }
    data = out;
  }
  return data;
}

const NEUROLOGICAL = [2, 0, 0, -90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1];

describe.skipIf(!HAS_SHARED)(
  `DLH, VOLUME and RESELS equal FSL smoothest (numpy from smoothest.cc) on real maps (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    // narps-4735 and tstat1 have a positive determinant (FSL reverses x); the others are radiological.
    for (const f of [
      'narps-4735_50GV-hypo1_unthresh.nii.gz',
      'narps-4965_9U7M-hypo1_unthresh.nii.gz',
      'spmMotor.nii.gz',
      'tstat1.nii.gz',
      'stats.nv_demo_mskd.nii.gz',
    ]) {
      it(f, async () => {
        expectSmoothest(await ours(real(f)), reference(real(f)));
      });
    }

    it('spmMotor with its x axis flipped to neurological: FSL reverses x, so the one-sided sums change', async () => {
      const img = await readNiftiFile(real('spmMotor.nii.gz'));
      const file = write('spmMotor-neurological.nii', img.dims, img.frame(0), NEUROLOGICAL);
      const got = await ours(file);
      expectSmoothest(got, reference(file));
      expect(got.dlh).not.toBe((await ours(real('spmMotor.nii.gz'))).dlh);
    });

    it("a given mask (> 0.5 counts) instead of the map's non-zero voxels", async () => {
      const img = await readNiftiFile(real('spmMotor.nii.gz'));
      const z = img.frame(0);
      const mask = z.map((v) => (Math.abs(v) > 1 ? 1 : 0.4));
      const path = write('mask.nii', img.dims, mask, Array.from(img.affine));
      expectSmoothest(await ours(real('spmMotor.nii.gz'), path), reference(real('spmMotor.nii.gz'), path));
    });
  },
);

describe('smoothest on synthetic maps and edge cases', () => {
  const dims: Dims = [40, 36, 32];

  it('smooth noise of known FWHM: equal to the reference, and near the FWHM it was made with', async () => {
    const sigma = 1.5;
    for (const [name, affine] of [
      ['radiological', undefined],
      ['neurological', NEUROLOGICAL],
    ] as const) {
      const file = write(`noise-${name}.nii`, dims, smoothNoise(dims, sigma, 5), affine);
      const got = await ours(file);
      expectSmoothest(got, reference(file));
      const fwhm = sigma * Math.sqrt(8 * Math.LN2);
      for (const f of got.fwhmVoxels) expect(Math.abs(f - fwhm) / fwhm).toBeLessThan(0.06);
      expect(got.warnings).toEqual([]);
    }
  });

  it('negative lag-1 correlation along x: FSL takes |ratio|', async () => {
    const data = smoothNoise(dims, 1.2, 9).map((v, i) => (i % 2 === 0 ? v : -v));
    const file = write('negative.nii', dims, data);
    const got = await ours(file);
    expectSmoothest(got, reference(file));
    expect(Number.isFinite(got.dlh)).toBe(true);
  });

  it('a checkerboard (ratio -1) gives no estimate, with a warning, as FSL gives none', async () => {
    const data = new Float32Array(dims[0] * dims[1] * dims[2]).map((_, i) => {
      const x = i % dims[0];
      const y = Math.floor(i / dims[0]) % dims[1];
      const z = Math.floor(i / (dims[0] * dims[1]));
      return (x + y + z) % 2 ? 1 : -1;
    });
    const file = write('checkerboard.nii', dims, data);
    const got = await ours(file);
    expectSmoothest(got, reference(file));
    expect(got.warnings.join(' ')).toMatch(/no smoothness estimate/);
  });

  it("a single slice uses smoothest's 2D form (FWHM z 0, DLH from x and y)", async () => {
    const flat: Dims = [64, 60, 1];
    const file = write('slice.nii', flat, smoothNoise(flat, 2, 13));
    const got = await ours(file);
    expectSmoothest(got, reference(file));
    expect(got.fwhmVoxels[2]).toBe(0);
    expect(got.dlh).toBeCloseTo((4 * Math.LN2) / (got.fwhmVoxels[0] * got.fwhmVoxels[1]), 12);
  });

  it('a constant map: smoothest clamps the ratio to 0.99999 on every axis and warns', async () => {
    const file = write('constant.nii', dims, new Float32Array(dims[0] * dims[1] * dims[2]).fill(3));
    const got = await ours(file);
    expectSmoothest(got, reference(file));
    expect(got.warnings).toHaveLength(3);
    expect(got.fwhmVoxels[0]).toBeCloseTo(Math.sqrt((8 * Math.LN2) / (-4 * Math.log(0.99999))), 6);
  });

  it('an all-zero map: nothing in the mask, no estimate', async () => {
    const file = write('zero.nii', dims, new Float32Array(dims[0] * dims[1] * dims[2]));
    const got = await ours(file);
    expectSmoothest(got, reference(file));
    expect(got.volume).toBe(0);
    expect(got.warnings.join(' ')).toMatch(/no masked voxel/);
  });
});
