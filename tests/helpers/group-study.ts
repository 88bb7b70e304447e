import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GroupStack, MaskGeometry, PermutationBatch } from '../../src/compute/permutation';
import type { GroupInput } from '../../src/analysis/group/run';
import { writeNifti1, type Volume } from '../../src/nifti';
import { mulberry32, type Dims } from './volumes';

/** Smoothed Gaussian noise (three box passes of half-width r along each axis), unit variance. */
export function smoothNoise(dims: Dims, r: number, rand: () => number): Float64Array {
  const [nx, ny, nz] = dims;
  let a = new Float64Array(nx * ny * nz);
  for (let i = 0; i < a.length; i += 2) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const m = Math.sqrt(-2 * Math.log(u));
    a[i] = m * Math.cos(2 * Math.PI * v);
    if (i + 1 < a.length) a[i + 1] = m * Math.sin(2 * Math.PI * v);
  }
  const steps = [1, nx, nx * ny];
  const sizes = [nx, ny, nz];
  for (let pass = 0; pass < 3 && r > 0; pass++) {
    for (let axis = 0; axis < 3; axis++) {
      const b = new Float64Array(a.length);
      const st = steps[axis]!;
      const len = sizes[axis]!;
      for (let i = 0; i < a.length; i++) {
        const c = Math.floor(i / st) % len;
        let s = 0;
        let k = 0;
        for (let d = -r; d <= r; d++) {
          if (c + d < 0 || c + d >= len) continue;
          s += a[i + d * st]!;
          k++;
        }
        b[i] = s / k;
      }
      a = b;
    }
  }
  let ss = 0;
  for (const v of a) ss += v * v;
  const sd = Math.sqrt(ss / a.length);
  for (let i = 0; i < a.length; i++) a[i] = a[i]! / sd;
  return a;
}

/** An ellipsoid mask filling most of the box. */
export function ellipsoidMask(dims: Dims): Uint32Array {
  const [nx, ny, nz] = dims;
  const out: number[] = [];
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const q =
          ((x - (nx - 1) / 2) / (nx / 2)) ** 2 +
          ((y - (ny - 1) / 2) / (ny / 2)) ** 2 +
          ((z - (nz - 1) / 2) / (nz / 2)) ** 2;
        if (q <= 1) out.push(x + nx * (y + ny * z));
      }
  return Uint32Array.from(out);
}

/** n subjects' maps at the mask: smooth noise plus `effect` times a blob at the box's centre. */
export function syntheticStack(
  dims: Dims,
  n: number,
  seed: number,
  effect: number,
  voxelIndex: Uint32Array,
): GroupStack {
  const rand = mulberry32(seed);
  const [nx, ny, nz] = dims;
  const values = new Float32Array(n * voxelIndex.length);
  for (let i = 0; i < n; i++) {
    const noise = smoothNoise(dims, 1, rand);
    voxelIndex.forEach((f, j) => {
      const x = f % nx,
        y = Math.floor(f / nx) % ny,
        z = Math.floor(f / (nx * ny));
      const d2 = (x - nx / 3) ** 2 + (y - ny / 2) ** 2 + (z - nz / 2) ** 2;
      values[i * voxelIndex.length + j] = noise[f]! + effect * Math.exp(-d2 / 8);
    });
  }
  return { subjects: n, voxels: voxelIndex.length, values };
}

/** Writes a study for scripts/numpy_group.py engine. */
export function writeEngineCase(
  stack: GroupStack,
  batch: PermutationBatch,
  geometry: MaskGeometry,
  meta: Record<string, unknown>,
): string {
  const dir = mkdtempSync(join(tmpdir(), 'siglens-group-'));
  writeFileSync(join(dir, 'stack.f32'), stack.values);
  writeFileSync(join(dir, 'codes.f32'), batch.codes);
  writeFileSync(join(dir, 'voxels.u32'), geometry.voxelIndex);
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({
      subjects: stack.subjects,
      voxels: stack.voxels,
      count: batch.count,
      kind: batch.kind,
      dims: geometry.dims,
      ...meta,
    }),
  );
  return dir;
}

/** Writes a float32 .nii map on a 2 mm grid. */
export function writeMap(path: string, dims: Dims, data: Float32Array): string {
  const vol: Volume = {
    name: path,
    dims,
    frames: 1,
    frame: 0,
    pixdim: [2, 2, 2],
    affine: [-2, 0, 0, 40, 0, 2, 0, -40, 0, 0, 2, -30, 0, 0, 0, 1],
    affineSource: 'sform',
    datatype: { code: 16, name: 'float32', bytes: 4 },
    intent: { code: 0, kind: 'none', name: '', p1: 0, p2: 0, p3: 0 },
    description: 'synthetic group test map',
    data,
  };
  writeFileSync(path, writeNifti1(vol));
  return path;
}

/**
 * A small paired study on disk: n subjects' sub-XX_ses-pre / ses-post maps (smooth noise, an effect
 * blob in post), outside an ellipsoid 0. Returns the directory and the files.
 */
export function writePairedStudy(
  dims: Dims,
  n: number,
  seed: number,
  effect: number,
): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'siglens-study-'));
  const mask = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (const i of ellipsoidMask(dims)) mask[i] = 1;
  const rand = mulberry32(seed);
  const files: string[] = [];
  for (let s = 1; s <= n; s++) {
    for (const ses of ['pre', 'post']) {
      const noise = smoothNoise(dims, 1, rand);
      const data = new Float32Array(noise.length);
      for (let i = 0; i < data.length; i++) {
        if (!mask[i]) continue;
        const x = i % dims[0],
          y = Math.floor(i / dims[0]) % dims[1],
          z = Math.floor(i / (dims[0] * dims[1]));
        const blob =
          ses === 'post'
            ? effect * Math.exp(-((x - dims[0] / 3) ** 2 + (y - dims[1] / 2) ** 2 + (z - dims[2] / 2) ** 2) / 8)
            : 0;
        data[i] = 3 + noise[i]! + blob;
      }
      files.push(writeMap(join(dir, `sub-${String(s).padStart(2, '0')}_ses-${ses}_zstat.nii`), dims, data));
    }
  }
  return { dir, files };
}

/**
 * A one-sample study's GroupInput on a 2 mm grid over `dims` (z 2.3, 26-connected, one-sided, every
 * sign flip, no TFCE), with what a test changes given in `over`.
 */
export function oneSampleInput(
  dims: Dims,
  voxelIndex: Uint32Array,
  stack: GroupStack,
  over: Partial<GroupInput> = {},
): GroupInput {
  return {
    design: 'one-sample',
    contrast: 'mean > 0',
    subjects: [],
    stack,
    geometry: { dims, voxelIndex },
    labels: null,
    excluded: [],
    grid: { dims, affine: [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1], pixdim: [2, 2, 2] },
    thresholdZ: 2.3,
    twoSided: false,
    connectivity: 26,
    permutations: 'all',
    seed: 0,
    tfce: null,
    ...over,
  };
}
