import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readNifti, writeNifti1, type Volume } from '../../src/nifti';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { launch, screenshot } from './browser';
import {
  closePanels,
  clusters,
  dropFiles,
  openMaps,
  openPanels,
  paneCrosshair,
  typeThreshold,
  warmPixels,
} from './page';

/** Issue 21: what the page shows is what is true (1 − p maps, row clicks, atlas tables, pairing). */

async function open(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number },
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  return { page, errors };
}

/** A map on the MNI 2 mm template's grid, written to a temporary folder under `name`. */
async function onTemplateGrid(name: string, value: (x: number, y: number, z: number) => number): Promise<string> {
  const t = (
    await readNifti(new Uint8Array(readFileSync(real('MNI152_T1_2mm.nii.gz'))), { name: 'MNI152_T1_2mm.nii.gz' })
  ).volume(0);
  const [nx, ny, nz] = t.dims;
  const data = new Float32Array(nx * ny * nz);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) data[x + nx * (y + ny * z)] = value(x, y, z);
  const v: Volume = {
    ...t,
    name,
    data,
    intent: { code: 0, kind: 'none', name: '', p1: 0, p2: 0, p3: 0 },
    datatype: { code: 16, name: 'float32', bytes: 4 },
  };
  const dir = mkdtempSync(join(tmpdir(), 'siglens-shown-'));
  const path = join(dir, name);
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(writeNifti1(v)) : writeNifti1(v));
  return path;
}

describe.skipIf(!HAS_SHARED)(`the page shows what is true (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('1: a tfce_corrp file opened shows its cluster at 1 − p ≥ 0.95, labelled "1 − p (p < 0.05)"', async () => {
    // A 30-voxel block (3 × 5 × 2) at 1 − p = 0.97 in a brain of 1 − p below 0.9: FSL's tfce_corrp as randomise writes it.
    const inBlock = (x: number, y: number, z: number): boolean =>
      x >= 60 && x < 63 && y >= 40 && y < 45 && z >= 50 && z < 52;
    const path = await onTemplateGrid('x_tfce_corrp_tstat1.nii.gz', (x, y, z) =>
      inBlock(x, y, z) ? 0.97 : (x + y + z) % 7 === 0 ? 0.6 : 0,
    );
    const { page, errors } = await open(browser, inject('baseUrl'), { width: 1280, height: 720 });
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), path]);
    const table = await clusters(page, 'x_tfce_corrp_tstat1.nii.gz');
    expect(table.map((c) => c.voxels)).toEqual([30]);
    await expect(page.locator('sl-threshold-panel #threshold').inputValue()).resolves.toBe('0.95');
    await expect(
      page.locator('sl-map-list li[data-map="x_tfce_corrp_tstat1.nii.gz"] [data-kind-label]').innerText(),
    ).resolves.toContain('1 − p');
    await page
      .locator('figure[data-pane="single"] .bar-titles span', { hasText: '1 − p (p < 0.05)' })
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'shown-tfce-corrp-1280x720');
    expect(errors).toEqual([]);
  });

  it('1: a tfce_tstat map is a TFCE score, not "t (df unknown)", and a 1 − p map shown after a t-map drops the t threshold', async () => {
    const tfce = await onTemplateGrid('x_tfce_tstat1.nii.gz', (x, y, z) =>
      x > 40 && x < 50 && y > 50 && y < 60 && z > 40 && z < 45 ? 4000 : 0,
    );
    const corrp = await onTemplateGrid('x_tfce_corrp_tstat1.nii', (x, y, z) =>
      x > 40 && x < 50 && y > 50 && y < 60 && z > 40 && z < 45 ? 0.99 : 0,
    );
    const { page, errors } = await open(browser, inject('baseUrl'), { width: 1280, height: 720 });
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz'), tfce, corrp]);
    await clusters(page, 'spmMotor.nii.gz');
    await expect(
      page.locator('sl-map-list li[data-map="x_tfce_tstat1.nii.gz"] [data-kind-label]').innerText(),
    ).resolves.toContain('TFCE score');
    await page.locator('sl-threshold-panel #threshold').fill('2.6135');
    await page.locator('sl-threshold-panel #threshold').press('Enter');
    await page.locator('sl-map-list li[data-map="x_tfce_corrp_tstat1.nii"] input[type="radio"][name="shown"]').check();
    const table = await clusters(page, 'x_tfce_corrp_tstat1.nii');
    expect(table.length).toBe(1);
    await expect(page.locator('sl-threshold-panel #threshold').inputValue()).resolves.toBe('0.95');
    expect(errors).toEqual([]);
  });

  it('4: pre and post are paired by name in either load order, the page says so, and unlike kinds are warned of', async () => {
    const pre = 'sample-data/group_pain_pre_zstat.nii.gz';
    const post = 'sample-data/group_pain_post_zstat.nii.gz';
    for (const order of [
      [real('spmMotor.nii.gz'), post, pre],
      [pre, real('spmMotor.nii.gz'), post],
    ]) {
      const { page, errors } = await open(browser, inject('baseUrl'), { width: 1280, height: 720 });
      await openMaps(page, order);
      await openPanels(page);
      const chosen = async (side: 'pre' | 'post') =>
        page.locator(`sl-compare-panel #${side} option:checked`).innerText();
      await expect.poll(() => chosen('pre'), { timeout: 30_000 }).toBe('group_pain_pre_zstat.nii.gz');
      await expect(chosen('post')).resolves.toBe('group_pain_post_zstat.nii.gz');
      await expect(page.locator('sl-compare-panel #pair-rule').innerText()).resolves.toContain(
        '"pre" and "post" in the file names',
      );
      await expect(page.locator('sl-compare-panel #kind-warning').count()).resolves.toBe(0);
      // spmMotor (t) as pre against a z-map: warned before the difference is read.
      await page.locator('sl-compare-panel #pre').selectOption({ label: 'spmMotor.nii.gz' });
      await expect(page.locator('sl-compare-panel #kind-warning').innerText()).resolves.toMatch(
        /Pre is t \(df 262\) and post is z/,
      );
      await expect(page.locator('sl-compare-panel #pair-rule').innerText()).resolves.toContain('as you chose');
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('6: an atlas image and its label table dropped together name regions; "open its label table" is a button', async () => {
    const v = (await readNifti(new Uint8Array(readFileSync(real('aal.nii.gz'))), { name: 'aal.nii.gz' })).volume(0);
    const values = [...new Set(v.data)].filter((x) => x > 0).sort((a, b) => a - b);
    const dir = mkdtempSync(join(tmpdir(), 'siglens-aal-'));
    // AAL's own layout: `index name code` per line, named after the image (aal.nii.txt).
    const table = join(dir, 'aal.nii.txt');
    writeFileSync(table, values.map((x) => `${x} Region_${x} ${2000 + x}`).join('\n'));
    const { page, errors } = await open(browser, inject('baseUrl'), { width: 1280, height: 720 });
    await dropFiles(page, [real('aal.nii.gz'), table]);
    const row = page.locator('sl-map-list li[data-map="aal.nii.gz"]');
    await row.filter({ hasText: `${values.length} region names` }).waitFor({ timeout: 60_000 });
    await expect(page.locator('.load-errors').count()).resolves.toBe(0);
    await page.close();
    // Opened alone, the atlas offers its label table as a button (a file chooser), which names its regions.
    const second = await open(browser, inject('baseUrl'), { width: 1280, height: 720 });
    await openMaps(second.page, [real('aal.nii.gz')]);
    const button = second.page.locator('sl-map-list li[data-map="aal.nii.gz"] .table-button');
    await expect(button.innerText()).resolves.toContain('Open its label table');
    const [chooser] = await Promise.all([second.page.waitForEvent('filechooser'), button.click()]);
    await chooser.setFiles(table);
    await second.page
      .locator('sl-map-list li[data-map="aal.nii.gz"]')
      .filter({ hasText: `${values.length} region names` })
      .waitFor({ timeout: 30_000 });
    expect([...errors, ...second.errors]).toEqual([]);
  });

  it("7: SIIPS1 (sform code 2 on SPM's 2 mm box, cut in z) is MNI, and no panel warns of scanner space", async () => {
    const siips = join(real('..'), 'signatures', 'nonnoc_v11_4_137subjmap_weighted_mean.nii.gz');
    const { page, errors } = await open(browser, inject('baseUrl'), { width: 1280, height: 720 });
    await openMaps(page, [real('spmMotor.nii.gz'), siips]);
    await clusters(page, 'spmMotor.nii.gz');
    await expect(
      page.locator('sl-map-list li[data-map="nonnoc_v11_4_137subjmap_weighted_mean.nii.gz"]').innerText(),
    ).resolves.toMatch(/\bMNI\b/);
    await openPanels(page);
    await page
      .locator('sl-signature-panel #weights')
      .selectOption({ label: 'nonnoc_v11_4_137subjmap_weighted_mean.nii.gz' });
    await page.locator('sl-signature-panel tbody tr').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('sl-signature-panel .native-warning').count()).resolves.toBe(0);
    await expect(page.locator('sl-roi-panel .native-warning').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });

  it('5: a single click anywhere on a cluster row (a cell, not the # button) moves the crosshair in every pane', async () => {
    const { page, errors } = await open(browser, inject('baseUrl'), { width: 1600, height: 1000 });
    await openMaps(page, [
      'sample-data/template_standin_SYNTHETIC.nii.gz',
      'sample-data/group_pain_pre_zstat.nii.gz',
      'sample-data/group_pain_post_zstat.nii.gz',
    ]);
    await openPanels(page);
    await page.locator('sl-compare-panel #compare-on').check();
    await page.locator('figure[data-pane="difference"]').waitFor({ timeout: 60_000 });
    const table = await clusters(page, 'group_pain_pre_zstat.nii.gz');
    const target = table[1]!.peak.mm;
    await page.locator('sl-cluster-table').first().locator('tbody tr[data-index="2"] td.voxels').click();
    const want = target.map((v) => v.toFixed(1)).join(',');
    for (const pane of ['pre', 'post', 'difference']) {
      await page.waitForFunction(
        ([p, w]) =>
          document
            .querySelector('siglens-app')
            ?.shadowRoot?.querySelector(`figure[data-pane="${p}"]`)
            ?.getAttribute('data-crosshair') === w,
        [pane, want] as const,
        { timeout: 30_000 },
      );
      expect((await paneCrosshair(page, pane)).map((v) => v.toFixed(1)).join(',')).toBe(want);
    }
    // A click on a cell of another row goes there too.
    await page.locator('sl-cluster-table').first().locator('tbody tr[data-index="1"] td.peak-mm').click();
    const first = table[0]!.peak.mm.map((v) => v.toFixed(1)).join(',');
    await page.waitForFunction(
      (w) =>
        document
          .querySelector('siglens-app')
          ?.shadowRoot?.querySelector('figure[data-pane="post"]')
          ?.getAttribute('data-crosshair') === w,
      first,
      { timeout: 30_000 },
    );
    expect(errors).toEqual([]);
  });

  it('8: a map opened alone opens on its largest cluster, in colour; a threshold beyond its values says so', async () => {
    for (const viewport of [
      { width: 1024, height: 768 },
      { width: 1280, height: 720 },
      { width: 1600, height: 1000 },
    ]) {
      const { page, errors } = await open(browser, inject('baseUrl'), viewport);
      // Below 1200 px the map list and the table are in the drawer: opened after the views are seen.
      await page.locator('#file-input').setInputFiles('sample-data/group_pain_post_zstat.nii.gz');
      await page.locator('figure[data-pane="single"]').waitFor({ timeout: 60_000 });
      await openPanels(page);
      const table = await clusters(page, 'group_pain_post_zstat.nii.gz');
      expect(table.length).toBeGreaterThan(0);
      await closePanels(page);
      // At the panes' own first point no slice may cross a cluster: the page goes to the largest's peak.
      await expect.poll(() => paneCrosshair(page, 'single'), { timeout: 30_000 }).toEqual(table[0]!.peak.mm);
      await expect.poll(() => warmPixels(page, 'single'), { timeout: 30_000 }).toBeGreaterThan(0);
      await screenshot(page, `first-map-${viewport.width}x${viewport.height}`, false);
      await openPanels(page);
      // A threshold no voxel reaches is taken (it is a number above 0), and the table says why it is empty.
      await typeThreshold(page, '1e9');
      const note = page.locator('sl-cluster-table #empty-note');
      await note.waitFor({ timeout: 30_000 });
      await expect(note.innerText()).resolves.toMatch(
        /^No voxel reaches the threshold 1\.000e\+9: the map's largest value is \d/,
      );
      // On the pane as well, where the table may be in a closed drawer.
      await expect(page.locator('figure[data-pane="single"] .empty-pane').innerText()).resolves.toBe(
        'no voxel reaches the threshold',
      );
      await typeThreshold(page, '2.3');
      await note.waitFor({ state: 'detached', timeout: 30_000 });
      await expect(page.locator('figure[data-pane="single"] .empty-pane').count()).resolves.toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});
