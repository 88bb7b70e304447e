import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { siglensJson } from '../helpers/cli';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { launch, openPage, screenshot } from './browser';
import { clusterPShown, clusters, openMaps, typeThreshold } from './page';

/** Issue 21 item 3: an AFNI stats file's frames are what its header extension says, each its own kind. */
describe.skipIf(!HAS_SHARED)(`AFNI frames on the page (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("frame 1 (vis#0_Coef) is an effect with no GRF p; frame 2 (vis#0_Tstat) is t with 134 df and the command's p", async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await page.setViewportSize({ width: 1280, height: 720 });
    await openMaps(page, [real('stats.nv_demo_mskd.nii.gz')]);
    const row = page.locator('sl-map-list li[data-map="stats.nv_demo_mskd.nii.gz"]');
    await expect(row.getAttribute('data-kind')).resolves.toBe('effect');
    await expect(row.locator('[data-kind-label]').innerText()).resolves.toContain('AFNI header, frame 1 vis#0_Coef');
    const coef = await clusters(page, 'stats.nv_demo_mskd.nii.gz');
    expect(coef.every((c) => c.p === null)).toBe(true);
    await expect(page.locator('sl-cluster-table #grf-note').innerText()).resolves.toMatch(/effect/);
    // "Threshold by" names the value once (not "value value").
    await expect(page.locator('sl-threshold-panel #mode option[value="z"]').innerText()).resolves.toBe('value');
    await screenshot(page, 'afni-frame1-coef-1280x720', false);

    const frame = row.locator('.frame-number');
    await frame.fill('2');
    await frame.press('Enter');
    await page
      .locator('sl-map-list li[data-map="stats.nv_demo_mskd.nii.gz"][data-kind="t"]')
      .waitFor({ timeout: 60_000 });
    await expect(row.locator('[data-kind-label]').innerText()).resolves.toContain('t (df 134)');
    await expect(row.locator('.frame-label').innerText()).resolves.toBe('vis#0_Tstat');
    // GRF cluster p at t 2.6 (z 2.55 at 134 df), compared with the command's.
    await typeThreshold(page, '2.6');
    await clusterPShown(page);
    const t = await clusters(page, 'stats.nv_demo_mskd.nii.gz');
    const cli = siglensJson<{ clusters: { voxels: number; p: number }[] }>(
      'clusters',
      real('stats.nv_demo_mskd.nii.gz'),
      '--frame',
      '1',
      '--threshold',
      '2.6',
      '--estimate-smoothness',
    );
    expect(t[0]!.voxels).toBe(cli.clusters[0]!.voxels);
    expect(t[0]!.p).toBeCloseTo(cli.clusters[0]!.p, 12);
    await page.locator('sl-cluster-table table').scrollIntoViewIfNeeded();
    await screenshot(page, 'afni-frame2-t134-1280x720', false);
    expect(errors).toEqual([]);
  });
});
