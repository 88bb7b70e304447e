import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { launch, openPage, screenshot } from './browser';
import { closePanels, clusters, openMaps, openPanels, typeThreshold } from './page';

/** Issue 21: a glass brain (maximum-intensity projections over the brain's outline) in the viewer. */
describe.skipIf(!HAS_SHARED)(`the glass brain (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const size of [
    { width: 1024, height: 768 },
    { width: 1280, height: 720 },
    { width: 1600, height: 1000 },
  ]) {
    it(`spmMotor over the MNI template: three projections, each coloured exactly where the projection passes the threshold (${size.width}x${size.height})`, async () => {
      const { page, errors } = await openPage(browser, inject('baseUrl'));
      await page.setViewportSize(size);
      // Below 1200 px the panels are a drawer over the views: open to use them, closed to see the views.
      await openPanels(page);
      await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
      await typeThreshold(page, '4');
      await page
        .locator('sl-threshold-panel #threshold-summary')
        .filter({ hasText: /≥ 4(\.0+)? / })
        .waitFor({ timeout: 60_000 });
      await clusters(page, 'spmMotor.nii.gz');
      await closePanels(page);
      await page.locator('#glass-toggle').check();
      await page.locator('sl-glass-brain canvas').nth(2).waitFor({ timeout: 30_000 });
      await page.locator('sl-glass-brain #glass-title').filter({ hasText: 'at 4' }).waitFor({ timeout: 30_000 });
      const counts = await page.locator('sl-glass-brain').evaluate((el) => {
        const model = (
          el as unknown as { model: { brain: { views: { values: Float32Array; outline: Uint8Array }[] } } }
        ).model;
        return [...el.shadowRoot!.querySelectorAll('canvas')].map((c, k) => {
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let coloured = 0;
          let outline = 0;
          for (let i = 0; i < d.length; i += 4) {
            if (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2]) coloured++;
            else if (d[i] === 110) outline++;
          }
          const v = model.brain.views[k]!;
          return {
            coloured,
            passing: v.values.filter((x) => !Number.isNaN(x)).length,
            outline,
            edges: v.outline.filter((o, i) => o === 2 && Number.isNaN(v.values[i]!)).length,
          };
        });
      });
      expect(counts).toHaveLength(3);
      for (const c of counts) {
        expect(c.passing).toBeGreaterThan(50);
        expect(c.coloured).toBe(c.passing);
        expect(c.outline).toBe(c.edges);
        expect(c.edges).toBeGreaterThan(100);
      }
      // Orientation letters at each view's edges (left, right, top, bottom), as the slice panes have them.
      for (const [view, letters] of [
        ['sagittal', 'PASI'],
        ['coronal', 'LRSI'],
        ['axial', 'LRAP'],
      ] as const)
        await expect(
          page.locator(`sl-glass-brain figure[data-view="${view}"] .edge`).allTextContents(),
        ).resolves.toEqual([...letters]);
      await page.locator('sl-glass-brain').scrollIntoViewIfNeeded();
      await screenshot(page, `glass-brain-spmMotor-${size.width}x${size.height}`, false);
      expect(errors).toEqual([]);
    });
  }

  it('the glass-brain switch is kept in the link and restored from it (issue 21 item 5)', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await page.setViewportSize({ width: 1280, height: 720 });
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
    await clusters(page, 'spmMotor.nii.gz');
    await page.locator('#glass-toggle').check();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('glass') === '1', undefined, {
      timeout: 10_000,
    });
    // The link reopened: its local maps opened again, the glass brain is on without a click.
    await page.goto(page.url());
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
    await clusters(page, 'spmMotor.nii.gz');
    await expect(page.locator('#glass-toggle').isChecked()).resolves.toBe(true);
    await page.locator('sl-glass-brain canvas').nth(2).waitFor({ timeout: 30_000 });
    await page.locator('#glass-toggle').uncheck();
    await page.waitForFunction(() => !new URLSearchParams(location.search).has('glass'), undefined, {
      timeout: 10_000,
    });
    expect(errors).toEqual([]);
  });

  it('the figure export adds the glass-brain row: previewed, and in the SVG as three more images', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
    await clusters(page, 'spmMotor.nii.gz');
    await page.locator('sl-export-panel #export-figure').click();
    const preview = page.locator('sl-figure-dialog #figure-preview');
    await preview.and(page.locator('[data-glass="0"]')).waitFor({ timeout: 60_000 });
    await page.locator('sl-figure-dialog #figure-glass').check();
    await preview.and(page.locator('[data-glass="3"]')).waitFor({ timeout: 60_000 });
    const panes = Number(await preview.getAttribute('data-panes'));
    const download = await Promise.all([
      page.waitForEvent('download'),
      page.locator('sl-figure-dialog #figure-svg').click(),
    ]).then(([d]) => d);
    const chunks: Buffer[] = [];
    for await (const c of (await download.createReadStream())!) chunks.push(c as Buffer);
    const svg = Buffer.concat(chunks).toString('utf8');
    expect(svg.match(/<image /g)).toHaveLength(panes + 3);
    await screenshot(page, 'glass-brain-figure-1280x720', false);
    expect(errors).toEqual([]);
  });
});
