import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { readNifti } from '../../src/nifti';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { useBrowser } from './browser';
import { clusters, openMaps, typeThreshold } from './page';

/** A label table for AAL's values (names made up here: the shared data holds the image only). */
async function aalTable(): Promise<string> {
  const v = (await readNifti(new Uint8Array(readFileSync(real('aal.nii.gz'))), { name: 'aal.nii.gz' })).volume(0);
  const values = [...new Set(v.data)].filter((x) => x > 0).sort((a, b) => a - b);
  const path = join(mkdtempSync(join(tmpdir(), 'siglens-report-atlas-')), 'aal.tsv');
  writeFileSync(path, `index\tname\n${values.map((x) => `${x}\tRegion_${x}`).join('\n')}\n`);
  return path;
}

/** Issue 21: with an atlas open, the page's report lists each cluster's peak region and its sub-peaks, as the cluster table does. */
describe.skipIf(!HAS_SHARED)(`the page's report with an atlas (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  const browser = useBrowser();

  it("names each cluster's peak region and lists its sub-peaks, as the page's cluster table", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz'), real('aal.nii.gz')]);
    await page.locator('#file-input').setInputFiles(await aalTable());
    await typeThreshold(page, '5');
    await page.waitForFunction(
      () =>
        (
          document.querySelector('siglens-app')?.shadowRoot?.querySelector('sl-cluster-table') as unknown as {
            basis: { threshold: number } | null;
          } | null
        )?.basis?.threshold === 5,
      undefined,
      { timeout: 60_000 },
    );
    const table = await clusters(page, 'spmMotor.nii.gz');
    await page
      .locator('sl-cluster-table td.region')
      .filter({ hasText: /Region_/ })
      .first()
      .waitFor({ timeout: 60_000 });
    const regions = await page.locator('sl-cluster-table tr[aria-level="1"] td.region').allInnerTexts();
    expect(regions.length).toBe(table.length);
    expect(regions.filter((r) => r.startsWith('Region_')).length).toBeGreaterThan(0);
    const subs = table.reduce((n, c) => n + c.subpeaks.length, 0);
    expect(subs).toBeGreaterThan(0);

    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.locator('sl-export-panel #export-report').click(),
    ]);
    const html = readFileSync(await download.path(), 'utf8');
    const section = html.match(/<section id="clusters">(.*?)<\/section>/s)?.[1] ?? '';
    const head = section.match(/<thead>(.*?)<\/thead>/s)?.[1] ?? '';
    expect(head).toContain('region');
    const rows = [...section.matchAll(/<tr>(.*?)<\/tr>/gs)]
      .map((m) => [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((c) => c[1]!))
      .filter((r) => r.length);
    // One row per cluster and one per sub-peak (numbered cluster.k), in the page's order.
    expect(rows.length).toBe(table.length + subs);
    const keys = table.flatMap((c) => [String(c.index), ...c.subpeaks.map((_, k) => `${c.index}.${k + 1}`)]);
    expect(rows.map((r) => r[0])).toEqual(keys);
    // Each cluster row's region is the page's peak region; a sub-peak row's peak is the page's sub-peak.
    const clusterRows = rows.filter((r) => !r[0]!.includes('.'));
    expect(clusterRows.map((r) => r.at(-1))).toEqual(regions);
    const first = table.find((c) => c.subpeaks.length)!;
    const subRow = rows.find((r) => r[0] === `${first.index}.1`)!;
    expect(subRow[6]).toBe(`(${first.subpeaks[0]!.mm.map((v) => String(Number(v.toPrecision(3)))).join(', ')})`);
    expect(errors).toEqual([]);
  });
});
