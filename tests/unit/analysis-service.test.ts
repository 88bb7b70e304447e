import { describe, expect, it } from 'vitest';
import { clusterTable, type ClusterOptions } from '../../src/analysis/clusters';
import { denseLabels } from '../../src/analysis/sparse-labels';
import { CpuEngine } from '../../src/compute/cpu/engine';
import { AnalysisService } from '../../src/worker/analysis';
import { smoothedNoise } from '../../bench/data';

const INDEX = 'threshold index (CPU)';
const dims: [number, number, number] = [91, 109, 91];
const map = { id: 1, name: 'noise.nii', data: smoothedNoise(dims, 21, 2), dims, affine: [-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1], pixdim: [2, 2, 2] as [number, number, number] };
const opts = (threshold: number): ClusterOptions => ({ threshold, twoSided: true, connectivity: 26, extent: { kind: 'none' }, smoothness: { kind: 'estimate' } });

function service(): AnalysisService {
  const noShaders = (): Promise<never> => Promise.reject(new Error('no shaders in this test'));
  return new AnalysisService(undefined, noShaders, (v) => v, () => new Promise((r) => setTimeout(r, 0)));
}

/** Asks for tables until one comes from the index (it is built in the background), at most ~5 s. */
async function untilIndexed(s: AnalysisService, t: number): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const table = await s.clusters(1, opts(t));
    if (table.engine === INDEX) return table.engine;
    await new Promise((r) => setTimeout(r, 50));
  }
  return 'never indexed';
}

describe('the analysis worker reads moved thresholds from an index of the map', () => {
  it('labels first, indexes once the threshold moves, and answers from the index with the same table', async () => {
    const s = service();
    await s.init('cpu');
    s.addMap(map);
    expect((await s.clusters(1, opts(2.3))).engine).not.toBe(INDEX);
    // The same threshold again: nothing moved, no index.
    expect((await s.clusters(1, opts(2.3))).engine).not.toBe(INDEX);
    await new Promise((r) => setTimeout(r, 300));
    expect((await s.clusters(1, opts(2.3))).engine).not.toBe(INDEX);
    expect((await s.clusters(1, opts(3.1))).engine).not.toBe(INDEX);
    expect(await untilIndexed(s, 2.6)).toBe(INDEX);
    for (const t of [2, 2.45, 3.3, 5]) {
      const got = await s.clusters(1, opts(t));
      const want = await clusterTable(map, opts(t), new CpuEngine());
      expect(got.engine).toBe(INDEX);
      expect(got.clusters).toEqual(want.clusters.map((c, k) => ({ ...c, cog: got.clusters[k]!.cog, mean: got.clusters[k]!.mean })));
      expect(Buffer.from(denseLabels(got.labels).buffer).equals(Buffer.from(want.labels.buffer))).toBe(true);
    }
    // Below the index's floor (2): labelled again, and a new index with the lower floor follows.
    expect((await s.clusters(1, opts(1.5))).engine).not.toBe(INDEX);
    expect(await untilIndexed(s, 1.5)).toBe(INDEX);
    // A removed map takes its index with it.
    s.removeMap(1);
    await expect(s.clusters(1, opts(2.3))).rejects.toThrow(/not loaded/);
  });
});
