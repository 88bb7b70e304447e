import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { siglensJson } from '../helpers/cli';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { launch, openPage, screenshot } from './browser';
import { clusterPShown, clusters, openMaps, typeThreshold } from './page';

interface Doc {
  clusters: { voxels: number; p: number | null; peak: { z: number | null; pFweGrf: number | null } }[];
}

/** Issue 21 item 2: the page's cluster table gives GRF p for a t-map only through its z-equivalent, as `siglens clusters` does. */
describe.skipIf(!HAS_SHARED)(`GRF on the page's t-maps (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("tstat1: no p while its df is unknown (the note says so); with df 20, the command's z-equivalent p, Z and peak FWE p", async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await page.setViewportSize({ width: 1280, height: 720 });
    await openMaps(page, [real('mean_func.nii.gz'), real('tstat1.nii.gz')]);
    const before = await clusters(page, 'tstat1.nii.gz');
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((c) => c.p === null)).toBe(true);
    await expect(page.locator('sl-cluster-table #grf-note').innerText()).resolves.toMatch(/df unknown/);
    await page.locator('sl-cluster-table #grf-note').scrollIntoViewIfNeeded();
    await screenshot(page, 'grf-tstat1-df-unknown-1280x720', false);

    const df = page.getByLabel('Degrees of freedom of tstat1.nii.gz');
    await df.fill('20');
    await df.press('Enter');
    await page.locator('sl-cluster-table th.peak-z').waitFor({ timeout: 60_000 });
    // t 2 at df 20 is z 1.89, below GRF_MIN_CLUSTER_Z (2): the cluster p is withheld, the reason shown and on the cell.
    await typeThreshold(page, '2');
    await page
      .locator('sl-cluster-table #grf-note')
      .filter({ hasText: /GRF cluster p withheld: the cluster-forming threshold is z 1\.89/ })
      .waitFor({ timeout: 60_000 });
    expect((await clusters(page, 'tstat1.nii.gz')).every((c) => c.p === null)).toBe(true);
    const cell = page.locator('sl-cluster-table tbody tr[data-index="1"] td.p');
    await expect(cell.innerText()).resolves.toBe('–');
    await expect(cell.getAttribute('title')).resolves.toMatch(/below z 2,/);
    await typeThreshold(page, '2.6');
    await page
      .locator('sl-threshold-panel #threshold-summary')
      .filter({ hasText: '2.600' })
      .waitFor({ timeout: 60_000 });
    await clusterPShown(page);
    const after = await clusters(page, 'tstat1.nii.gz');
    const cli = siglensJson<Doc>(
      'clusters',
      real('tstat1.nii.gz'),
      '--threshold',
      '2.6',
      '--estimate-smoothness',
      '--df',
      '20',
    );
    for (let k = 0; k < 3; k++) {
      expect(after[k]!.voxels).toBe(cli.clusters[k]!.voxels);
      expect(after[k]!.p).toBeCloseTo(cli.clusters[k]!.p!, 12);
      expect(after[k]!.peakZ).toBeCloseTo(cli.clusters[k]!.peak.z!, 9);
      expect(after[k]!.peakPFwe).toBeCloseTo(cli.clusters[k]!.peak.pFweGrf!, 12);
    }
    await expect(page.locator('sl-cluster-table #grf-note').innerText()).resolves.toMatch(
      /z-equivalent of this t, df 20 map/,
    );
    await expect(page.locator('sl-cluster-table tbody tr[data-index="1"] td.peak-z').innerText()).resolves.toBe(
      after[0]!.peakZ!.toFixed(2),
    );
    await page.locator('sl-cluster-table table').scrollIntoViewIfNeeded();
    await screenshot(page, 'grf-tstat1-df20-1280x720', false);
    expect(errors).toEqual([]);
  });
});
