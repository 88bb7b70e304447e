// Benchmark inputs, generated (bench/out/ is not committed): smoothed-noise z-maps on 2 mm and 1 mm grids.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeNifti1, type Volume } from '../src/nifti';
import { mulberry32 } from '../scripts/sample-data/field';

export const OUT = join(import.meta.dirname, 'out');

export const GRIDS = {
  '2mm': {
    dims: [91, 109, 91] as [number, number, number],
    affine: [-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1],
  },
  '1mm': {
    dims: [182, 218, 182] as [number, number, number],
    affine: [-1, 0, 0, 90, 0, 1, 0, -126, 0, 0, 1, -72, 0, 0, 0, 1],
  },
};
export type GridName = keyof typeof GRIDS;

/** Unit-variance Gaussian noise smoothed with sigma = 2 voxels (the "smoothed-noise z-map"). */
export function smoothedNoise(dims: [number, number, number], seed: number, sigma = 2): Float32Array {
  const n = dims[0] * dims[1] * dims[2];
  const rnd = mulberry32(seed);
  let data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const radius = Math.ceil(3 * sigma);
  const k = Array.from({ length: 2 * radius + 1 }, (_, j) => Math.exp(-((j - radius) ** 2) / (2 * sigma * sigma)));
  const norm = Math.sqrt(k.reduce((a, b) => a + b * b, 0)) ** 3;
  const steps = [1, dims[0], dims[0] * dims[1]];
  for (let axis = 0; axis < 3; axis++) {
    const out = new Float32Array(n);
    const step = steps[axis]!;
    const len = dims[axis]!;
    for (let i = 0; i < n; i++) {
      const c = Math.floor(i / step) % len;
      let s = 0;
      for (let j = -radius; j <= radius; j++) if (c + j >= 0 && c + j < len) s += k[j + radius]! * data[i + j * step]!;
      out[i] = s;
    }
    data = out;
  }
  for (let i = 0; i < n; i++) data[i] = data[i]! / norm;
  return data;
}

export function volume(grid: GridName, data: Float32Array, name: string): Volume {
  const g = GRIDS[grid];
  return {
    name,
    dims: g.dims,
    frames: 1,
    frame: 0,
    pixdim: [Math.abs(g.affine[0]!), g.affine[5]!, g.affine[10]!],
    affine: g.affine,
    affineSource: 'sform',
    datatype: { code: 16, name: 'float32', bytes: 4 },
    intent: { code: 5, kind: 'zscore', name: '', p1: 0, p2: 0, p3: 0 },
    description: 'benchmark smoothed noise',
    data,
  };
}

/** Writes (once) a smoothed-noise map as .nii and .nii.gz; returns both paths. */
export function noiseMap(grid: GridName, seed: number): { nii: string; gz: string } {
  mkdirSync(OUT, { recursive: true });
  const base = join(OUT, `noise_${grid}_${seed}`);
  const paths = { nii: `${base}.nii`, gz: `${base}.nii.gz` };
  if (!existsSync(paths.gz)) {
    const bytes = writeNifti1(volume(grid, smoothedNoise(GRIDS[grid].dims, seed), `noise_${grid}_${seed}`));
    writeFileSync(paths.nii, bytes);
    writeFileSync(paths.gz, gzipSync(bytes, { level: 6 }));
  }
  return paths;
}
