import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { openPage, screenshot, useBrowser } from './browser';
import { clusters, openMaps, steady } from './page';

/** The crosshair as the readout prints it. */
async function readoutMm(page: Page): Promise<number[]> {
  const t = await page.locator('sl-readout #crosshair-mm').innerText();
  return t
    .replace(/[^\d.,-]/g, '')
    .split(',')
    .map(Number);
}

/** Presses a key and waits until the readout moved by `by` (mm). */
async function pressAndExpect(page: Page, key: string, by: [number, number, number]): Promise<void> {
  const before = await readoutMm(page);
  await page.keyboard.press(key);
  await expect
    .poll(() => readoutMm(page), { timeout: 10_000 })
    .toEqual(before.map((v, a) => Number((v + by[a]!).toFixed(1))));
}

describe.skipIf(!HAS_SHARED)(`keyboard in the panes (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  const browser = useBrowser();

  it('arrows move the crosshair within the focused slice, Page Up/Down through it (2 mm voxels)', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
    await clusters(page, 'spmMotor.nii.gz');
    const canvas = page.locator('figure[data-pane="single"] canvas');
    await expect.poll(() => readoutMm(page), { timeout: 30_000 }).toHaveLength(3);
    // Focused by the keyboard alone: the axial slice has the keys.
    await canvas.focus();
    await pressAndExpect(page, 'ArrowRight', [2, 0, 0]);
    await pressAndExpect(page, 'ArrowUp', [0, 2, 0]);
    await pressAndExpect(page, 'PageUp', [0, 0, 2]);
    await pressAndExpect(page, 'PageDown', [0, 0, -2]);
    await pressAndExpect(page, 'ArrowLeft', [-2, 0, 0]);
    expect(await canvas.getAttribute('data-plane')).toBe('axial');
    // Click each slice in turn (the click moves the crosshair too); the keys follow the slice clicked.
    const box = (await canvas.boundingBox())!;
    const seen = new Set<string>();
    for (const fx of [0.2, 0.5, 0.8]) {
      for (const fy of [0.25, 0.7]) {
        await canvas.click({ position: { x: box.width * fx, y: box.height * fy } });
        const plane = await canvas.getAttribute('data-plane');
        if (!plane || seen.has(plane)) continue;
        seen.add(plane);
        // A click lands between voxel centres; the keys step from the nearest voxel: one step there and back first.
        await page.keyboard.press('PageUp');
        await page.keyboard.press('PageDown');
        await steady(page, () => readoutMm(page));
        if (plane === 'coronal') {
          await pressAndExpect(page, 'ArrowUp', [0, 0, 2]);
          await pressAndExpect(page, 'PageUp', [0, 2, 0]);
        } else if (plane === 'sagittal') {
          await pressAndExpect(page, 'ArrowRight', [0, 2, 0]);
          await pressAndExpect(page, 'PageDown', [-2, 0, 0]);
        } else {
          await pressAndExpect(page, 'ArrowDown', [0, -2, 0]);
        }
      }
    }
    expect([...seen].sort()).toEqual(['axial', 'coronal', 'sagittal']);
    await screenshot(page, 'keyboard-panes');
    expect(errors).toEqual([]);
  });
});
