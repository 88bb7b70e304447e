import { ROWS_BEFORE_SCROLLING } from '../../src/app/page/settings';
import { describe, expect, inject, it } from 'vitest';
import type { Cluster } from '../../src/analysis/clusters';
import { siglensJson } from '../helpers/cli';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { openPage, screenshot, useBrowser } from './browser';
import { clusters, openMaps, paneCrosshair, roiTable, steady, typeThreshold, warmPixels } from './page';

type CliCluster = Omit<Cluster, 'cog' | 'subpeaks'> & { cog: { mm: number[] } };

function expectSameClusters(page: Cluster[], cli: CliCluster[]): void {
  expect(page.length).toBe(cli.length);
  page.forEach((c, k) => {
    const r = cli[k]!;
    expect([c.index, c.sign, c.voxels, c.peak.value]).toEqual([r.index, r.sign, r.voxels, r.peak.value]);
    expect(c.peak.mm).toEqual(r.peak.mm);
    c.cog.mm.forEach((v, a) => expect(v).toBeCloseTo(r.cog.mm[a]!, 6));
    if (r.p === null) expect(c.p).toBeNull();
    else expect(Math.abs(c.p! - r.p)).toBeLessThanOrEqual(1e-9 * Math.max(r.p, 1e-300) + 1e-300);
  });
}

describe.skipIf(!HAS_SHARED)(`the viewer (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  const browser = useBrowser();

  for (const [file, shot] of [
    ['spmMotor.nii.gz', 'viewer-spmMotor'],
    ['narps-4965_9U7M-hypo1_unthresh.nii.gz', 'viewer-narps'],
  ] as const) {
    it(`${file} over the MNI template: overlay visible, cluster table equal to siglens clusters`, async () => {
      const { page, errors } = await openPage(browser, inject('baseUrl'));
      await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real(file)]);
      const table = await clusters(page, file);
      const cli = siglensJson<{ clusters: CliCluster[] }>(
        'clusters',
        real(file),
        '--threshold',
        '2.3',
        '--connectivity',
        '26',
        '--estimate-smoothness',
        '--engine',
        'cpu',
      );
      expectSameClusters(table, cli.clusters);
      // The rows on screen say the same.
      const firstRow = await page.locator('sl-cluster-table tr[data-index="1"]').innerText();
      expect(firstRow).toContain(String(cli.clusters[0]!.voxels));
      expect(firstRow).toContain(cli.clusters[0]!.peak.mm.map((v) => v.toFixed(0)).join(', '));
      // Every cluster is listed; a long table draws the rows around what its box shows, and scrolling
      // to the end draws the last cluster's row, with the command's numbers.
      expect(await page.locator('sl-cluster-table table').getAttribute('aria-rowcount')).toBe(String(table.length + 1));
      const drawn = page.locator('sl-cluster-table tbody tr[data-index]');
      if (table.length > 3 * ROWS_BEFORE_SCROLLING) {
        expect(await drawn.count()).toBeLessThan(table.length);
        await page.locator('sl-cluster-table .scroll').evaluate((box) => box.scrollTo(0, box.scrollHeight));
        const last = page.locator(`sl-cluster-table tr[data-index="${table.length}"]`);
        await last.waitFor();
        expect(await last.isVisible()).toBe(true);
        expect(await last.innerText()).toContain(
          cli.clusters[table.length - 1]!.peak.mm.map((v) => v.toFixed(0)).join(', '),
        );
      } else {
        expect(await drawn.count()).toBe(table.length);
      }
      await expect.poll(() => warmPixels(page, 'single'), { timeout: 30_000 }).toBeGreaterThan(500);
      await screenshot(page, shot);
      expect(errors).toEqual([]);
    });
  }

  it('a threshold change updates the table and the overlay; a row click moves the crosshair to the peak', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
    const before = await clusters(page, 'spmMotor.nii.gz');
    // The overlay as drawn at the first threshold: once the pane has stopped changing.
    const pixelsBefore = await steady(
      page,
      () => warmPixels(page, 'single'),
      (n) => n > 0,
    );
    await typeThreshold(page, '5');
    await page
      .locator('sl-threshold-panel #threshold-summary')
      .filter({ hasText: /t ≥ 5(\.0+)?\b/ })
      .waitFor();
    await page.waitForFunction((n) => {
      const el = document.querySelector('siglens-app')?.shadowRoot?.querySelector('sl-cluster-table') as unknown as {
        clusters: unknown[];
      } | null;
      return el && el.clusters.length !== n;
    }, before.length);
    const after = await clusters(page, 'spmMotor.nii.gz');
    const cli = siglensJson<{ clusters: CliCluster[] }>(
      'clusters',
      real('spmMotor.nii.gz'),
      '--threshold',
      '5',
      '--estimate-smoothness',
      '--engine',
      'cpu',
    );
    expectSameClusters(after, cli.clusters);
    expect(after.length).toBeLessThan(before.length);
    // Drawn at the new threshold: fewer warm pixels than before, and steady.
    const pixelsAfter = await steady(
      page,
      () => warmPixels(page, 'single'),
      (n) => n > 0 && n < pixelsBefore,
    );
    expect(pixelsAfter).toBeGreaterThan(0);
    expect(pixelsAfter).toBeLessThan(pixelsBefore);
    await page.locator('sl-cluster-table tr[data-index="1"] button').click();
    await expect.poll(() => paneCrosshair(page, 'single')).toEqual(after[0]!.peak.mm);
    await expect(page.locator('sl-readout #crosshair-mm').innerText()).resolves.toContain(
      after[0]!.peak.mm.map((v) => v.toFixed(1)).join(', '),
    );
    await screenshot(page, 'viewer-threshold-5');
    // The page soon holds the map's threshold index: new thresholds are read from it, the same tables.
    // Each try moves the threshold (4.5, 4.4, ... 3.6, then back and forth) until a table comes from the index.
    let t = 4.6;
    let step = -0.1;
    const nextTable = async (): Promise<string> => {
      if (t + step < 3.55) step = 0.1;
      else if (step > 0) step = -0.1;
      t = Math.round((t + step) * 10) / 10;
      await typeThreshold(page, String(t));
      await page.waitForFunction(
        (want) =>
          (document.querySelector('siglens-app') as unknown as { results: { threshold: number } | null }).results
            ?.threshold === want,
        t,
      );
      return page.evaluate(
        () =>
          (document.querySelector('siglens-app') as unknown as { results: { shown: { table: { engine: string } }[] } })
            .results.shown[0]!.table.engine,
      );
    };
    await expect.poll(nextTable, { timeout: 60_000, interval: 250 }).toBe('threshold index (CPU)');
    const cliT = siglensJson<{ clusters: CliCluster[] }>(
      'clusters',
      real('spmMotor.nii.gz'),
      '--threshold',
      String(t),
      '--estimate-smoothness',
      '--engine',
      'cpu',
    );
    expectSameClusters(await clusters(page, 'spmMotor.nii.gz'), cliT.clusters);
    expect(errors).toEqual([]);
  });

  it('compares two maps: both panes render, a click in one moves the other, ROI deltas equal siglens roi', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    const pre = 'narps-4965_9U7M-hypo1_unthresh.nii.gz';
    const post = 'narps-4735_50GV-hypo1_unthresh.nii.gz';
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real(pre)]);
    await openMaps(page, [real(post)]);
    await page.locator('sl-compare-panel #compare-on').check();
    await clusters(page, post, 1);
    for (const pane of ['pre', 'post', 'difference'])
      await page.locator(`figure[data-pane="${pane}"] canvas`).waitFor();
    await expect.poll(() => warmPixels(page, 'pre'), { timeout: 30_000 }).toBeGreaterThan(300);
    await expect.poll(() => warmPixels(page, 'post'), { timeout: 30_000 }).toBeGreaterThan(300);
    // A click in the pre pane moves the crosshair of the post (and difference) pane to the same place.
    const box = (await page.locator('figure[data-pane="pre"] canvas').boundingBox())!;
    const before = await paneCrosshair(page, 'post');
    // Inside the first (axial) tile, where the pane says it drew it (the layout follows the pane's shape).
    const geometry = await page
      .locator('figure[data-pane="pre"]')
      .evaluate((f) => JSON.parse((f as HTMLElement).dataset.geometry ?? '{"slices":[]}') as { slices: number[][] });
    const [left, top, width, height] = geometry.slices[0]!;
    await page.mouse.click(box.x + left! + width! * 0.3, box.y + top! + height! * 0.3);
    await expect
      .poll(async () => (await paneCrosshair(page, 'post')).join(), { timeout: 10_000 })
      .not.toBe(before.join());
    const [a, b, c] = await Promise.all(['pre', 'post', 'difference'].map((p) => paneCrosshair(page, p)));
    b!.forEach((v, k) => expect(Math.abs(v - a![k]!)).toBeLessThanOrEqual(1.2));
    c!.forEach((v, k) => expect(Math.abs(v - a![k]!)).toBeLessThanOrEqual(1.2));
    // ROI deltas: post - pre in the page, from the command line's means.
    const roi = await roiTable(page);
    const cli = siglensJson<{ results: { file: string; rois: { mean: number }[] }[] }>('roi', real(pre), real(post));
    const iPre = roi.columns.indexOf(pre);
    const iPost = roi.columns.indexOf(post);
    cli.results[1]!.rois.forEach((r, k) => {
      const delta = r.mean - cli.results[0]!.rois[k]!.mean;
      expect(roi.results[iPost]![k]!.mean! - roi.results[iPre]![k]!.mean!).toBeCloseTo(delta, 10);
      expect(Number(roi.deltas[k])).toBeCloseTo(delta, 3);
    });
    await expect(page.locator('text=resampled (trilinear)').first().isVisible()).resolves.toBe(true);
    await screenshot(page, 'viewer-compare');
    expect(errors).toEqual([]);
  });
});
