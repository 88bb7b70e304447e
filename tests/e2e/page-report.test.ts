import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { REPO } from '../helpers/shared';
import { SCREENSHOTS as SCREENSHOTS_DIR, useBrowser } from './browser';
import { clusters, openMaps } from './page';

const MARKUP = '<img src=x onerror=alert(1)>.nii.gz';

describe('Export report from the page', () => {
  const browser = useBrowser();

  it('saves one HTML file that opens offline with no request leaving it; names stay text', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await openMaps(page, [
      join(REPO, 'sample-data/template_standin_SYNTHETIC.nii.gz'),
      join(REPO, 'sample-data/group_pain_pre_zstat.nii.gz'),
    ]);
    // A second map named like markup (a file's name is the user's, not ours).
    await page.locator('#file-input').setInputFiles([
      {
        name: MARKUP,
        mimeType: 'application/gzip',
        buffer: readFileSync(join(REPO, 'sample-data/group_pain_post_zstat.nii.gz')),
      },
    ]);
    await page.locator('sl-map-list li').nth(2).waitFor({ timeout: 60_000 });
    const table = await clusters(page, 'group_pain_pre_zstat.nii.gz');

    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.locator('sl-export-panel #export-report').click(),
    ]);
    const html = readFileSync(await download.path(), 'utf8');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.nii.gz');
    expect(html).toContain('data:image/png;base64,');
    const file = join(SCREENSHOTS_DIR, 'siglens_report.html');
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    writeFileSync(file, html);

    // Offline, every request recorded: only the file itself may be asked for.
    const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 720 } });
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const report = await context.newPage();
    const reportErrors: string[] = [];
    report.on('pageerror', (e) => reportErrors.push(String(e)));
    report.on('dialog', (d) => {
      reportErrors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await report.goto(`file://${file}`);
    await report.waitForLoadState('load');
    expect(requests).toEqual([`file://${file}`]);
    expect(await report.locator('#clusters tbody tr').count()).toBeGreaterThanOrEqual(table.length);
    expect(
      await report.locator('#figures img').evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBeGreaterThan(500);
    await report.locator('#figures').scrollIntoViewIfNeeded();
    await report.screenshot({ path: join(SCREENSHOTS_DIR, 'report-page.png') });
    await context.close();
    expect(reportErrors).toEqual([]);
    expect(errors).toEqual([]);
  });
});
