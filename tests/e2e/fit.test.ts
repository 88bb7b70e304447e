import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readNifti } from '../../src/nifti';
import { HAS_SHARED, REPO, real, SHARED_MISSING } from '../helpers/shared';
import { launch, screenshot } from './browser';
import { clusters, closePanels, openMaps, openPanels } from './page';

/** Issue 21 item 9: tables fit their panel, and no slice runs under a colour bar or its title. */

const SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 720 },
  { width: 1600, height: 1000 },
] as const;

/** Cells whose content is cut (wider than the cell), and key cells (`.key`, the pair's columns) outside the table's visible box. */
async function clipped(page: Page, panel: string, keyColumns: number): Promise<string[]> {
  return page.locator(panel).evaluate((el, keys) => {
    const root = el.shadowRoot!;
    const box = root.querySelector('.scroll')!.getBoundingClientRect();
    const out: string[] = [];
    for (const c of root.querySelectorAll<HTMLElement>('th, td')) {
      // Abbreviated with an ellipsis is not cut when the cell's title holds the whole text.
      const whole =
        c.title !== '' &&
        c.title.includes(c.textContent?.trim() ?? '') &&
        getComputedStyle(c).textOverflow === 'ellipsis';
      if (c.scrollWidth > c.clientWidth + 1 && !whole)
        out.push(`cut: "${c.textContent?.trim()}" ${c.scrollWidth} > ${c.clientWidth}`);
    }
    for (const tr of root.querySelectorAll('tr:not(.gap)')) {
      const cells = [...tr.children].slice(0, keys) as HTMLElement[];
      for (const c of cells) {
        const r = c.getBoundingClientRect();
        if (r.width && (r.left < box.left - 1 || r.right > box.right + 1))
          out.push(`off the panel: "${c.textContent?.trim()}" ${r.left}-${r.right} of ${box.left}-${box.right}`);
      }
    }
    return out;
  }, keyColumns);
}

/** A label table with AAL-length names for aal.nii.gz, built from its own values (no atlas file is copied into the repo). */
async function aalTable(): Promise<string> {
  const v = (await readNifti(new Uint8Array(readFileSync(real('aal.nii.gz'))), { name: 'aal.nii.gz' })).volume(0);
  const values = [...new Set(v.data)].filter((x) => x > 0).sort((a, b) => a - b);
  const dir = mkdtempSync(join(tmpdir(), 'siglens-fit-'));
  const path = join(dir, 'aal.tsv');
  writeFileSync(
    path,
    `index\tname\n${values.map((x) => `${x}\tFrontal_Sup_Medial_${x % 2 ? 'L' : 'R'}_${x}`).join('\n')}\n`,
  );
  return path;
}

/** Each pane's slices (CSS px in its canvas) that reach below the top of its colour bars or their titles. */
async function underBars(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const app = document.querySelector('siglens-app')!.shadowRoot!;
    const out: string[] = [];
    for (const f of app.querySelectorAll<HTMLElement>('figure[data-pane]')) {
      const g = JSON.parse(f.dataset.geometry ?? '{"slices":[],"barsTop":null}') as {
        slices: number[][];
        barsTop: number | null;
      };
      const canvas = f.querySelector('canvas')!.getBoundingClientRect();
      const titles = [...f.querySelectorAll('.bar-titles span')].map((s) => s.getBoundingClientRect().top - canvas.top);
      const floor = Math.min(g.barsTop ?? Infinity, ...titles);
      for (const [, top, , h] of g.slices)
        if (top! + h! > floor + 1)
          out.push(`${f.dataset.pane}: a slice ends at ${top! + h!} px, the colour bars or titles begin at ${floor}`);
    }
    return out;
  });
}

/** How many slices each pane draws. */
async function lightboxTiles(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    Array.from(
      document.querySelector('siglens-app')!.shadowRoot!.querySelectorAll<HTMLElement>('figure[data-pane]'),
    ).map((f) => {
      const g = JSON.parse(f.dataset.geometry ?? '{}') as { slices?: unknown[] };
      return g.slices?.length ?? 0;
    }),
  );
}

/** Waits until every pane has drawn its slices and colour bars. */
async function panesLaidOut(page: Page, panes: string[]): Promise<void> {
  await page.waitForFunction(
    (keys) => {
      const app = document.querySelector('siglens-app')?.shadowRoot;
      return keys.every((k) => {
        const g = JSON.parse(app?.querySelector<HTMLElement>(`figure[data-pane="${k}"]`)?.dataset.geometry ?? '{}') as {
          slices?: unknown[];
          barsTop?: number | null;
        };
        return (g.slices?.length ?? 0) >= 3 && typeof g.barsTop === 'number';
      });
    },
    panes,
    { timeout: 60_000 },
  );
}

describe.skipIf(!HAS_SHARED)(`tables and panes fit (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the ROI table (five maps, pre vs post), the cluster table (with peak regions) and the group table fit their panel at three sizes', async () => {
    const page = await browser.newPage({ viewport: SIZES[1] });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    const s = 'sample-data/';
    await openMaps(page, [
      `${s}template_standin_SYNTHETIC.nii.gz`,
      `${s}group_pain_pre_zstat.nii.gz`,
      `${s}group_pain_post_zstat.nii.gz`,
      `${s}group_anticipation_pre_zstat.nii.gz`,
      `${s}group_anticipation_post_zstat.nii.gz`,
      `${s}demo_signature_SYNTHETIC.nii.gz`,
    ]);
    await openPanels(page);
    await page.locator('sl-compare-panel #compare-on').check();
    await clusters(page, 'group_pain_pre_zstat.nii.gz');
    await page.waitForFunction(
      () =>
        ((
          document.querySelector('siglens-app')?.shadowRoot?.querySelector('sl-roi-panel') as unknown as {
            results: unknown[][];
          } | null
        )?.results.length ?? 0) >= 5,
      null,
      { timeout: 60_000 },
    );
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await openPanels(page);
      await page.locator('sl-roi-panel td.delta').first().waitFor();
      // ROI (with its centre and radius), pre, post and post − pre stay in view; no cell's content is cut.
      expect(await clipped(page, 'sl-roi-panel', 4), `ROI table at ${size.width}x${size.height}`).toEqual([]);
      expect(
        await clipped(page, 'sl-cluster-table >> nth=0', 9),
        `cluster table at ${size.width}x${size.height}`,
      ).toEqual([]);
      await page
        .locator('sl-roi-panel')
        .screenshot({ path: `test-results/screenshots/fit-roi-table-${size.width}x${size.height}.png` });
    }
    await page.close();
    const atlas = await browser.newPage({ viewport: SIZES[1] });
    await atlas.goto(inject('baseUrl'));
    await openMaps(
      atlas,
      [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz'), real('aal.nii.gz'), await aalTable()].filter(
        (p) => !p.endsWith('.tsv'),
      ),
    );
    await atlas.locator('#file-input').setInputFiles(await aalTable());
    await clusters(atlas, 'spmMotor.nii.gz');
    await atlas
      .locator('sl-cluster-table td.region')
      .first()
      .filter({ hasText: /Frontal|^$/ })
      .waitFor({ timeout: 60_000 });
    for (const size of SIZES) {
      await atlas.setViewportSize(size);
      await openPanels(atlas);
      expect(
        await clipped(atlas, 'sl-cluster-table >> nth=0', 9),
        `cluster table with regions at ${size.width}x${size.height}`,
      ).toEqual([]);
      await atlas
        .locator('sl-cluster-table')
        .first()
        .screenshot({ path: `test-results/screenshots/fit-cluster-table-${size.width}x${size.height}.png` });
    }
    // The Group panel's table of a two-sided paired run (both signs, ten columns): every column in view, none cut.
    const group = await browser.newPage({ viewport: SIZES[1] });
    await group.goto(inject('baseUrl'));
    const panel = group.locator('sl-group-panel');
    const subjects = join(REPO, 'sample-data/subjects');
    await panel.locator('#group-files').setInputFiles(readdirSync(subjects).map((f) => join(subjects, f)));
    await panel.locator('#group-permutations').fill('100');
    await panel.locator('#group-permutations').press('Enter');
    await panel.locator('#group-two-sided').check();
    await panel.locator('#group-run').click();
    await panel.locator('#group-clusters tbody tr').first().waitFor({ timeout: 180_000 });
    for (const size of SIZES) {
      await group.setViewportSize(size);
      await openPanels(group);
      await panel.locator('#group-clusters').scrollIntoViewIfNeeded();
      expect(await clipped(group, 'sl-group-panel', 10), `group table at ${size.width}x${size.height}`).toEqual([]);
      await panel
        .locator('#group-clusters')
        .screenshot({ path: `test-results/screenshots/fit-group-table-${size.width}x${size.height}.png` });
    }
    expect(errors).toEqual([]);
  });

  it('no slice runs under a colour bar or its title: one pane and three-pane compare, three planes and lightbox, at three sizes', async () => {
    const page = await browser.newPage({ viewport: SIZES[1] });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    const s = 'sample-data/';
    await openMaps(page, [
      `${s}template_standin_SYNTHETIC.nii.gz`,
      `${s}group_pain_pre_zstat.nii.gz`,
      `${s}group_pain_post_zstat.nii.gz`,
    ]);
    await clusters(page, 'group_pain_pre_zstat.nii.gz');
    for (const compare of [false, true]) {
      if (compare) {
        await openPanels(page);
        await page.locator('sl-compare-panel #compare-on').check();
      }
      const panes = compare ? ['pre', 'post', 'difference'] : ['single'];
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await closePanels(page);
        await panesLaidOut(page, panes);
        await expect
          .poll(() => underBars(page), {
            timeout: 30_000,
            message: `${compare ? 'compare' : 'single'} at ${size.width}x${size.height}`,
          })
          .toEqual([]);
        await screenshot(page, `fit-${compare ? 'compare' : 'single'}-${size.width}x${size.height}`, false);
      }
    }
    // The lightbox too (its last row once ran under the colour bar), one pane and three, each tile labelled with its z.
    for (const compare of [false, true]) {
      await openPanels(page);
      await page.locator('sl-compare-panel #compare-on').setChecked(compare);
      const panes = compare ? ['pre', 'post', 'difference'] : ['single'];
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await closePanels(page);
        const toggle = page.locator(`figure[data-pane="${panes[0]}"] .lightbox-toggle`);
        if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
        await panesLaidOut(page, panes);
        await expect
          .poll(() => lightboxTiles(page), { timeout: 30_000, message: `lightbox at ${size.width}x${size.height}` })
          .toEqual(panes.map(() => 15));
        await expect
          .poll(() => underBars(page), {
            timeout: 30_000,
            message: `lightbox ${compare ? 'compare' : 'single'} at ${size.width}x${size.height}`,
          })
          .toEqual([]);
        for (const pane of panes) {
          const labels = await page.locator(`figure[data-pane="${pane}"] .slice-labels span`).allInnerTexts();
          expect(labels).toHaveLength(15);
          expect(labels.every((t) => /^z = -?\d+$/.test(t))).toBe(true);
          const z = labels.map((t) => Number(t.slice(4)));
          expect(z.every((v, k) => k === 0 || v > z[k - 1]!)).toBe(true);
        }
        await screenshot(page, `fit-lightbox-${compare ? 'compare' : 'single'}-${size.width}x${size.height}`, false);
      }
    }
    expect(errors).toEqual([]);
  });
});
