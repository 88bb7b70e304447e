import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GroupStack, MaskGeometry, PermutationBatch } from '../../src/compute/permutation';
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
        const q = ((x - (nx - 1) / 2) / (nx / 2)) ** 2 + ((y - (ny - 1) / 2) / (ny / 2)) ** 2 + ((z - (nz - 1) / 2) / (nz / 2)) ** 2;
        if (q <= 1) out.push(x + nx * (y + ny * z));
      }
  return Uint32Array.from(out);
}

/** n subjects' maps at the mask: smooth noise plus `effect` times a blob at the box's centre. */
export function syntheticStack(dims: Dims, n: number, seed: number, effect: number, voxelIndex: Uint32Array): GroupStack {
  const rand = mulberry32(seed);
  const [nx, ny, nz] = dims;
  const values = new Float32Array(n * voxelIndex.length);
  for (let i = 0; i < n; i++) {
    const noise = smoothNoise(dims, 1, rand);
    voxelIndex.forEach((f, j) => {
      const x = f % nx, y = Math.floor(f / nx) % ny, z = Math.floor(f / (nx * ny));
      const d2 = (x - nx / 3) ** 2 + (y - ny / 2) ** 2 + (z - nz / 2) ** 2;
      values[i * voxelIndex.length + j] = noise[f]! + effect * Math.exp(-d2 / 8);
    });
  }
  return { subjects: n, voxels: voxelIndex.length, values };
}

/** Writes a study for scripts/numpy_group.py engine. */
export function writeEngineCase(stack: GroupStack, batch: PermutationBatch, geometry: MaskGeometry, meta: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'siglens-group-'));
  writeFileSync(join(dir, 'stack.f32'), stack.values);
  writeFileSync(join(dir, 'codes.f32'), batch.codes);
  writeFileSync(join(dir, 'voxels.u32'), geometry.voxelIndex);
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ subjects: stack.subjects, voxels: stack.voxels, count: batch.count, kind: batch.kind, dims: geometry.dims, ...meta }));
  return dir;
}
