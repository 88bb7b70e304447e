import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { URL_WRITE_DELAY_MS } from '../../src/app/page/url-state';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { openPage, screenshot, useBrowser } from './browser';
import { clusters, openMaps, typeThreshold } from './page';

const MOTOR = 'spmMotor.nii.gz';
const NARPS = 'narps-4965_9U7M-hypo1_unthresh.nii.gz';

/** What the page holds, read from its state. */
async function view(page: Page) {
  return page.evaluate(() => {
    const s = (
      document.querySelector('siglens-app') as unknown as {
        state: {
          maps: { id: number; volume: { name: string } }[];
          backgroundId: number | null;
          selectedId: number | null;
          settings: { value: number; twoSided: boolean; connectivity: number; extent: string };
          compare: { on: boolean; preId: number | null; postId: number | null; showDifference: boolean };
          signature: { weightsId: number | null; metric: string; showContribution: boolean };
          spheres: unknown[];
          crosshair: number[] | null;
        };
      }
    ).state;
    const name = (id: number | null) => s.maps.find((m) => m.id === id)?.volume.name ?? null;
    return {
      maps: s.maps.map((m) => m.volume.name),
      background: name(s.backgroundId),
      selected: name(s.selectedId),
      settings: s.settings,
      compare: {
        on: s.compare.on,
        pre: name(s.compare.preId),
        post: name(s.compare.postId),
        diff: s.compare.showDifference,
      },
      signature: {
        weights: name(s.signature.weightsId),
        metric: s.signature.metric,
        contribution: s.signature.showContribution,
      },
      spheres: s.spheres.length,
      crosshair: s.crosshair,
    };
  });
}

describe.skipIf(!HAS_SHARED)(`shared links (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  const browser = useBrowser();

  it('a link made with local files names them, and reopened asks for them and restores the whole view once opened', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real(MOTOR), real(NARPS)]);
    await clusters(page, MOTOR);
    await typeThreshold(page, '3.1');
    await page.locator('sl-threshold-panel #two-sided').check();
    // Every ROI removed: the link must say "none", not fall back to the built-in three.
    for (let n = await page.locator('sl-roi-panel button[aria-label^="Remove "]').count(); n > 0; n--)
      await page.locator('sl-roi-panel button[aria-label^="Remove "]').first().click();
    await page.locator('sl-signature-panel #weights').selectOption({ label: NARPS });
    await page.locator('sl-signature-panel #metric').selectOption('cosine');
    await page.locator('sl-signature-panel #contribution').check();
    await page.getByRole('textbox', { name: /^Go to/ }).fill('48, -14, 56');
    await page.getByRole('textbox', { name: /^Go to/ }).press('Enter');
    await expect.poll(() => page.url(), { timeout: 10_000 }).toContain('sig=2%2Ccosine%2Cweights-to-data%2C1');
    await expect.poll(() => page.url(), { timeout: 10_000 }).toContain('xyz=48%2C-14%2C56');
    const before = await view(page);
    const link = page.url();
    const q = new URLSearchParams(new URL(link).search);
    expect(q.getAll('map')).toEqual([`local:MNI152_T1_2mm.nii.gz`, `local:${MOTOR}`, `local:${NARPS}`]);
    expect(q.getAll('roi')).toEqual(['none']);
    expect(before.spheres).toBe(0);

    // Playwright's clock (time still flows) lets the test run the page's timers ahead rather than sleep.
    const again = await openPage(browser, link, (p) => p.clock.install());
    const note = again.page.locator('#link-note');
    await expect(note.innerText()).resolves.toContain(`open MNI152_T1_2mm.nii.gz, ${MOTOR}, ${NARPS}`);
    await screenshot(again.page, 'link-local-files-asks');
    // The link stays as it was while it waits for its files: past the address bar's write delay, twice over.
    await again.page.clock.runFor(2 * URL_WRITE_DELAY_MS);
    expect(again.page.url()).toBe(link);
    await openMaps(again.page, [real('MNI152_T1_2mm.nii.gz'), real(MOTOR), real(NARPS)]);
    await expect(note.innerText()).resolves.toContain("The link's view is restored");
    await clusters(again.page, MOTOR);
    await expect.poll(() => view(again.page), { timeout: 20_000 }).toEqual(before);
    await expect(again.page.locator('sl-signature-panel #contribution').isChecked()).resolves.toBe(true);
    await expect(again.page.locator('sl-roi-panel button[aria-label^="Remove "]').count()).resolves.toBe(0);
    await expect(again.page.locator('sl-readout #crosshair-mm').innerText()).resolves.toBe('MNI 48.0, -14.0, 56.0 mm');
    await screenshot(again.page, 'link-local-files-restored');
    expect([...errors, ...again.errors]).toEqual([]);
  });

  it('a ?map= that cannot be fetched says why (HTTP 404, or a web page instead of a file), not "not a NIfTI file"', async () => {
    const { page, errors } = await openPage(
      browser,
      `${inject('baseUrl')}/?map=${encodeURIComponent('/sample-data/no-such-map.nii.gz')}`,
    );
    const error = page.locator('sl-load-list li[data-state="error"] .error');
    await error.waitFor({ timeout: 30_000 });
    const text = await error.innerText();
    expect(text).not.toMatch(/not a NIfTI/);
    expect(text).toMatch(/HTTP 404|sent a web page \(HTTP 200, text\/html\)/);
    expect(errors).toEqual([]);
  });
});
