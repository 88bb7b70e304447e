import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { siglensJson } from '../helpers/cli';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { launch, openPage, screenshot } from './browser';
import { clusters, openMaps, typeThreshold, warmPixels } from './page';

/** Issue 21: SPM's FWHM (mm) or resels typed in the threshold panel, as the command's --fwhm / --resels. */
describe.skipIf(!HAS_SHARED)(`SPM's smoothness typed in the page (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("a wrong FWHM is refused with its reason; a right one gives the command's p and stays in the link", async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await page.setViewportSize({ width: 1280, height: 720 });
    await openMaps(page, [real('spmMotor.nii.gz')]);
    await typeThreshold(page, '3.1');
    await page
      .locator('sl-threshold-panel #threshold-summary')
      .filter({ hasText: '3.100' })
      .waitFor({ timeout: 60_000 });
    await clusters(page, 'spmMotor.nii.gz');

    await page.locator('sl-threshold-panel #smoothness').selectOption('fwhm');
    const box = page.locator('sl-threshold-panel #smoothness-value');
    await box.fill('8,8');
    await box.press('Enter');
    await page
      .locator('sl-threshold-panel #threshold-problem')
      .filter({ hasText: 'FWHM is one number (isotropic) or three' })
      .waitFor({ timeout: 30_000 });
    await expect(box.getAttribute('aria-invalid')).resolves.toBe('true');
    // The refusal withholds GRF p, not the map: it stays drawn at its height and its clusters listed without p.
    await expect.poll(() => warmPixels(page, 'single'), { timeout: 30_000 }).toBeGreaterThan(300);
    await expect
      .poll(async () => (await clusters(page, 'spmMotor.nii.gz')).every((c) => c.p === null), { timeout: 30_000 })
      .toBe(true);
    expect((await clusters(page, 'spmMotor.nii.gz')).length).toBeGreaterThan(0);
    await expect(page.locator('sl-threshold-panel #threshold-summary').innerText()).resolves.toMatch(
      /^t ≥ 3\.1.*; no GRF p until the smoothness is corrected/,
    );
    await page.locator('sl-threshold-panel #smoothness').scrollIntoViewIfNeeded();
    await screenshot(page, 'smoothness-fwhm-refused-1280x720', false);

    await box.fill('12, 12, 12');
    await box.press('Enter');
    await page
      .locator('sl-cluster-table #grf-basis')
      .filter({ hasText: 'FWHM 12 × 12 × 12 mm' })
      .waitFor({ timeout: 60_000 });
    const rows = await clusters(page, 'spmMotor.nii.gz');
    const cli = siglensJson<{ clusters: { voxels: number; p: number }[] }>(
      'clusters',
      real('spmMotor.nii.gz'),
      '--threshold',
      '3.1',
      '--fwhm',
      '12,12,12',
    );
    expect(rows[0]!.voxels).toBe(cli.clusters[0]!.voxels);
    expect(rows[0]!.p).toBeCloseTo(cli.clusters[0]!.p, 14);
    await page.waitForFunction(() => new URLSearchParams(location.search).get('sm') === 'fwhm:12, 12, 12', undefined, {
      timeout: 30_000,
    });

    await page.locator('sl-threshold-panel #smoothness').selectOption('resels');
    await box.fill('500');
    await box.press('Enter');
    await page.locator('sl-cluster-table #grf-basis').filter({ hasText: '500 resels' }).waitFor({ timeout: 60_000 });
    const byResels = await clusters(page, 'spmMotor.nii.gz');
    const cliResels = siglensJson<{ clusters: { p: number }[] }>(
      'clusters',
      real('spmMotor.nii.gz'),
      '--threshold',
      '3.1',
      '--resels',
      '500',
    );
    expect(byResels[0]!.p).toBeCloseTo(cliResels.clusters[0]!.p, 14);
    await page.locator('sl-threshold-panel #smoothness').scrollIntoViewIfNeeded();
    await screenshot(page, 'smoothness-resels-1280x720', false);
    expect(errors).toEqual([]);
  });
});
