import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { REPO } from '../helpers/shared';
import { screenshot, useBrowser } from './browser';
import { clusters, openMaps, steadyPanes } from './page';

const SAMPLE = join(REPO, 'sample-data');
const PRE = 'group_pain_pre_zstat.nii.gz';
const POST = 'group_pain_post_zstat.nii.gz';
const WEIGHTS = 'demo_signature_SYNTHETIC.nii.gz';

/** Issue 21 item 6: "show w × x" is drawn in compare, in each compared pane, in its own colours. */
describe('the w × x overlay in compare', () => {
  const browser = useBrowser();

  it('draws each compared map times the weights in its own pane, with its colour bar', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await openMaps(page, [join(SAMPLE, 'template_standin_SYNTHETIC.nii.gz'), join(SAMPLE, PRE), join(SAMPLE, POST)]);
    await openMaps(page, [join(SAMPLE, WEIGHTS)]);
    const panel = page.locator('sl-signature-panel');
    await panel.locator('#weights').selectOption({ label: WEIGHTS });
    await panel.locator('#contribution').check();
    await page.locator('sl-compare-panel #compare-on').check();
    await clusters(page, POST, 1);
    for (const pane of ['pre', 'post'])
      await page
        .locator(`figure[data-pane="${pane}"] .bar-titles span`)
        .filter({ hasText: /^w × x/ })
        .first()
        .waitFor({ state: 'attached', timeout: 60_000 });
    for (const pane of ['pre', 'post'])
      expect(await page.locator(`figure[data-pane="${pane}"]`).getAttribute('data-layers')).toContain('signed');
    await steadyPanes(page);
    await screenshot(page, 'contribution-compare-1280x720');
    expect(errors).toEqual([]);
  });
});
