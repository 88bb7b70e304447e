import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { launch, openPage, screenshot } from './browser';

describe.skipIf(!HAS_SHARED)(`the viewer (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows spmMotor over the MNI template', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    page.on('console', (m) => console.log('page:', m.text()));
    await page.locator('#file-input').setInputFiles([real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
    await page.locator('sl-cluster-table #cluster-count').filter({ hasText: /\d+ cluster/ }).first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1500);
    await screenshot(page, 'viewer-spmMotor');
    console.log(await page.locator('sl-cluster-table').first().innerText());
    expect(errors).toEqual([]);
  });
});
