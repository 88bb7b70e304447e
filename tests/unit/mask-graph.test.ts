import { describe, expect, it } from 'vitest';
import { adoptGraph, blockedGraph, TFCE_BLOCK, type MaskGraph } from '../../src/compute/cpu/mask-graph';
import type { Connectivity } from '../../src/compute/engine';
import type { MaskGeometry } from '../../src/compute/permutation';

/** A random mask over a volume whose sides are not multiples of the block, touching every face. */
function randomMask(dims: [number, number, number], seed: number): MaskGeometry {
  let s = seed;
  const rnd = (): number => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const idx: number[] = [];
  for (let i = 0; i < dims[0] * dims[1] * dims[2]; i++) if (rnd() < 0.6) idx.push(i);
  return { dims, voxelIndex: Uint32Array.from(idx) };
}

function xyz(i: number, [nx, ny]: readonly number[]): [number, number, number] {
  return [i % nx!, Math.floor(i / nx!) % ny!, Math.floor(i / (nx! * ny!))];
}

/** Whether two voxels touch under the connectivity (by how many axes they differ by one). */
function touches(a: number, b: number, dims: readonly number[], c: Connectivity): boolean {
  const p = xyz(a, dims);
  const q = xyz(b, dims);
  const d = p.map((v, k) => Math.abs(v - q[k]!));
  if (a === b || d.some((v) => v > 1)) return false;
  const axes = d[0]! + d[1]! + d[2]!;
  return c === 26 || (c === 18 ? axes <= 2 : axes === 1);
}

/** The neighbour sets a graph lists, as the mask's voxel numbers (through `order` when it has one). */
function listed(g: MaskGraph, order: Int32Array): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  const at = (r: number): number => order[r]!;
  for (let r = 0; r + 1 < g.start.length; r++)
    out.set(at(r), new Set(Array.from(g.nbrs.subarray(g.start[r]!, g.start[r + 1]!), at)));
  return out;
}

describe('mask graphs: neighbour lists over the masked voxels', () => {
  const geometry = randomMask([7, 6, 5], 3);
  const m = geometry.voxelIndex.length;
  const brute = (c: Connectivity): Map<number, Set<number>> => {
    const out = new Map<number, Set<number>>();
    for (let j = 0; j < m; j++) {
      const set = new Set<number>();
      for (let k = 0; k < m; k++)
        if (touches(geometry.voxelIndex[j]!, geometry.voxelIndex[k]!, geometry.dims, c)) set.add(k);
      out.set(j, set);
    }
    return out;
  };

  for (const c of [6, 18, 26] as const) {
    it(`${c}-connected: every neighbour, in block order`, () => {
      const b = blockedGraph(geometry, c);
      expect(listed(b, b.order)).toEqual(brute(c));
    });
  }

  it('numbers the voxels block by block: a permutation of the mask in which each block is contiguous', () => {
    const { order } = blockedGraph(geometry, 6);
    expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({ length: m }, (_, j) => j));
    const block = (j: number): string =>
      xyz(geometry.voxelIndex[j]!, geometry.dims)
        .map((v) => Math.floor(v / TFCE_BLOCK))
        .join();
    const seen = new Set<string>();
    let last = '';
    for (const j of order) {
      const b = block(j);
      if (b !== last) expect(seen.has(b)).toBe(false);
      seen.add(b);
      last = b;
    }
  });

  it('is built once per geometry, and a graph handed over from another thread is the one used', () => {
    expect(blockedGraph(geometry, 26)).toBe(blockedGraph(geometry, 26));
    const other: MaskGeometry = { dims: geometry.dims, voxelIndex: geometry.voxelIndex.slice() };
    const given = { ...blockedGraph(geometry, 18) };
    adoptGraph(other, 18, given);
    expect(blockedGraph(other, 18)).toBe(given);
    expect(blockedGraph(other, 26)).not.toBe(given);
  });
});
