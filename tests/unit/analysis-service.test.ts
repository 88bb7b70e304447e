import type { Remote } from 'comlink';
import { describe, expect, it } from 'vitest';
import { clusterTable, type ClusterOptions } from '../../src/analysis/clusters';
import { denseLabels } from '../../src/analysis/sparse-labels';
import { mapEntry } from '../../src/app/maps/maps';
import { PageIndexes } from '../../src/app/page/page-indexes';
import { CpuEngine } from '../../src/compute/cpu/engine';
import type { AnalysisApi } from '../../src/worker/analysis-api';
import { AnalysisService } from '../../src/worker/analysis';
import { GRIDS, smoothedNoise, volume } from '../../bench/data';

const INDEX = 'threshold index (CPU)';
const opts = (threshold: number): ClusterOptions => ({
  threshold,
  twoSided: true,
  connectivity: 26,
  extent: { kind: 'none' },
  smoothness: { kind: 'estimate' },
});

/** The worker's service, called directly (as comlink would, minus the thread). */
async function service(): Promise<AnalysisService> {
  const noShaders = (): Promise<never> => Promise.reject(new Error('no shaders in this test'));
  let pauses = 0;
  const s = new AnalysisService(
    undefined,
    noShaders,
    (v) => v,
    () => new Promise((r) => setTimeout(r, pauses++ % 2)),
  );
  await s.init('cpu');
  return s;
}

describe('threshold indexes: built by the worker once a threshold moves, read on the page', () => {
  it('labels first, then answers moved thresholds from the handed-over index with the same tables', async () => {
    const s = await service();
    // The page's copy of the map and the worker's are different arrays, as across a thread.
    const page = mapEntry(1, volume('2mm', smoothedNoise(GRIDS['2mm'].dims, 21, 2), 'noise.nii'), {
      url: null,
      fileKey: 'noise',
      loadId: null,
    });
    const v = page.volume;
    s.addMap({ id: 1, name: v.name, data: v.data.slice(), dims: v.dims, affine: v.affine, pixdim: v.pixdim });
    const indexes = new PageIndexes(s as unknown as Remote<AnalysisApi>);
    // The first threshold, and the same again: nothing moved, no index asked for.
    expect(indexes.table(page, opts(2.3))).toBeNull();
    expect(indexes.table(page, opts(2.3))).toBeNull();
    // Moved: the worker builds one (pausing for other requests meanwhile, which it answers).
    expect(indexes.table(page, opts(3.1))).toBeNull();
    expect((await s.clusters(1, opts(3.1))).engine).not.toBe(INDEX);
    let table = null;
    for (let i = 0; i < 100 && !table; i++) {
      await new Promise((r) => setTimeout(r, 50));
      table = indexes.table(page, opts(2.6));
    }
    expect(table?.engine).toBe(INDEX);
    for (const t of [2, 2.45, 3.3, 5]) {
      const got = indexes.table(page, opts(t))!;
      const want = await clusterTable(
        { data: v.data, dims: v.dims, affine: v.affine, pixdim: v.pixdim },
        opts(t),
        new CpuEngine(),
      );
      expect(got.engine).toBe(INDEX);
      expect(got.smoothness).toEqual(want.smoothness);
      expect(got.clusters.map((c) => [c.index, c.voxels, c.p, c.peak, c.subpeaks])).toEqual(
        want.clusters.map((c) => [c.index, c.voxels, c.p, c.peak, c.subpeaks]),
      );
      expect(Buffer.from(denseLabels(got.labels).buffer).equals(Buffer.from(want.labels.buffer))).toBe(true);
    }
    // Below the floor (2) or another connectivity: the worker's labelling again, and a new index is asked for.
    expect(indexes.table(page, opts(1.5))).toBeNull();
    expect(indexes.table(page, { ...opts(2.3), connectivity: 6 })).toBeNull();
  });

  it('the handover carries the index arrays and the smoothness, and refuses parts that do not fit', async () => {
    const s = await service();
    const v = volume('2mm', smoothedNoise(GRIDS['2mm'].dims, 5, 2), 'noise.nii');
    s.addMap({ id: 7, name: v.name, data: v.data, dims: v.dims, affine: v.affine, pixdim: v.pixdim });
    const h = await s.clusterIndex(7, 2, 18);
    expect([h.floor, h.connectivity, h.sums.length]).toEqual([2, 18, 4 * h.order.length]);
    expect(h.order.length).toBeGreaterThan(0);
    expect(h.smoothness.fwhmVoxels.every((f) => f > 3 && f < 6)).toBe(true);
    const { ClusterIndex } = await import('../../src/analysis/cluster-index');
    const grid = { data: v.data, dims: v.dims, affine: v.affine, pixdim: v.pixdim };
    expect(() => ClusterIndex.fromParts(grid, { ...h, parent: h.parent.subarray(1) })).toThrow(RangeError);
    // Local maxima are flagged for 26-connected indexes only, one flag per indexed voxel.
    expect(h.localMax).toBeNull();
    const h26 = await s.clusterIndex(7, 2, 26);
    expect(h26.localMax?.length).toBe(h26.order.length);
    expect(
      ClusterIndex.fromParts(grid, h26).sparseTable({
        threshold: 2.5,
        twoSided: true,
        connectivity: 26,
        extent: { kind: 'none' },
        smoothness: { kind: 'none' },
      }).clusters.length,
    ).toBeGreaterThan(0);
    expect(() => ClusterIndex.fromParts(grid, { ...h26, localMax: h26.localMax!.subarray(1) })).toThrow(RangeError);
    expect(() => ClusterIndex.fromParts(grid, { ...h26, localMax: null })).toThrow(RangeError);
  });
});
