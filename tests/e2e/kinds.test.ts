import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readNifti } from '../../src/nifti';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { screenshot, useBrowser } from './browser';
import { closePanels, clusters, colouredPixels, openMaps, openPanels, steadyPanes, warmPixels } from './page';

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

const summary = (page: Page) => page.locator('sl-threshold-panel #threshold-summary');

/** A label table for aal.nii.gz built from its own values (no atlas file is copied into the repo). */
async function aalTable(): Promise<{ path: string; names: Map<number, string> }> {
  const v = (await readNifti(new Uint8Array(readFileSync(real('aal.nii.gz'))), { name: 'aal.nii.gz' })).volume(0);
  const values = [...new Set(v.data)].filter((x) => x > 0).sort((a, b) => a - b);
  const names = new Map(values.map((x) => [x, `AAL region ${x}`]));
  const dir = mkdtempSync(join(tmpdir(), 'siglens-aal-'));
  const path = join(dir, 'aal.tsv');
  writeFileSync(path, `index\tname\n${values.map((x) => `${x}\t${names.get(x)}`).join('\n')}\n`);
  return { path, names };
}

describe.skipIf(!HAS_SHARED)(`each file for what it is (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  const browser = useBrowser();

  it('spmMotor is t with df 262 from its SPM description, and p < 0.001 one-sided is t 3.122', async () => {
    const { page, errors } = await open(browser, inject('baseUrl'), { width: 1280, height: 720 });
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
    await clusters(page, 'spmMotor.nii.gz');
    await expect(
      page.locator('sl-map-list li[data-map="spmMotor.nii.gz"] [data-kind-label]').innerText(),
    ).resolves.toContain('t (df 262)');
    await expect(
      page.locator('sl-map-list li[data-map="MNI152_T1_2mm.nii.gz"]').getAttribute('data-kind'),
    ).resolves.toBe('anatomy');
    await page.locator('sl-threshold-panel #mode').selectOption('p');
    const input = page.locator('sl-threshold-panel #threshold');
    await input.fill('0.001');
    await input.press('Enter');
    await summary(page).filter({ hasText: 't ≥ 3.122 (df 262); p < 0.001 one-sided' }).waitFor({ timeout: 60_000 });
    await expect(page.locator('sl-readout #crosshair-mm').innerText()).resolves.toMatch(/^MNI /);
    await clusters(page, 'spmMotor.nii.gz');
    await screenshot(page, 'kinds-spmMotor-t262-1280x720');
    expect(errors).toEqual([]);
  });

  it('tstat1 over mean_func: mean_func is the background, coordinates are scanner mm, and p waits for the df', async () => {
    const { page, errors } = await open(browser, inject('baseUrl'), { width: 1024, height: 768 });
    // At 1024 px the panels are a drawer over the views: open it to use them, close it to see the pane.
    await openPanels(page);
    await openMaps(page, [real('mean_func.nii.gz'), real('tstat1.nii.gz')]);
    await clusters(page, 'tstat1.nii.gz');
    await expect(page.getByRole('radio', { name: 'Use mean_func.nii.gz as background' }).isChecked()).resolves.toBe(
      true,
    );
    await expect(page.locator('figure[data-pane="single"]').getAttribute('data-layers')).resolves.toMatch(
      /^background stat/,
    );
    await expect(page.locator('sl-readout #crosshair-mm').innerText()).resolves.toMatch(/^scanner\/native /);
    const row = page.locator('sl-map-list li[data-map="tstat1.nii.gz"]');
    await expect(row.locator('[data-kind-label]').innerText()).resolves.toContain('t (df unknown)');
    await expect(row.getByRole('status').innerText()).resolves.toContain('df not in the file');
    // p is refused, with the reason, and the table is withdrawn rather than left looking current.
    await page.locator('sl-threshold-panel #mode').selectOption('p');
    await page.locator('sl-threshold-panel #threshold').fill('0.001');
    await page.locator('sl-threshold-panel #threshold').press('Enter');
    await page
      .locator('sl-threshold-panel #threshold-problem')
      .filter({ hasText: 'does not say its degrees of freedom' })
      .waitFor();
    await page.locator('sl-cluster-table #cluster-count').filter({ hasText: '0 cluster(s)' }).waitFor();
    // ... and so is the overlay: the pane shows mean_func alone.
    await page.locator('figure[data-pane="single"][data-layers="background"]').waitFor({ timeout: 30_000 });
    await screenshot(page, 'kinds-tstat1-asks-df-1024x768-drawer');
    await closePanels(page);
    await steadyPanes(page);
    await expect.poll(() => warmPixels(page, 'single'), { timeout: 20_000 }).toBeLessThan(50);
    await screenshot(page, 'kinds-tstat1-asks-df-1024x768');
    await openPanels(page);
    // The df given, p converts through t(df).
    await row.getByRole('spinbutton', { name: 'Degrees of freedom of tstat1.nii.gz' }).fill('20');
    await row.getByRole('spinbutton', { name: 'Degrees of freedom of tstat1.nii.gz' }).press('Enter');
    await summary(page).filter({ hasText: 't ≥ 3.552 (df 20)' }).waitFor({ timeout: 60_000 });
    expect((await clusters(page, 'tstat1.nii.gz')).length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('aal is an atlas: never thresholded, label colours, region names at the crosshair and per cluster peak once its table is opened', async () => {
    const { path, names } = await aalTable();
    const { page, errors } = await open(browser, inject('baseUrl'), { width: 1600, height: 1000 });
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz'), real('aal.nii.gz')]);
    const row = page.locator('sl-map-list li[data-map="aal.nii.gz"]');
    await expect(row.getAttribute('data-kind')).resolves.toBe('label');
    await page.locator('#file-input').setInputFiles([path]);
    await row.filter({ hasText: `${names.size} region names` }).waitFor();
    // The stat map's table names the region at each peak.
    const table = await clusters(page, 'spmMotor.nii.gz');
    const regions = await page.locator('sl-cluster-table td.region').allTextContents();
    expect(regions.length).toBe(Math.min(table.length, regions.length));
    expect(regions.some((r) => /^AAL region \d+$/.test(r))).toBe(true);
    // The CSV gains the peak's region and each cluster's share of voxels per region.
    const download = page.waitForEvent('download');
    await page.locator('sl-cluster-table #export-clusters').click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    // The settings come first as '#' lines (issue 15); then the columns and the first cluster's row.
    const body = csv.split('\n').filter((l) => !l.startsWith('#'));
    expect(body[0]).toContain('peak_region,region_shares');
    expect(body[1]).toMatch(/AAL region \d+ \d+\.\d%/);
    // At the first cluster's peak, the readout names the region the table names.
    await page.locator('sl-cluster-table tr[data-index="1"] button').click();
    const region = page.locator('sl-readout [data-map="aal.nii.gz"] .region');
    await expect.poll(() => region.innerText(), { timeout: 20_000 }).toBe(regions[0]);
    // Shown itself, the atlas is drawn in its label colours with no threshold and no cluster table.
    await page.getByRole('radio', { name: 'Show aal.nii.gz' }).check();
    await page.locator('figure[data-pane="single"][data-layers="background label mask"]').waitFor({ timeout: 60_000 });
    await page.locator('sl-cluster-table #cluster-count').filter({ hasText: '0 cluster(s)' }).waitFor();
    // Far more than the crosshair's lines (about 6,000 coloured pixels at this size) colour the pane.
    await expect.poll(() => colouredPixels(page, 'single'), { timeout: 20_000 }).toBeGreaterThan(30_000);
    await expect(region.innerText()).resolves.toBe(regions[0]);
    await screenshot(page, 'kinds-aal-atlas-1600x1000');
    expect(errors).toEqual([]);
  });

  it('a 4D map: frame 2 chosen from its control changes the table, and the link keeps it', async () => {
    const shared = `${inject('baseUrl')}${inject('sharedUrl')}`;
    const q = new URLSearchParams();
    q.append('map', `${shared}/real/stats.nv_demo_mskd.nii.gz`);
    const { page, errors } = await open(browser, `${inject('baseUrl')}/?${q}`, { width: 1280, height: 720 });
    const name = 'stats.nv_demo_mskd.nii.gz';
    const first = await clusters(page, name);
    const frame = page.getByRole('spinbutton', { name: `Frame number of ${name}` });
    await expect(frame.inputValue()).resolves.toBe('1');
    await frame.fill('2');
    await frame.press('Enter');
    await page
      .locator(`sl-map-list li[data-map="${name}"]`)
      .filter({ hasText: 'frame 2 of 2' })
      .waitFor({ timeout: 60_000 });
    await expect
      .poll(async () => JSON.stringify(await clusters(page, name)) !== JSON.stringify(first), { timeout: 60_000 })
      .toBe(true);
    const second = await clusters(page, name);
    await expect.poll(() => page.url()).toContain('frames=0%3A1');
    await screenshot(page, 'kinds-4d-frame2-1280x720');
    const again = await open(browser, page.url(), { width: 1280, height: 720 });
    await again.page
      .locator(`sl-map-list li[data-map="${name}"]`)
      .filter({ hasText: 'frame 2 of 2' })
      .waitFor({ timeout: 60_000 });
    await expect
      .poll(async () => JSON.stringify(await clusters(again.page, name)), { timeout: 60_000 })
      .toBe(JSON.stringify(second));
    expect([...errors, ...again.errors]).toEqual([]);
  });
});
