import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readNifti } from '../../src/nifti';
import { siglensJson } from '../helpers/cli';
import { HAS_SHARED, real, SHARED_MISSING, signatures } from '../helpers/shared';
import { openPage, screenshot, useBrowser } from './browser';
import { clusters, markerPixels, openMaps, paneCrosshair, roiTable } from './page';

async function downloadBytes(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Uint8Array }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await dl.path();
  const { readFileSync } = await import('node:fs');
  return { name: dl.suggestedFilename(), bytes: new Uint8Array(readFileSync(path!)) };
}

describe.skipIf(!HAS_SHARED)(`ROI, signature and export panels (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  const browser = useBrowser();

  it('ROIs: add by coordinates and at the crosshair, edit a radius, remove; means equal siglens roi', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
    const table = await clusters(page, 'spmMotor.nii.gz');
    const form = page.locator('sl-roi-panel form');
    await form.locator('input[name=x]').fill('48');
    await form.locator('input[name=y]').fill('-14');
    await form.locator('input[name=z]').fill('56');
    await form.locator('input[name=r]').fill('6');
    await form.locator('input[name=name]').fill('motor peak');
    await form.locator('button[type=submit]').click();
    const row = page.locator('sl-roi-panel tr[data-roi="motor peak"]');
    await row.waitFor();
    const cli = (r: number) =>
      siglensJson<{ results: { rois: { voxels: number; mean: number }[] }[] }>(
        'roi',
        real('spmMotor.nii.gz'),
        '--sphere',
        `48,-14,56,${r}`,
      ).results[0]!.rois[0]!;
    const meanOf = async (name: string) => {
      await page.waitForFunction((n) => {
        const p = document.querySelector('siglens-app')?.shadowRoot?.querySelector('sl-roi-panel') as unknown as {
          spheres: { name: string }[];
          results: unknown[][];
        };
        const k = p.spheres.findIndex((s) => s.name === n);
        return k >= 0 && p.results[0]?.length === p.spheres.length;
      }, name);
      const t = await roiTable(page);
      const k = (
        await page.locator('sl-roi-panel tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-roi')))
      ).indexOf(name);
      return t.results[0]![k]!;
    };
    const six = await meanOf('motor peak');
    expect(six.voxels).toBe(cli(6).voxels);
    expect(six.mean).toBeCloseTo(cli(6).mean, 10);
    await row.locator('input[type=number]').fill('4');
    await row.locator('input[type=number]').press('Enter');
    await expect.poll(async () => (await meanOf('motor peak')).voxels, { timeout: 10_000 }).toBe(cli(4).voxels);
    expect((await meanOf('motor peak')).mean).toBeCloseTo(cli(4).mean, 10);
    // Add at the crosshair: go to the largest cluster's peak first.
    await page.locator('sl-cluster-table tr[data-index="1"] button').click();
    await expect.poll(() => paneCrosshair(page, 'single'), { timeout: 10_000 }).toEqual(table[0]!.peak.mm);
    await page.locator('sl-roi-panel #roi-at-crosshair').click();
    await page.locator(`sl-roi-panel tr[data-roi="crosshair (${table[0]!.peak.mm.join(', ')})"]`).waitFor();
    // Both spheres sit on that peak (it is the motor peak): their markers show around the crosshair,
    // and shrink to the 2 mm sphere's when the 4 mm one goes.
    expect(table[0]!.peak.mm).toEqual([48, -14, 56]);
    // Magenta markers: a 4 mm sphere is a few voxels across at this pane's size, and the crosshair
    // runs through both spheres' centres.
    await expect.poll(() => markerPixels(page, 'single'), { timeout: 10_000 }).toBeGreaterThan(30);
    const both = await markerPixels(page, 'single');
    await row.getByRole('button', { name: 'Remove motor peak' }).click();
    await expect(page.locator('sl-roi-panel tr[data-roi="motor peak"]').count()).resolves.toBe(0);
    await expect.poll(() => markerPixels(page, 'single'), { timeout: 10_000 }).toBeLessThan(both * 0.7);
    // The 2 mm sphere left is a plus of five voxels per slice, all under the crosshair's lines.
    await screenshot(page, 'panels-roi');
    expect(errors).toEqual([]);
  });

  it('signature: SIIPS1 responses equal siglens signature; exports give the thresholded map, labels and a PNG', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
    await clusters(page, 'spmMotor.nii.gz');
    await openMaps(page, [
      real('narps-4965_9U7M-hypo1_unthresh.nii.gz'),
      signatures('nonnoc_v11_4_137subjmap_weighted_mean.nii.gz'),
    ]);
    const panel = page.locator('sl-signature-panel');
    await panel.locator('#weights').selectOption({ label: 'nonnoc_v11_4_137subjmap_weighted_mean.nii.gz' });
    await panel.locator('#metric').selectOption('cosine');
    await panel.locator('td.value').first().waitFor();
    await page.waitForFunction(() => {
      const p = document.querySelector('siglens-app')?.shadowRoot?.querySelector('sl-signature-panel') as unknown as {
        results: unknown[];
        settings: { metric: string };
      };
      return p.results.length === 2 && p.settings.metric === 'cosine';
    });
    const shown = await panel.evaluate(
      (el) => (el as unknown as { results: { file: string; value: number; voxels: number }[] }).results,
    );
    const cli = siglensJson<{ results: { file: string; value: number; voxels: number }[] }>(
      'signature',
      signatures('nonnoc_v11_4_137subjmap_weighted_mean.nii.gz'),
      real('spmMotor.nii.gz'),
      real('narps-4965_9U7M-hypo1_unthresh.nii.gz'),
      '--metric',
      'cosine',
      '--engine',
      'cpu',
    );
    for (const r of cli.results) {
      const s = shown.find((x) => x.file === r.file)!;
      expect(s.voxels).toBe(r.voxels);
      expect(Math.abs(s.value - r.value)).toBeLessThanOrEqual(1e-4 * Math.abs(r.value));
    }
    await panel.locator('#contribution').check();
    await page.waitForFunction(
      () =>
        !!(document.querySelector('siglens-app') as unknown as { results: { contribution: unknown } | null }).results
          ?.contribution,
    );

    const table = await clusters(page, 'spmMotor.nii.gz');
    const thresholded = await downloadBytes(page, () => page.locator('#export-thresholded').click());
    expect(thresholded.name).toBe('spmMotor_thresholded.nii');
    const img = await readNifti(thresholded.bytes, { name: thresholded.name });
    const data = img.frame(0);
    const kept = data.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
    expect(kept).toBe(table.reduce((n, c) => n + c.voxels, 0));
    const labels = await downloadBytes(page, () => page.locator('#export-labels').click());
    const lab = (await readNifti(labels.bytes, { name: labels.name })).frame(0);
    expect(lab.reduce((m, v) => Math.max(m, v), 0)).toBe(table.length);
    expect(lab.filter((v) => v === 1).length).toBe(table[0]!.voxels);
    const png = await downloadBytes(page, () =>
      page.getByRole('button', { name: 'Save spmMotor.nii.gz as PNG' }).click(),
    );
    expect(Array.from(png.bytes.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    expect(png.bytes.length).toBeGreaterThan(10_000);
    await screenshot(page, 'panels-signature');
    expect(errors).toEqual([]);
  });

  it('a shared link reopens the same view of maps loaded by URL', async () => {
    const shared = `${inject('baseUrl')}${inject('sharedUrl')}`;
    const q = new URLSearchParams();
    q.append('map', `${shared}/real/narps-4965_9U7M-hypo1_unthresh.nii.gz`);
    q.append('map', `${shared}/real/narps-4735_50GV-hypo1_unthresh.nii.gz`);
    q.set('bg', `${shared}/real/MNI152_T1_2mm.nii.gz`);
    q.set('t', '3.1');
    q.set('two', '1');
    q.set('conn', '18');
    q.set('xyz', '-30,-32,-12');
    const { page, errors } = await openPage(browser, `${inject('baseUrl')}/?${q}`);
    const first = await clusters(page, 'narps-4965_9U7M-hypo1_unthresh.nii.gz');
    await expect(page.locator('sl-threshold-panel #threshold').inputValue()).resolves.toBe('3.1');
    await expect(page.locator('sl-threshold-panel #connectivity').inputValue()).resolves.toBe('18');
    await expect(page.locator('sl-threshold-panel #two-sided').isChecked()).resolves.toBe(true);
    expect(first.some((c) => c.sign === -1)).toBe(true);
    await expect(page.locator('sl-readout #crosshair-mm').innerText()).resolves.toContain('-30.0, -32.0, -12.0');
    // Turn on the comparison, then reopen the page's own URL in a new tab.
    await page.locator('sl-compare-panel #compare-on').check();
    await clusters(page, 'narps-4735_50GV-hypo1_unthresh.nii.gz', 1);
    // The address follows the view once it settles.
    await expect.poll(() => page.url()).toContain('compare=0%2C1%2C1');
    const link = page.url();
    const again = await openPage(browser, link);
    const reopened = await clusters(again.page, 'narps-4735_50GV-hypo1_unthresh.nii.gz', 1);
    expect(reopened).toEqual(await clusters(page, 'narps-4735_50GV-hypo1_unthresh.nii.gz', 1));
    await again.page.locator('figure[data-pane="difference"] canvas').waitFor();
    await screenshot(again.page, 'shared-link');
    expect([...errors, ...again.errors]).toEqual([]);
  });
});
