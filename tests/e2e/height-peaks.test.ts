import { describe, expect, inject, it } from 'vitest';
import type { Sphere } from '../../src/analysis/roi';
import { siglensJson } from '../helpers/cli';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { openPage, useBrowser } from './browser';
import { clusters, openMaps } from './page';

interface HeightDoc {
  heightControl: { method: string; alpha: number; threshold: number | null; voxels: number };
  clusters: { index: number; voxels: number; peak: { value: number; mm: number[] } }[];
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

describe.skipIf(!HAS_SHARED)(
  `height control and spheres at peaks in the page (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    const browser = useBrowser();

    it("FDR and Bonferroni on spmMotor (t, 262 df) give the command's height and table; one click puts a sphere at each peak", async () => {
      const { page, errors } = await openPage(browser, inject('baseUrl'));
      const file = real('spmMotor.nii.gz');
      await openMaps(page, [file]);
      await clusters(page, 'spmMotor.nii.gz');
      const panel = page.locator('sl-threshold-panel');
      for (const [mode, spec, twoSided] of [
        ['fdr', 'fdr:0.05', true],
        ['bonferroni', 'bonferroni:0.05', false],
      ] as const) {
        await panel.locator('#mode').selectOption(mode);
        if ((await panel.locator('#two-sided').isChecked()) !== twoSided)
          await panel.locator('#two-sided').setChecked(twoSided);
        const doc = siglensJson<HeightDoc>('clusters', file, '--height', spec, ...(twoSided ? ['--two-sided'] : []));
        await page.waitForFunction(
          (t) =>
            Math.abs(
              ((document.querySelector('siglens-app') as unknown as { results: { threshold: number } | null }).results
                ?.threshold ?? 0) - t,
            ) <
            1e-6 * t,
          doc.heightControl.threshold!,
          { timeout: 60_000 },
        );
        const got = await page.evaluate(
          () =>
            (document.querySelector('siglens-app') as unknown as { results: { height: HeightDoc['heightControl'] } })
              .results.height,
        );
        expect(got.method).toBe(mode);
        expect(got.voxels).toBe(doc.heightControl.voxels);
        expect(close(got.threshold!, doc.heightControl.threshold!)).toBe(true);
        const table = await clusters(page, 'spmMotor.nii.gz');
        expect(table.map((c) => c.voxels)).toEqual(doc.clusters.map((c) => c.voxels));
        table.forEach((c, k) => expect(close(c.peak.value, doc.clusters[k]!.peak.value)).toBe(true));
        await expect
          .poll(() => panel.locator('#threshold-summary').textContent())
          .toMatch(new RegExp(`over ${doc.heightControl.voxels} voxels \\(t, df 262\\): \\d+ survive`));
      }

      // Spheres at the Bonferroni table's peaks, 3 mm: one per cluster, on its peak, named as batch --spheres-from names them.
      const doc = siglensJson<HeightDoc>('clusters', file, '--height', 'bonferroni:0.05');
      await page.locator('sl-cluster-table #peak-radius').fill('3');
      await page.locator('sl-cluster-table #spheres-at-peaks').click();
      await expect
        .poll(
          async () =>
            (
              await page.locator('sl-roi-panel').evaluate((el) => (el as unknown as { spheres: Sphere[] }).spheres)
            ).filter((s) => s.name.startsWith('cluster')).length,
        )
        .toBe(doc.clusters.length);
      const spheres = (
        await page.locator('sl-roi-panel').evaluate((el) => (el as unknown as { spheres: Sphere[] }).spheres)
      ).filter((s) => s.name.startsWith('cluster'));
      spheres.forEach((s, k) => {
        expect(s.name).toBe(`cluster ${doc.clusters[k]!.index}`);
        expect(s.radiusMm).toBe(3);
        s.center.forEach((v, a) => expect(close(v, doc.clusters[k]!.peak.mm[a]!)).toBe(true));
      });
      // A second click replaces them rather than adding more: a new list reaches the ROI panel.
      const roiPanel = page.locator('sl-roi-panel');
      await roiPanel.evaluate(
        (el) => ((el as unknown as { firstList: unknown }).firstList = (el as unknown as { spheres: unknown }).spheres),
      );
      await page.locator('sl-cluster-table #spheres-at-peaks').click();
      await expect
        .poll(() =>
          roiPanel.evaluate(
            (el) =>
              (el as unknown as { spheres: unknown }).spheres !== (el as unknown as { firstList: unknown }).firstList,
          ),
        )
        .toBe(true);
      expect(
        (await page.locator('sl-roi-panel').evaluate((el) => (el as unknown as { spheres: Sphere[] }).spheres)).filter(
          (s) => s.name.startsWith('cluster'),
        ).length,
      ).toBe(doc.clusters.length);
      expect(errors).toEqual([]);
    });
  },
);
