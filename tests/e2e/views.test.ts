import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, screenshot } from './browser';
import { clusters, openMaps, warmPixels } from './page';

/** Issue 21's features: a lightbox of many slices in the viewer. */
describe('views researchers reached for', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a lightbox shows many axial slices (the mosaic) with the map over them, and goes back to three planes', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await openMaps(page, ['sample-data/template_standin_SYNTHETIC.nii.gz', 'sample-data/group_pain_pre_zstat.nii.gz']);
    await clusters(page, 'group_pain_pre_zstat.nii.gz');
    const slices = () => page.locator('figure[data-pane="single"]').evaluate((f) => (JSON.parse((f as HTMLElement).dataset.geometry ?? '{"slices":[]}') as { slices: unknown[] }).slices.length);
    await expect.poll(slices, { timeout: 30_000 }).toBe(3);
    await page.locator('figure[data-pane="single"] .lightbox-toggle').click();
    await expect.poll(slices, { timeout: 30_000 }).toBe(15);
    await expect(page.locator('figure[data-pane="single"] .lightbox-toggle').getAttribute('aria-pressed')).resolves.toBe('true');
    expect(await warmPixels(page, 'single')).toBeGreaterThan(200);
    await screenshot(page, 'lightbox-1280x720', false);
    await page.locator('figure[data-pane="single"] .lightbox-toggle').click();
    await expect.poll(slices, { timeout: 30_000 }).toBe(3);
    expect(errors).toEqual([]);
  });
});
