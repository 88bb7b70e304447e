import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { Download } from 'playwright-core';
import { readNiftiFile } from '../../src/cli/files';
import { evenSlices } from '../../src/figure/figure-slices';
import { HAS_SHARED, REPO, real } from '../helpers/shared';
import { screenshot, SCREENSHOTS, useBrowser } from './browser';
import { clusters, openMaps, steadyPanes } from './page';

// The real MNI template (the sample maps' grid) where the shared data is present, for a figure that looks like one.
const TEMPLATE = HAS_SHARED
  ? real('MNI152_T1_2mm.nii.gz')
  : join(REPO, 'sample-data/template_standin_SYNTHETIC.nii.gz');
const MAP = join(REPO, 'sample-data/group_pain_pre_zstat.nii.gz');

async function saved(d: Promise<Download>): Promise<Buffer> {
  const path = await (await d).path();
  return readFileSync(path);
}

describe('publication figure', () => {
  const browser = useBrowser();

  it('previews a mosaic of the shown map and saves a 300 dpi PNG and an SVG', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await openMaps(page, [TEMPLATE, MAP]);
    await page.locator('sl-threshold-panel #two-sided').check();
    const table = await clusters(page, 'group_pain_pre_zstat.nii.gz');
    expect(table.length).toBeGreaterThan(2);

    await page.locator('sl-export-panel #export-figure').click();
    const preview = page.locator('sl-figure-dialog #figure-preview');
    await preview.and(page.locator('[data-panes="12"]')).waitFor({ timeout: 60_000 });
    // The slices are those of the background's grid, evenly spaced within the map's search volume (what the unit test checks against nibabel).
    const bg = (await readNiftiFile(TEMPLATE)).volume();
    const map = (await readNiftiFile(MAP)).volume();
    expect((await preview.getAttribute('data-slices'))!.split(',').map(Number)).toEqual(
      evenSlices(bg, 'axial', 12, map).map((s) => s.mm),
    );
    await steadyPanes(page, 'sl-figure-dialog #figure-preview');
    await screenshot(page, 'figure-dialog');

    const png = await saved(
      Promise.all([page.waitForEvent('download'), page.locator('sl-figure-dialog #figure-png').click()]).then(
        ([d]) => d,
      ),
    );
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(2100); // 7 in at 300 dpi
    const phys = png.indexOf('pHYs');
    expect(phys).toBeGreaterThan(0);
    expect(png.readUInt32BE(phys + 4)).toBe(11811); // pixels per metre at 300 dpi

    // Chosen coronal slices, two columns, white paper, at 150 dpi for the docs.
    await page.locator('sl-figure-dialog #figure-view').selectOption('coronal');
    await page.locator('sl-figure-dialog #figure-slice-kind').selectOption('mm');
    await page.locator('sl-figure-dialog #figure-mm').fill('-60, -20, 20');
    await page.locator('sl-figure-dialog #figure-mm').press('Enter');
    await preview.and(page.locator('[data-panes="3"]')).waitFor({ timeout: 30_000 });
    expect(await preview.getAttribute('data-slices')).toBe('-60,-20,20');
    const svg = (
      await saved(
        Promise.all([page.waitForEvent('download'), page.locator('sl-figure-dialog #figure-svg').click()]).then(
          ([d]) => d,
        ),
      )
    ).toString('utf8');
    expect(svg.match(/<image /g)?.length).toBe(3);
    expect(svg).toContain('>y = -20<');
    expect(svg).toContain('group_pain_pre_zstat (z)');

    await page.locator('sl-figure-dialog #figure-view').selectOption('axial');
    await page.locator('sl-figure-dialog #figure-slice-kind').selectOption('even');
    await page.locator('sl-figure-dialog #figure-dpi').fill('150');
    await page.locator('sl-figure-dialog #figure-dpi').press('Enter');
    await preview.and(page.locator('[data-panes="12"]')).waitFor({ timeout: 30_000 });
    const docPng = await saved(
      Promise.all([page.waitForEvent('download'), page.locator('sl-figure-dialog #figure-png').click()]).then(
        ([d]) => d,
      ),
    );
    expect(docPng.readUInt32BE(16)).toBe(1050);
    // scripts/update-screenshots.sh copies it to docs/screenshots/figure-mosaic.png.
    writeFileSync(join(SCREENSHOTS, 'figure-mosaic.png'), docPng);
    await page.locator('sl-figure-dialog #figure-close').click();
    await page
      .locator('sl-figure-dialog dialog[open]')
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => undefined);
    expect(await page.locator('sl-figure-dialog dialog').evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
    expect(errors).toEqual([]);
  });
});
