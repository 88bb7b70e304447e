import { describe, expect, inject, it } from 'vitest';
import { HAS_SHARED, SHARED_MISSING } from '../helpers/shared';
import { openPage, useBrowser } from './browser';
import type { Comparison } from './pages/gpu-compare';
import type { PermutationComparison } from './pages/gpu-permutation';

/** The same WGSL, in the page's own WebGPU (Chromium on SwiftShader), against the CPU engine in the page. */
describe.skipIf(!HAS_SHARED)(
  `the WebGPU engine in headless Chromium equals the CPU engine (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    const browser = useBrowser();

    it('cluster tables, label volumes and signature responses on real maps', async () => {
      const { page, errors } = await openPage(browser, inject('baseUrl'));
      const shared = inject('sharedUrl');
      await page.addScriptTag({ url: '/tests/e2e/pages/gpu-compare.ts', type: 'module' });
      await page.waitForFunction(() => 'gpuCompare' in window);
      const result = await page.evaluate(
        (url: string) => (window as unknown as { gpuCompare: (s: string) => Promise<Comparison> }).gpuCompare(url),
        shared,
      );
      console.log(`Chromium WebGPU adapter: ${result.adapter}`);
      expect(result.adapter).toMatch(/WebGPU/);
      expect(result.tables.length).toBe(8);
      for (const t of result.tables) {
        expect(t.clusters, `${t.map} ${t.connectivity}`).toBeGreaterThan(0);
        expect(
          t.sameTable && t.sameLabels,
          `${t.map} ${t.connectivity}-connected ${t.twoSided ? 'two' : 'one'}-sided`,
        ).toBe(true);
      }
      for (const s of result.signatures) {
        expect(s.gpuVoxels).toBe(s.cpuVoxels);
        s.cpu.forEach((v, k) =>
          expect(Math.abs(s.gpu[k]! - v), `${s.map} metric ${k}`).toBeLessThanOrEqual(1e-4 * Math.abs(v)),
        );
      }
      expect(errors).toEqual([]);
    });
  },
);

/** The permutation passes' WGSL in the page's WebGPU against the CPU engine in the page (synthetic data: no shared files). */
describe('the permutation passes in headless Chromium equal the CPU engine', () => {
  const browser = useBrowser();

  it('64 sign flips: t, max t, cluster extent and mass, TFCE', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await page.addScriptTag({ url: '/tests/e2e/pages/gpu-permutation.ts', type: 'module' });
    await page.waitForFunction(() => 'gpuPermutations' in window);
    const r = await page.evaluate(() =>
      (window as unknown as { gpuPermutations: () => Promise<PermutationComparison> }).gpuPermutations(),
    );
    console.log(`Chromium WebGPU permutations: ${JSON.stringify(r)}`);
    expect(r.adapter).toMatch(/WebGPU/);
    expect(r.clustered).toBeGreaterThan(0);
    expect(r.worstT).toBeLessThan(1e-4);
    expect(r.worstMaxT).toBeLessThan(1e-5);
    expect(r.clusterMismatches).toEqual([]);
    expect(r.worstTfce).toBeLessThan(1e-4);
    expect(errors).toEqual([]);
  });
});
