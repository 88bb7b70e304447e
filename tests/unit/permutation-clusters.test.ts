import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../helpers/volumes';
import type { Connectivity } from '../../src/compute/engine';
import { labelComponents } from '../../src/compute/cpu/labels';
import { ClusterScratch, supraLattice } from '../../src/compute/cpu/permutation-clusters';
import type { MaskGeometry } from '../../src/compute/permutation';

/**
 * A random mask (touching every face of the grid; `density` of the voxels, and now and then a whole
 * slice or row left out) and float32 t values at its voxels, many above 1.
 */
function study(
  dims: [number, number, number],
  seed: number,
  density = 0.8,
): { geometry: MaskGeometry; t: Float32Array } {
  const rnd = mulberry32(seed);
  const idx: number[] = [];
  const [nx, ny] = dims;
  const gapSlice = Math.floor(rnd() * dims[2] * 2);
  const gapRow = Math.floor(rnd() * ny * 2);
  for (let i = 0; i < dims[0] * dims[1] * dims[2]; i++) {
    const z = Math.floor(i / (nx * ny));
    const y = Math.floor(i / nx) % ny;
    if (z !== gapSlice && y !== gapRow && rnd() < density) idx.push(i);
  }
  const t = Float32Array.from(idx, () => (rnd() - 0.5) * 5);
  return { geometry: { dims, voxelIndex: Uint32Array.from(idx) }, t };
}

/** The largest cluster and mass by the whole-volume labelling (labelComponents), each mass summed in voxel order. */
function reference(
  { dims, voxelIndex }: MaskGeometry,
  t: Float32Array,
  threshold: number,
  twoSided: boolean,
  connectivity: Connectivity,
): { extent: number; mass: number } {
  const data = new Float32Array(dims[0] * dims[1] * dims[2]);
  voxelIndex.forEach((i, j) => (data[i] = t[j]!));
  const labels = labelComponents({ data, dims, threshold, twoSided, connectivity });
  const count = new Map<number, number>();
  const mass = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    const r = labels[i]!;
    if (r < 0) continue;
    count.set(r, (count.get(r) ?? 0) + 1);
    mass.set(r, (mass.get(r) ?? 0) + Math.abs(data[i]!));
  }
  return { extent: Math.max(0, ...count.values()), mass: Math.max(0, ...mass.values()) };
}

describe('ClusterScratch: the largest cluster and mass of a permuted map from its supra-threshold voxels alone', () => {
  // Grids with one- and two-voxel sides, where a neighbour's index would wrap to another row or slice.
  const grids: [number, number, number][] = [
    [7, 6, 5],
    [1, 4, 3],
    [4, 1, 3],
    [3, 2, 4],
    [2, 2, 2],
    [5, 5, 1],
    [9, 3, 2],
    [1, 1, 6],
    [1, 1, 1],
    [6, 1, 1],
  ];
  for (const connectivity of [6, 18, 26] as const) {
    it(`${connectivity}-connected: extent and mass as the whole-volume labelling, one- and two-sided, at every face`, () => {
      let seed = 1;
      for (const dims of grids) {
        for (let k = 0; k < 8; k++) {
          const { geometry, t } = study(dims, seed++, k < 4 ? 0.8 : 0.35);
          const scratch = new ClusterScratch(t.length);
          const lattice = supraLattice(geometry, connectivity);
          for (const twoSided of [false, true]) {
            for (const threshold of [0.3, 1, 2]) {
              scratch.begin();
              scratch.addMap(t, threshold, twoSided);
              expect(scratch.finish(lattice), `${dims} seed ${seed} u ${threshold}`).toEqual(
                reference(geometry, t, threshold, twoSided, connectivity),
              );
            }
          }
          scratch.begin();
          scratch.addMirror(t, 1);
          expect(scratch.finish(lattice)).toEqual(
            reference(
              geometry,
              t.map((v) => -v),
              1,
              false,
              connectivity,
            ),
          );
        }
      }
    });
  }

  it('refuses a mask whose voxels are out of order or outside the grid (its neighbours would be wrong)', () => {
    expect(() => supraLattice({ dims: [4, 1, 1], voxelIndex: Uint32Array.from([2, 0, 1]) }, 6)).toThrow(/out of order/);
    expect(() => supraLattice({ dims: [2, 1, 1], voxelIndex: Uint32Array.from([0, 1, 7]) }, 6)).toThrow(/outside/);
  });

  it('no voxel above the threshold: 0 and 0', () => {
    const { geometry, t } = study([4, 4, 4], 9);
    const scratch = new ClusterScratch(t.length);
    scratch.begin();
    scratch.addMap(t, 100, true);
    expect(scratch.finish(supraLattice(geometry, 26))).toEqual({ extent: 0, mass: 0 });
  });
});
