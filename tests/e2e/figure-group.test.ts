import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { readNiftiFile } from '../../src/cli/files';
import { sliceMm, VIEW_AXIS, voxelAxis } from '../../src/figure/figure-slices';
import { HAS_SHARED, REPO, real } from '../helpers/shared';
import { screenshot, useBrowser } from './browser';
import { clusters, openMaps, steadyPanes, typeThreshold } from './page';

const SUBJECTS = join(REPO, 'sample-data/subjects');
const files = readdirSync(SUBJECTS).map((f) => join(SUBJECTS, f));

/** The z range (mm) where a subject's map holds finite non-zero values: the group mask lies within it. */
async function zSpan(file: string): Promise<[number, number]> {
  const v = (await readNiftiFile(file)).volume();
  const axis = voxelAxis(v.affine, VIEW_AXIS.axial);
  const [nx, ny] = v.dims;
  let [lo, hi] = [Infinity, -Infinity];
  for (let i = 0; i < v.data.length; i++) {
    const x = v.data[i]!;
    if (x === 0 || !Number.isFinite(x)) continue;
    const k = [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))][axis]!;
    const mm = sliceMm(v, 'axial', k);
    [lo, hi] = [Math.min(lo, mm), Math.max(hi, mm)];
  }
  return [lo, hi];
}

/** Issue 21 item 1: the figure of a group run's map, after the viewer's threshold changed. */
describe('the figure of a group result', () => {
  const browser = useBrowser();

  it("uses the viewer's threshold now, keeps its slices in the brain and numbers every cluster", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    // The real MNI head template (skull and scalp above and below the brain) where the shared data is present.
    if (HAS_SHARED) await openMaps(page, [real('MNI152_T1_2mm.nii.gz')]);
    const panel = page.locator('sl-group-panel');
    await panel.locator('#group-files').setInputFiles(files);
    await panel.locator('#group-permutations').fill('100');
    await panel.locator('#group-permutations').press('Enter');
    await panel.locator('#group-run').click();
    await panel.locator('#group-stats').waitFor({ timeout: 180_000 });
    await page.locator('sl-map-list li[data-map$="_tstat.nii"]').waitFor({ timeout: 60_000 });
    const tstat = (await page.locator('sl-map-list li[data-map$="_tstat.nii"]').getAttribute('data-map'))!;
    await clusters(page, tstat);

    // The viewer's threshold, changed after the run, with every cluster kept (the run's view keeps
    // only those with p FWE < 0.05, by an extent).
    await page.locator('sl-threshold-panel #extent').selectOption('none');
    await typeThreshold(page, '4');
    await page.waitForFunction(
      () =>
        (
          document.querySelector('siglens-app')?.shadowRoot?.querySelector('sl-cluster-table') as unknown as {
            basis: { threshold: number } | null;
          } | null
        )?.basis?.threshold === 4,
      undefined,
      { timeout: 60_000 },
    );
    const table = await clusters(page, tstat);
    expect(table.length).toBeGreaterThan(1);

    await page.locator('sl-export-panel #export-figure').click();
    await page.locator('sl-figure-dialog #figure-glass').check();
    const preview = page.locator('sl-figure-dialog #figure-preview');
    await preview.and(page.locator('[data-glass="3"]')).waitFor({ timeout: 60_000 });
    await steadyPanes(page, 'sl-figure-dialog #figure-preview');
    await screenshot(page, 'figure-group-threshold-4-1280x720');

    // Every slice within the group's search volume (no slice of scalp or empty box).
    const [lo, hi] = await zSpan(files.find((f) => f.endsWith('.nii.gz'))!);
    const slices = (await preview.getAttribute('data-slices'))!.split(',').map(Number);
    expect(slices.length).toBe(12);
    for (const z of slices) expect(z >= lo && z <= hi, `z = ${z} outside ${lo}..${hi}`).toBe(true);

    // Cluster numbers: more than cluster 1, each a listed cluster, none twice.
    const labels = (await preview.getAttribute('data-labels'))!.split(',').filter(Boolean).map(Number);
    expect(labels.length).toBeGreaterThan(1);
    expect(new Set(labels).size).toBe(labels.length);
    for (const k of labels) expect(k >= 1 && k <= table.length).toBe(true);

    // The glass brain row at the viewer's threshold: the clusters drawn, not a solid block of colour.
    const boxes = (await preview.getAttribute('data-glass-px'))!.split(';').map((b) => b.split(' ').map(Number));
    const warm = await preview.evaluate((canvas, boxes) => {
      const ctx = (canvas as HTMLCanvasElement).getContext('2d')!;
      return boxes.map(([x, y, w, h]) => {
        const d = ctx.getImageData(x!, y!, w!, h!).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i]! > 180 && d[i + 2]! < 100 && d[i]! - d[i + 2]! > 120) n++;
        return n / (w! * h!);
      });
    }, boxes);
    for (const share of warm) {
      expect(share).toBeGreaterThan(0);
      expect(share).toBeLessThan(0.2);
    }
    expect(errors).toEqual([]);
  });
});
