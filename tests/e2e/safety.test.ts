import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { conformance, HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { openPage, screenshot, useBrowser } from './browser';
import { clusters, dropFiles, openMaps, steadyPanes } from './page';

const HOSTILE = '<img src=x onerror=alert(1)>.nii.gz';

describe.skipIf(!HAS_SHARED)(`hostile and broken files (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  const browser = useBrowser();

  it('a file named like markup shows its name as text, and no request leaves the origin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siglens-'));
    const hostile = join(dir, HOSTILE);
    copyFileSync(real('spmMotor.nii.gz'), hostile);
    const base = inject('baseUrl');
    const { page, errors } = await openPage(browser, base);
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), hostile]);
    await clusters(page, HOSTILE);
    // Drawn, captioned and listed: anything the name could smuggle in would have run by now.
    await page.locator('figcaption').first().filter({ hasText: HOSTILE }).waitFor();
    await steadyPanes(page);
    await expect(page.locator('sl-map-list li .name').allTextContents()).resolves.toContain(HOSTILE);
    await expect(page.locator('sl-map-list img, sl-cluster-table img, figcaption img').count()).resolves.toBe(0);
    await expect(page.locator('figcaption').first().innerText()).resolves.toContain(HOSTILE);
    expect(dialogs).toEqual([]);
    const outside = requests.filter((u) => !u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(outside).toEqual([]);
    await screenshot(page, 'hostile-name');
    expect(errors).toEqual([]);
  });

  it('a truncated file dropped after a good one shows an error, and the good map stays shown', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
    const before = await clusters(page, 'spmMotor.nii.gz');
    // Dropped, not picked: a DataTransfer carrying the file goes to the page's drop handler.
    await dropFiles(page, [conformance('truncated_data.nii')]);
    const alert = page.locator('sl-load-list [data-name="truncated_data.nii"] [role=alert]');
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toMatch(/truncated_data\.nii: the file ends before its data/);
    expect(await clusters(page, 'spmMotor.nii.gz')).toEqual(before);
    await expect(page.locator('sl-map-list li').count()).resolves.toBe(2);
    await screenshot(page, 'truncated-after-good');
    expect(errors).toEqual([]);
  });
});
