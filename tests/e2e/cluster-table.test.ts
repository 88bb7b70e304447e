import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import pkg from '../../package.json';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { openPage, screenshot, useBrowser } from './browser';
import { clusters, openMaps, paneCrosshair, typeThreshold } from './page';

/** The focused element, through shadow roots: its tag and the cluster row it is in. */
async function focused(page: Page): Promise<{ tag: string; key: string | null; host: string | null }> {
  return page.evaluate(() => {
    let a: Element | null = document.activeElement;
    let host: string | null = null;
    while (a?.shadowRoot?.activeElement) (host = a.tagName.toLowerCase()), (a = a.shadowRoot.activeElement);
    return { tag: a?.tagName.toLowerCase() ?? '', key: a?.closest('tr')?.getAttribute('data-key') ?? null, host };
  });
}

describe.skipIf(!HAS_SHARED)(`the cluster table (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  const browser = useBrowser();

  it('is one Tab stop with arrow keys between rows, shows sub-peaks and the GRF basis, fits at 1280 px, exports its settings', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await page.setViewportSize({ width: 1280, height: 720 });
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
    // t 3.1 (z 3.06 at 262 df) and a GRF extent, so p-values and the smoothness behind them show.
    await typeThreshold(page, '3.1');
    await page.locator('sl-threshold-panel #extent').selectOption('grf');
    await page.waitForFunction(
      () =>
        !!document
          .querySelector('siglens-app')
          ?.shadowRoot?.querySelector('sl-cluster-table')
          ?.shadowRoot?.querySelector('#grf-basis'),
      undefined,
      { timeout: 60_000 },
    );
    const table = await clusters(page, 'spmMotor.nii.gz');
    expect(table.length).toBeGreaterThanOrEqual(2);
    const grid = page.locator('sl-cluster-table');
    await expect(grid.locator('#grf-basis').innerText()).resolves.toMatch(
      /^GRF p from FWHM [\d.]+ × [\d.]+ × [\d.]+ mm \([\d.]+ × [\d.]+ × [\d.]+ voxels\), DLH [\d.]+, [\d.]+ resels, V \d+ voxels$/,
    );
    // One Tab stop: from the last control above the grid (the spheres-at-peaks radius, issue 17), Tab
    // lands on the first row, the next Tab leaves the table.
    await grid.locator('#peak-radius').focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'tr', key: '1' });
    await page.keyboard.press('Tab');
    expect((await focused(page)).host).not.toBe('sl-cluster-table');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ tag: 'tr', key: '1' });
    // Arrows move between rows; Enter goes to that row's peak.
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).key).toBe('2');
    await page.keyboard.press('Enter');
    await expect.poll(() => paneCrosshair(page, 'single'), { timeout: 10_000 }).toEqual(table[1]!.peak.mm);
    await page.keyboard.press('End');
    expect((await focused(page)).key).toBe(String(table.length));
    await page.keyboard.press('Home');
    // Sub-peaks: Right shows them as rows under their cluster, Down reaches them, Enter goes there.
    const withSubs = table.find((c) => c.subpeaks.length > 0)!;
    expect(withSubs).toBeDefined();
    for (let k = 1; k < withSubs.index; k++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await expect(
      grid.locator(`tr[data-index="${withSubs.index}"]`).first().getAttribute('aria-expanded'),
    ).resolves.toBe('true');
    await expect(grid.locator(`tr[aria-level="2"][data-index="${withSubs.index}"]`).count()).resolves.toBe(
      withSubs.subpeaks.length,
    );
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).key).toBe(`${withSubs.index}.1`);
    await page.keyboard.press('Enter');
    await expect.poll(() => paneCrosshair(page, 'single'), { timeout: 10_000 }).toEqual(withSubs.subpeaks[0]!.mm);
    const subText = await grid.locator(`tr[data-key="${withSubs.index}.1"]`).innerText();
    expect(subText).toContain(withSubs.subpeaks[0]!.mm.map((v) => v.toFixed(0)).join(', '));
    // Every column is visible at 1280 px: nothing scrolls sideways in the table's box.
    const box = await grid.locator('.scroll').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(box.scroll).toBeLessThanOrEqual(box.client + 1);
    await screenshot(page, 'cluster-table-1280x720');
    // The CSV: the settings as header lines, then the rows with the sub-peaks.
    const [dl] = await Promise.all([page.waitForEvent('download'), grid.locator('#export-clusters').click()]);
    expect(dl.suggestedFilename()).toBe('spmMotor_clusters.csv');
    const lines = readFileSync((await dl.path())!, 'utf8').split('\r\n');
    const header = Object.fromEntries(
      lines
        .filter((l) => l.startsWith('#'))
        .map((l) => [l.slice(0, l.indexOf(',')), l.slice(l.indexOf(',') + 1).replace(/^"|"$/g, '')]),
    );
    expect(header).toMatchObject({
      '# SigLens cluster table': `version ${pkg.version}`,
      '# file': 'spmMotor.nii.gz',
      // spmMotor is SPM{T_[262.0]} (its descrip): the value typed is a t of 262 df.
      '# threshold': 't(262) >= 3.1 (one-sided)',
      '# connectivity': '26-connected',
    });
    expect(header['# extent']).toMatch(/^GRF cluster p < 0.05 \(at least \d+ voxels\)$/);
    expect(header['# smoothness']).toMatch(/^FWHM .* mm \(.* voxels\), DLH [\d.]+, [\d.]+ resels, V \d+ voxels$/);
    expect(header['# engine']).toMatch(/\w/);
    const body = lines.filter((l) => l && !l.startsWith('#'));
    expect(body.length).toBe(1 + table.length + table.reduce((n, c) => n + c.subpeaks.length, 0));
    expect(body.filter((l) => l.startsWith(`${withSubs.index},1,`))).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
