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

  it('two statistical overlays at once, each at its own threshold and in its own colours', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await openMaps(page, [
      'sample-data/template_standin_SYNTHETIC.nii.gz',
      'sample-data/group_pain_pre_zstat.nii.gz',
      'sample-data/group_anticipation_post_zstat.nii.gz',
    ]);
    await clusters(page, 'group_pain_pre_zstat.nii.gz');
    const layers = () => page.locator('figure[data-pane="single"]').getAttribute('data-layers');
    await expect.poll(layers, { timeout: 30_000 }).toMatch(/^background stat( mask)?$/);
    const row = page.locator('sl-map-list li[data-map="group_anticipation_post_zstat.nii.gz"]');
    await row.locator('.overlay-toggle').check();
    await expect.poll(layers, { timeout: 30_000 }).toMatch(/^background stat signed( mask)?$/);
    await expect(row.locator('.overlay-threshold').inputValue()).resolves.toBe('2.3');
    await row.locator('.overlay-threshold').fill('4');
    await row.locator('.overlay-threshold').press('Enter');
    const titles = page.locator('figure[data-pane="single"] .bar-titles span');
    await titles
      .filter({ hasText: 'group_anticipation_post_zstat.nii.gz: z, |value| ≥ 4' })
      .first()
      .waitFor({ timeout: 30_000 });
    // The shown map keeps its own threshold (z 2.3) and warm colours; the second map is in viridis.
    await expect(titles.allInnerTexts()).resolves.toContain('group_pain_pre_zstat.nii.gz: z');
    await screenshot(page, 'two-overlays-1280x720', false);
    // The second overlay has its own row in the Layers list, as the first: name, palette, visibility.
    const layerRows = page.locator('sl-layers-panel li[data-layer]');
    await expect(layerRows.locator('.name').allInnerTexts()).resolves.toEqual([
      expect.stringContaining('template_standin_SYNTHETIC.nii.gz'),
      expect.stringContaining('group_pain_pre_zstat.nii.gz'),
      expect.stringContaining('group_anticipation_post_zstat.nii.gz'),
    ]);
    const extra = layerRows.filter({ hasText: 'group_anticipation_post_zstat.nii.gz' });
    await expect(extra.locator('.name').innerText()).resolves.toContain('|value| ≥ 4');
    await expect(extra.locator('.layer-colormap').inputValue()).resolves.toBe('viridis');
    await extra.locator('.layer-colormap').selectOption('magma');
    await expect.poll(() => extra.locator('.layer-colormap').inputValue()).toBe('magma');
    await extra.locator('.layer-visible').uncheck();
    await expect.poll(layers, { timeout: 30_000 }).toMatch(/^background stat( mask)?$/);
    await extra.locator('.layer-visible').check();
    await expect.poll(layers, { timeout: 30_000 }).toMatch(/^background stat signed( mask)?$/);
    await row.locator('.overlay-toggle').uncheck();
    await expect.poll(layers, { timeout: 30_000 }).toMatch(/^background stat( mask)?$/);
    expect(errors).toEqual([]);
  });

  it('a template opened alone shows itself', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(inject('baseUrl'));
    await openMaps(page, ['sample-data/template_standin_SYNTHETIC.nii.gz']);
    await page.locator('figure[data-pane="single"][data-layers="background"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('figure[data-pane="single"] figcaption').innerText()).resolves.toContain(
      'template_standin_SYNTHETIC.nii.gz',
    );
  });

  it('a lightbox shows many axial slices (labelled by z, above the colour bars) with the map over them, and goes back to three planes', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await openMaps(page, ['sample-data/template_standin_SYNTHETIC.nii.gz', 'sample-data/group_pain_pre_zstat.nii.gz']);
    await clusters(page, 'group_pain_pre_zstat.nii.gz');
    const slices = () =>
      page
        .locator('figure[data-pane="single"]')
        .evaluate(
          (f) =>
            (JSON.parse((f as HTMLElement).dataset.geometry ?? '{"slices":[]}') as { slices: unknown[] }).slices.length,
        );
    await expect.poll(slices, { timeout: 30_000 }).toBe(3);
    await page.locator('figure[data-pane="single"] .lightbox-toggle').click();
    await expect.poll(slices, { timeout: 30_000 }).toBe(15);
    await expect(
      page.locator('figure[data-pane="single"] .lightbox-toggle').getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    expect(await warmPixels(page, 'single')).toBeGreaterThan(200);
    await screenshot(page, 'lightbox-1280x720', false);
    await page.locator('figure[data-pane="single"] .lightbox-toggle').click();
    await expect.poll(slices, { timeout: 30_000 }).toBe(3);
    expect(errors).toEqual([]);
  });
});
