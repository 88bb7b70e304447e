import { describe, expect, it } from 'vitest';
import { voxelToVoxel } from '../../src/analysis/grid';
import { axisTables } from '../../src/compute/resample-axes';
import { ENGINES, useEngine } from '../helpers/engines';

type Dims = [number, number, number];
const dims: Dims = [6, 5, 4];
const count = dims[0] * dims[1] * dims[2];
const at = (x: number, y: number, z: number, d: Dims = dims): number => x + d[0] * (y + d[1] * z);
const shifted = (dx: number, dy = 0, dz = 0): number[] => [1, 0, 0, dx, 0, 1, 0, dy, 0, 0, 1, dz, 0, 0, 0, 1];
const IDENTITY = shifted(0);

/** Trilinear interpolation written out from its definition (8 corners), float64, for the checks below. */
function direct(src: Float32Array, d: Dims, c: [number, number, number]): number {
  const lo = c.map((v, a) => Math.min(Math.floor(v), d[a]! - 2));
  let s = 0;
  for (let corner = 0; corner < 8; corner++) {
    const p = [0, 1, 2].map((a) => ((corner >> a) & 1) as 0 | 1);
    const w = p.reduce<number>((acc, bit, a) => acc * (bit ? c[a]! - lo[a]! : 1 - (c[a]! - lo[a]!)), 1);
    s += w * src[at(lo[0]! + p[0]!, lo[1]! + p[1]!, lo[2]! + p[2]!, d)]!;
  }
  return s;
}

const random = (n: number, seed: number): Float32Array => {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
};

for (const factory of ENGINES) {
  describe(`trilinear resampling without snapping (${factory.name})`, () => {
    const engine = useEngine(factory.make);
    const resample = (source: Float32Array, sourceAffine: number[], targetAffine: number[], targetDims: Dims = dims) =>
      engine.resample({
        source,
        sourceDims: dims,
        targetDims,
        targetToSource: voxelToVoxel(sourceAffine, targetAffine),
      });

    it('a position 1e-6 voxel beside a grid point takes that share of its non-zero neighbour', async () => {
      const src = new Float32Array(count);
      src[at(3, 2, 1)] = 1000;
      // The target grid sits 1e-6 voxel along x: target (2,2,1) samples x = 2 + 1e-6.
      const out = await resample(src, IDENTITY, shifted(1e-6));
      expect(out[at(2, 2, 1)]).not.toBe(0);
      expect(Math.abs(out[at(2, 2, 1)]! - 1000 * 1e-6)).toBeLessThanOrEqual(1e-4 * 1000 * 1e-6);
      expect(Math.abs(out[at(3, 2, 1)]! - 1000 * (1 - 1e-6))).toBeLessThanOrEqual(1e-4);
      expect(out.filter((v) => v !== 0)).toHaveLength(2);
    });

    it('within 1e-6 voxel outside the edge counts as inside; beyond it is 0', async () => {
      const src = new Float32Array(count).fill(5);
      const inside = await resample(src, IDENTITY, shifted(-0.9e-6));
      expect(inside[at(0, 2, 1)]).toBeCloseTo(5, 5);
      const outside = await resample(src, IDENTITY, shifted(-1.1e-6));
      expect(outside[at(0, 2, 1)]).toBe(0);
      expect(outside[at(1, 2, 1)]).toBeCloseTo(5, 5);
      const top = await resample(src, IDENTITY, shifted(0, 0, 0.9e-6));
      expect(top[at(2, 2, 3)]).toBeCloseTo(5, 5);
      const over = await resample(src, IDENTITY, shifted(0, 0, 1.1e-6));
      expect(over[at(2, 2, 3)]).toBe(0);
    });

    it('flipped and permuted grid-aligned axes (the table path) equal trilinear from its definition', async () => {
      const src = random(count, 7);
      const source = [-2, 0, 0, 10, 0, 2, 0, -4, 0, 0, 2.4000000954, -3, 0, 0, 0, 1];
      // Target axes: x runs along the source's y, y along its z, z along its x (mm scales differ).
      const target = [0, 0, -1.5, 9.3, 1.7, 0, 0, -3.9, 0, 1.9, 0, -2.7, 0, 0, 0, 1];
      const tdims: Dims = [5, 4, 7];
      const req = { source: src, sourceDims: dims, targetDims: tdims, targetToSource: voxelToVoxel(source, target) };
      expect(axisTables(req)?.driver).toEqual([2, 0, 1]);
      const out = await engine.resample(req);
      const m = req.targetToSource;
      const tol = engine.kind === 'gpu' ? 1e-5 : 1e-7;
      let inside = 0;
      for (let k = 0; k < tdims[2]; k++)
        for (let j = 0; j < tdims[1]; j++)
          for (let i = 0; i < tdims[0]; i++) {
            const c: [number, number, number] = [0, 1, 2].map(
              (r) => m[4 * r]! * i + m[4 * r + 1]! * j + m[4 * r + 2]! * k + m[4 * r + 3]!,
            ) as [number, number, number];
            const ok = c.every((v, a) => v >= 0 && v <= dims[a]! - 1);
            const got = out[at(i, j, k, tdims)]!;
            if (!ok) expect(got).toBe(0);
            else {
              inside++;
              expect(Math.abs(got - direct(src, dims, c))).toBeLessThanOrEqual(tol);
            }
          }
      expect(inside).toBeGreaterThan(20);
    });

    it('an oblique mapping gives the float64 positions on every engine (the GPU resamples it on the host)', async () => {
      const src = random(count, 11);
      const a = Math.PI / 17;
      const target = [Math.cos(a), -Math.sin(a), 0, 0.3, Math.sin(a), Math.cos(a), 0, -0.2, 0, 0, 1, 0.1, 0, 0, 0, 1];
      const req = { source: src, sourceDims: dims, targetDims: dims, targetToSource: voxelToVoxel(IDENTITY, target) };
      expect(axisTables(req)).toBeNull();
      const out = await engine.resample(req);
      const m = req.targetToSource;
      for (let k = 0; k < dims[2]; k++)
        for (let j = 0; j < dims[1]; j++)
          for (let i = 0; i < dims[0]; i++) {
            const c = [0, 1, 2].map((r) => m[4 * r]! * i + m[4 * r + 1]! * j + m[4 * r + 2]! * k + m[4 * r + 3]!) as [
              number,
              number,
              number,
            ];
            const ok = c.every((v, d) => v >= 0 && v <= dims[d]! - 1);
            const want = ok ? Math.fround(direct(src, dims, c)) : 0;
            expect(Math.abs(out[at(i, j, k)]! - want)).toBeLessThanOrEqual(1e-6);
          }
    });
  });
}
