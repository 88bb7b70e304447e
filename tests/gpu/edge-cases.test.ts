import { describe, expect, it } from 'vitest';
import { clusterTable } from '../../src/analysis/clusters';
import { contributionMap, signatureResponses, type NamedMap } from '../../src/analysis/signature';
import { differenceMap } from '../../src/analysis/difference';
import { sphereMeans } from '../../src/analysis/roi';
import { ENGINES, useEngine } from '../helpers/engines';

const MNI2 = [-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1];
const dims: [number, number, number] = [10, 9, 8];
const n = dims[0] * dims[1] * dims[2];
const grid = (data: Float32Array, name = 'map.nii'): NamedMap & { pixdim: number[] } => ({
  name,
  data,
  dims,
  affine: MNI2,
  pixdim: [2, 2, 2],
});
const noSmooth = { extent: { kind: 'none' }, smoothness: { kind: 'none' } } as const;

for (const factory of ENGINES) {
  describe(`bad and awkward input (${factory.name})`, () => {
    const engine = useEngine(factory.make);

    it('NaN and Inf never join clusters or sums', async () => {
      const data = new Float32Array(n).fill(3);
      data[5] = NaN;
      data[6] = Infinity;
      data[7] = -Infinity;
      const t = await clusterTable(
        grid(data),
        { threshold: 2.3, twoSided: true, connectivity: 26, ...noSmooth },
        engine,
      );
      expect(t.clusters).toHaveLength(1);
      expect(t.clusters[0]!.voxels).toBe(n - 3);
      expect(Number.isFinite(t.clusters[0]!.mean)).toBe(true);
      expect([t.labels[5], t.labels[6], t.labels[7]]).toEqual([0, 0, 0]);
      const [r] = await signatureResponses(
        grid(new Float32Array(n).fill(1), 'w.nii'),
        [grid(data)],
        'dot',
        'weights-to-data',
        engine,
      );
      expect(r!.voxels).toBe(n - 3);
      expect(r!.value).toBeCloseTo(3 * (n - 3), 6);
    });

    it('an all-zero map gives no clusters, not an error', async () => {
      const t = await clusterTable(
        grid(new Float32Array(n)),
        { threshold: 2.3, twoSided: true, connectivity: 6, ...noSmooth },
        engine,
      );
      expect(t.clusters).toEqual([]);
      expect(t.labels.every((v) => v === 0)).toBe(true);
    });

    it('weights with no overlap give 0 voxels, a null value and a message', async () => {
      const w = new Float32Array(n);
      const x = new Float32Array(n);
      w.fill(1, 0, n / 2);
      x.fill(2, n / 2);
      for (const metric of ['dot', 'cosine', 'correlation'] as const) {
        const [r] = await signatureResponses(grid(w, 'w.nii'), [grid(x)], metric, 'weights-to-data', engine);
        expect(r).toMatchObject({ value: null, voxels: 0 });
        expect(r!.notes.join(' ')).toMatch(/do not overlap/);
      }
    });

    it('grids that differ are resampled, with a note', async () => {
      const shifted = [-2, 0, 0, 92, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1];
      const w: NamedMap = { name: 'w.nii', data: new Float32Array(n).fill(1), dims, affine: shifted };
      const [r] = await signatureResponses(w, [grid(new Float32Array(n).fill(2))], 'dot', 'weights-to-data', engine);
      expect(r!.notes.join(' ')).toMatch(/weights resampled \(trilinear\)/);
      // Shifted by one voxel along x: one slab of 9x8 voxels falls outside the weights.
      expect(r!.voxels).toBe(n - 9 * 8);
      const contribution = await contributionMap(w, grid(new Float32Array(n).fill(2)), engine);
      expect(contribution.reduce((a, b) => a + b, 0)).toBeCloseTo(r!.value!, 6);
    });

    it('extent thresholds in voxels and mm^3 drop small clusters and renumber the label map', async () => {
      const data = new Float32Array(n);
      data.fill(5, 0, 30); // a 30-voxel run along the first rows
      data[n - 1] = 4; // a lone voxel
      const big = await clusterTable(
        grid(data),
        {
          threshold: 2.3,
          twoSided: false,
          connectivity: 26,
          extent: { kind: 'voxels', min: 2 },
          smoothness: { kind: 'none' },
        },
        engine,
      );
      expect(big.clusters.map((c) => c.voxels)).toEqual([30]);
      expect(big.labels[n - 1]).toBe(0);
      const mm3 = await clusterTable(
        grid(data),
        {
          threshold: 2.3,
          twoSided: false,
          connectivity: 26,
          extent: { kind: 'mm3', min: 8 },
          smoothness: { kind: 'none' },
        },
        engine,
      );
      expect(mm3.clusters.map((c) => c.volumeMm3)).toEqual([240, 8]);
      expect(mm3.labels[n - 1]).toBe(2);
    });
  });
}

describe('ROI means and difference maps', () => {
  it('a 2 mm sphere at an MNI 2 mm voxel centre holds 7 voxels; NaN voxels are skipped', () => {
    const data = Float32Array.from({ length: n }, (_, i) => i);
    const centre = [90 - 2 * 4, -126 + 2 * 4, -72 + 2 * 4] as const; // voxel (4, 4, 4)
    const [r] = sphereMeans(grid(data), [{ name: 's', center: centre, radiusMm: 2 }]);
    expect(r!.voxels).toBe(7);
    const i = 4 + 10 * (4 + 9 * 4);
    expect(r!.mean).toBeCloseTo(i, 10); // the six neighbours are symmetric about the centre
    data[i] = NaN;
    const [s] = sphereMeans(grid(data), [{ name: 's', center: centre, radiusMm: 2 }]);
    expect([s!.voxels, s!.voxelsInSphere]).toEqual([6, 7]);
  });

  it('post - pre on the same grid, and resampled (with a note) when the grids differ', () => {
    const a = grid(new Float32Array(n).fill(1));
    const b = grid(new Float32Array(n).fill(4));
    const d = differenceMap(a, b);
    expect(d.resampled).toBe(false);
    expect(d.data.every((v) => v === 3)).toBe(true);
    const moved = { ...b, affine: [-2, 0, 0, 92, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1] };
    const r = differenceMap(a, moved);
    expect(r.resampled).toBe(true);
    expect(r.note).toMatch(/resampled/);
    // a's voxel i sits at x = 90 - 2i mm, the moved b's voxel i + 1 there: a's last column has no b.
    expect(r.data[0]).toBe(3);
    expect(Number.isNaN(r.data[9])).toBe(true);
  });
});
