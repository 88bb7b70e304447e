import { describe, expect, it } from 'vitest';
import { ClusterIndex } from '../../src/analysis/cluster-index';
import { clusterTable, type ClusterOptions, type ClusterTable, type Extent } from '../../src/analysis/clusters';
import type { GridMap, SizedGrid } from '../../src/analysis/grid';
import { denseLabels } from '../../src/analysis/sparse-labels';
import { CpuEngine } from '../../src/compute/cpu/engine';
import type { Connectivity } from '../../src/compute/engine';
import { readNiftiFile } from '../../src/cli/files';
import { smoothedNoise } from '../../bench/data';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { adversarialVolumes, mulberry32 } from '../helpers/volumes';

const engine = new CpuEngine();
const CONNECTIVITIES: Connectivity[] = [6, 18, 26];

/** The index's table must be the labelling's: same clusters, same order, same label volume. */
function expectSameTable(got: ClusterTable, want: ClusterTable, where: string): void {
  expect(got.clusters.length, `${where}: clusters`).toBe(want.clusters.length);
  expect(got.minVoxels, where).toBe(want.minVoxels);
  got.clusters.forEach((c, k) => {
    const w = want.clusters[k]!;
    const at = `${where}, cluster ${k + 1}`;
    expect([c.index, c.sign, c.voxels, c.volumeMm3, c.p], at).toEqual([w.index, w.sign, w.voxels, w.volumeMm3, w.p]);
    expect(c.peak, at).toEqual(w.peak);
    expect(c.subpeaks, `${at} sub-peaks`).toEqual(w.subpeaks);
    // Sums are added in another order (subtree by subtree rather than x-fastest): equal to rounding.
    c.cog.mm.forEach((v, a) => expect(Math.abs(v - w.cog.mm[a]!), `${at} cog`).toBeLessThan(1e-9));
    expect(Math.abs(c.mean - w.mean), `${at} mean`).toBeLessThan(1e-12 * Math.max(1, Math.abs(w.mean)));
  });
  expect(Buffer.from(got.labels.buffer).equals(Buffer.from(want.labels.buffer)), `${where}: label volume`).toBe(true);
}

async function compareAt(
  map: GridMap<SizedGrid>,
  index: ClusterIndex,
  t: number,
  twoSided: boolean,
  extent: Extent,
  name: string,
): Promise<void> {
  const opts: ClusterOptions = {
    threshold: t,
    twoSided,
    connectivity: index.connectivity,
    extent,
    smoothness: extent.kind === 'grf' ? { kind: 'estimate' } : { kind: 'none' },
  };
  const want = await clusterTable(map, opts, engine);
  const where = `${name} t=${t} c=${index.connectivity} ${twoSided ? 'two' : 'one'}-sided ${extent.kind}`;
  expectSameTable(index.table(opts), want, where);
  const sparse = index.sparseTable(opts);
  expectSameTable({ ...sparse, labels: denseLabels(sparse.labels) }, want, `${where} (sparse)`);
}

const grid = (data: Float32Array, dims: [number, number, number], voxelMm = 2): GridMap<SizedGrid> => ({
  data,
  dims,
  affine: [-voxelMm, 0, 0, 90, 0, voxelMm, 0, -126, 0, 0, voxelMm, -72, 0, 0, 0, 1],
  pixdim: [voxelMm, voxelMm, voxelMm],
});

describe('threshold index (component tree) equals labelling at every threshold', () => {
  it('on smoothed noise of both signs, 6/18/26, one- and two-sided, with and without extents', async () => {
    const dims: [number, number, number] = [31, 27, 23];
    const map = grid(smoothedNoise(dims, 11, 1.5), dims);
    for (const c of CONNECTIVITIES) {
      const index = await ClusterIndex.build(map, 0.5, c);
      for (const t of [0.5, 0.8, 1, 1.7, 2.3, 3.1, 9]) {
        for (const twoSided of [false, true]) {
          await compareAt(map, index, t, twoSided, { kind: 'none' }, 'noise');
          await compareAt(map, index, t, twoSided, { kind: 'voxels', min: 5 }, 'noise');
        }
      }
      await compareAt(map, index, 2.3, true, { kind: 'grf', alpha: 0.05 }, 'noise');
    }
  });

  it('on quantized values (ties everywhere, as int16 maps with a slope have)', async () => {
    const dims: [number, number, number] = [25, 22, 19];
    const noise = smoothedNoise(dims, 5, 2);
    const map = grid(
      noise.map((v) => Math.round(v * 4) / 4),
      dims,
    );
    for (const c of CONNECTIVITIES) {
      const index = await ClusterIndex.build(map, 0.25, c);
      for (const t of [0.25, 0.5, 1, 1.25, 2])
        for (const twoSided of [false, true]) await compareAt(map, index, t, twoSided, { kind: 'none' }, 'quantized');
    }
  });

  it('on volumes built to break labelling (plateaus, checkerboards, spirals, NaN and Inf)', async () => {
    for (const v of adversarialVolumes()) {
      const map = grid(v.data, v.dims);
      for (const c of CONNECTIVITIES) {
        const index = await ClusterIndex.build(map, 0.5, c);
        for (const t of [0.5, 2.3, Math.fround(2.3), 2.5, 4])
          for (const twoSided of [false, true]) await compareAt(map, index, t, twoSided, { kind: 'none' }, v.name);
      }
    }
  });

  it('gives the same tables with sparse labels, query after query', async () => {
    const dims: [number, number, number] = [31, 27, 23];
    const map = grid(smoothedNoise(dims, 12, 1.5), dims);
    // 26-connected: sub-peaks tell membership from the threshold, with no label volume; 6 and 18: from one.
    for (const connectivity of CONNECTIVITIES) {
      const index = await ClusterIndex.build(map, 0.5, connectivity);
      for (const [t, twoSided] of [
        [0.5, true],
        [3, false],
        [1.2, true],
        [0.5, false],
        [9, true],
        [2, true],
      ] as const) {
        const opts: ClusterOptions = {
          threshold: t,
          twoSided,
          connectivity,
          extent: { kind: 'voxels', min: 3 },
          smoothness: { kind: 'none' },
        };
        const sparse = index.sparseTable(opts);
        const dense = await clusterTable(map, opts, engine);
        expectSameTable({ ...sparse, labels: denseLabels(sparse.labels) }, dense, `sparse t=${t} c=${connectivity}`);
        expect(sparse.labels.voxels.length).toBe(dense.labels.filter((c) => c > 0).length);
      }
    }
  });

  it('refuses thresholds below its floor or another connectivity, and a floor of zero', async () => {
    const dims: [number, number, number] = [6, 6, 6];
    const map = grid(Float32Array.from({ length: 216 }, mulberry32(3)), dims);
    const index = await ClusterIndex.build(map, 1, 26);
    expect(index.covers({ threshold: 0.99, connectivity: 26 })).toBe(false);
    expect(index.covers({ threshold: 1, connectivity: 18 })).toBe(false);
    expect(index.covers({ threshold: 1, connectivity: 26 })).toBe(true);
    expect(() =>
      index.table({
        threshold: 0.5,
        twoSided: false,
        connectivity: 26,
        extent: { kind: 'none' },
        smoothness: { kind: 'none' },
      }),
    ).toThrow(RangeError);
    await expect(ClusterIndex.build(map, 0, 26)).rejects.toThrow(RangeError);
  });

  it('pauses while it builds on a 2 mm map, so the worker answers other requests meanwhile', async () => {
    const dims: [number, number, number] = [91, 109, 91];
    const map = grid(smoothedNoise(dims, 4, 2), dims);
    let pauses = 0;
    const index = await ClusterIndex.build(map, 1, 26, () => {
      pauses++;
      return new Promise((r) => setTimeout(r, 0));
    });
    expect(pauses).toBeGreaterThan(0);
    await compareAt(map, index, 2.3, true, { kind: 'grf', alpha: 0.05 }, '2 mm noise');
  });
});

describe.skipIf(!HAS_SHARED)(`threshold index on real maps (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  for (const file of ['spmMotor.nii.gz', 'narps-4965_9U7M-hypo1_unthresh.nii.gz']) {
    it(`${file}: thresholds 2.3 to 6, 6/18/26, one- and two-sided`, async () => {
      const img = await readNiftiFile(real(file));
      const map: GridMap<SizedGrid> = {
        data: img.frame(0),
        dims: img.dims,
        affine: Array.from(img.affine),
        pixdim: [1, 2, 3].map((i) => img.header.pixdim[i]!),
      };
      for (const c of CONNECTIVITIES) {
        const index = await ClusterIndex.build(map, 2.3, c);
        for (const t of [2.3, 3.1, 4.5, 6])
          for (const twoSided of [false, true]) await compareAt(map, index, t, twoSided, { kind: 'none' }, file);
      }
    });
  }
});
