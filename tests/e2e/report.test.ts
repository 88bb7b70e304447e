import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { siglensJson } from '../helpers/cli';
import { REPO } from '../helpers/shared';
import { screenshot, useBrowser } from './browser';

const HOSTILE_TITLE = '<img src=x onerror=alert(1)> report';

describe('the HTML report in Chromium', () => {
  const browser = useBrowser();

  it('opens from a file with no request leaving it, names shown as text, figures drawn', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siglens-report-'));
    const subjects = join(REPO, 'sample-data/subjects');
    const weights = join(REPO, 'sample-data/demo_signature_SYNTHETIC.nii.gz');
    const maps = ['01', '02', '03', '04', '08', '09', '10', '11'].flatMap((s) =>
      ['pre', 'post'].map((ses) => join(subjects, `sub-${s}_ses-${ses}_task-pain_zstat.nii.gz`)),
    );
    const batch = join(dir, 'batch.json');
    writeFileSync(
      batch,
      JSON.stringify(
        siglensJson(
          'batch',
          weights,
          ...maps,
          '--participants',
          join(subjects, 'participants.tsv'),
          '--covariate',
          'gain',
          '--engine',
          'cpu',
        ),
      ),
    );
    const out = join(dir, 'report.html');
    siglensJson(
      'report',
      join(REPO, 'sample-data/group_pain_post_zstat.nii.gz'),
      '--weights',
      weights,
      '--batch',
      batch,
      '--threshold',
      '3.1',
      '--min-voxels',
      '10',
      '--title',
      HOSTILE_TITLE,
      '--out',
      out,
      '--engine',
      'cpu',
    );
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(out).href);
    await page.waitForLoadState('load');
    expect(requests).toEqual([pathToFileURL(out).href]);
    expect(dialogs).toEqual([]);
    await expect(page.locator('h1').innerText()).resolves.toBe(HOSTILE_TITLE);
    await expect(page.locator('img').count()).resolves.toBe(0);
    await expect(page.locator('#associations svg .point').count()).resolves.toBe(8);
    await expect(page.locator('#associations svg .fit').count()).resolves.toBe(1);
    await expect(page.locator('#group svg .group').count()).resolves.toBe(2);
    await screenshot(page, 'report');
    await page.close();
  });
});
