import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Cluster } from '../../src/analysis/clusters';
import { BERRY_2021_SPHERES } from '../../src/analysis/roi';
import { DEMO_STEPS } from '../../src/app/demo/demo';
import { HAS_SHARED, real } from '../helpers/shared';
import { openPage, screenshot, useBrowser } from './browser';
import {
  clusters,
  coolPixels,
  demoFacts as facts,
  openMaps,
  paneCrosshair,
  steadyPanes,
  typeThreshold,
  warmPixels,
} from './page';

function beforeAfter(fact: string): [number, number] {
  const m = /before (-?\d+(?:\.\d+)?), after (-?\d+(?:\.\d+)?)/.exec(fact);
  if (!m) throw new Error(`no before/after in "${fact}"`);
  return [Number(m[1]), Number(m[2])];
}

/** The cluster table's rows as the page has them (shown map, or pre in a comparison). */
const tableOf = (page: Page, k = 0): Promise<Cluster[]> =>
  page
    .locator('sl-cluster-table')
    .nth(k)
    .evaluate((el) => (el as unknown as { clusters: Cluster[] }).clusters);
const readout = (page: Page): Promise<{ label: string; value: number | null }[]> =>
  page
    .locator('sl-readout')
    .evaluate(
      (el) => (el as unknown as { model: { primary: { label: string; value: number | null }[] } }).model.primary,
    );
const near = (a: readonly number[], b: readonly number[], mm: number): boolean =>
  a.every((v, k) => Math.abs(v - b[k]!) <= mm);

describe('the guided demo on the generated sample data', () => {
  const browser = useBrowser();

  it('eight steps at 1280x720, each caption true of the panes and the page numbers, forward and back', async () => {
    const { page, errors } = await openPage(browser, `${inject('baseUrl')}/?demo=1`);
    await page.setViewportSize({ width: 1280, height: 720 });
    const tpj = BERRY_2021_SPHERES[0]!;
    for (let i = 0; i < DEMO_STEPS.length; i++) {
      const step = DEMO_STEPS[i]!;
      const f = await facts(page, i);
      await expect(page.locator('sl-demo-bar #demo-caption').innerText()).resolves.toBe(step.caption);
      await page.locator('figcaption .standin').first().waitFor({ timeout: 30_000 });
      const panes = step.compare ? ['pre', 'post', ...(step.compare.difference ? ['difference'] : [])] : ['single'];
      for (const p of panes) await page.locator(`figure[data-pane="${p}"] canvas`).waitFor();
      if (step.crosshair) {
        const want = step.crosshair === 'peak' ? (await tableOf(page))[0]!.peak.mm : [...step.crosshair];
        await expect
          .poll(async () => near(await paneCrosshair(page, panes[0]!), want, 1.01), { timeout: 10_000 })
          .toBe(true);
      }
      await steadyPanes(page);
      const table = await tableOf(page);
      if (i === 0) {
        // "Red to yellow is positive, blue negative": both are drawn.
        expect(step.caption).toMatch(/red to yellow is positive, blue negative/i);
        expect(await warmPixels(page, 'single')).toBeGreaterThan(500);
        expect(await coolPixels(page, 'single')).toBeGreaterThan(200);
      }
      if (i === 1) {
        // More than one cluster survives, and the crosshair sits on an overlay (the strongest peak).
        expect(f[0]).toBe(`${table.length} clusters survive (cluster p < 0.05).`);
        expect(table.length).toBeGreaterThanOrEqual(2);
        expect(table.every((c) => c.p !== null && c.p < 0.05)).toBe(true);
        const at = await readout(page);
        expect(Math.abs(at[0]!.value!)).toBeGreaterThanOrEqual(2.3);
        expect(await warmPixels(page, 'single')).toBeGreaterThan(300);
      }
      if (i === 2) {
        // "the largest cluster, in the right TPJ".
        expect(f[0]).toMatch(/^Largest cluster: \d+ voxels/);
        expect(near(table[0]!.peak.mm, tpj.center, 6)).toBe(true);
      }
      if (i === 3) {
        // "4 mm across (radius 2 mm)": the sphere the ROI table uses.
        const spheres = await page
          .locator('sl-roi-panel')
          .evaluate((el) => (el as unknown as { spheres: { radiusMm: number; center: number[] }[] }).spheres);
        expect(spheres).toHaveLength(1);
        expect(step.caption).toContain(`${2 * spheres[0]!.radiusMm} mm across (radius ${spheres[0]!.radiusMm} mm)`);
        expect(spheres[0]!.radiusMm).toBe(2);
        expect(f[0]).toMatch(/^right TPJ mean z: \d/);
      }
      if (i === 4 || i === 5) {
        const [pre, post] = beforeAfter(f[0]!);
        expect(f[0]).toMatch(/^right TPJ/);
        expect(pre).toBeGreaterThan(post);
        expect(await warmPixels(page, 'pre')).toBeGreaterThan(300);
      }
      if (i === 5) {
        // "Blue where the response fell": the TPJ fell, the value under the crosshair is negative, and the difference pane draws blue.
        const at = await readout(page);
        expect(at.map((v) => v.label)).toEqual(['pre', 'post', 'post − pre']);
        expect(at[2]!.value!).toBeLessThan(0);
        expect(at[2]!.value!).toBeCloseTo(at[1]!.value! - at[0]!.value!, 5);
        expect(step.caption).toMatch(/^Blue where the response fell, red to yellow where it rose/);
        expect(await coolPixels(page, 'difference')).toBeGreaterThan(300);
        expect(await warmPixels(page, 'difference')).toBeGreaterThan(300);
        const sizes = await page.evaluate(() =>
          Array.from(
            document.querySelector('siglens-app')!.shadowRoot!.querySelectorAll('figure[data-pane] canvas'),
          ).map((c) => Math.min(c.clientWidth, c.clientHeight)),
        );
        expect(sizes).toHaveLength(3);
        for (const s of sizes) expect(s).toBeGreaterThanOrEqual(240);
      }
      if (i === 6) {
        expect(f.map((x) => x.split(' ')[1])).toEqual(['dlPFC', 'vPCC']);
        for (const x of f) {
          const [pre, post] = beforeAfter(x);
          expect(post).toBeGreaterThan(pre);
        }
        // "already respond before training": the pre pane has clusters there.
        expect(table.length).toBeGreaterThanOrEqual(2);
        expect(await warmPixels(page, 'pre')).toBeGreaterThan(300);
      }
      if (i === 7) {
        const [pre, post] = beforeAfter(f.find((x) => x.startsWith('Demo signature'))!);
        expect(post).toBeLessThan(pre);
      }
      await screenshot(page, `demo-step-${i + 1}`);
      if (i < DEMO_STEPS.length - 1) await page.locator('sl-demo-bar #demo-next').click();
    }
    await expect(page.locator('sl-demo-bar #demo-next').isDisabled()).resolves.toBe(true);
    await page.locator('sl-demo-bar #demo-back').click();
    await facts(page, DEMO_STEPS.length - 2);
    await expect(page.locator('sl-demo-bar #demo-caption').innerText()).resolves.toBe(
      DEMO_STEPS[DEMO_STEPS.length - 2]!.caption,
    );
    await page.locator('sl-demo-bar #demo-exit').click();
    await expect(page.locator('sl-demo-bar').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });

  it.skipIf(!HAS_SHARED)('over your own maps: keeps them and your background; Exit restores your view', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
    await clusters(page, 'spmMotor.nii.gz');
    await typeThreshold(page, '3.1');
    await expect
      .poll(() =>
        page.evaluate(
          () => (document.querySelector('siglens-app') as unknown as { settings: { value: number } }).settings.value,
        ),
      )
      .toBe(3.1);
    const mine = await clusters(page, 'spmMotor.nii.gz');
    await page.locator('#demo-button').click();
    await facts(page, 0);
    // Your template stays the background (no stand-in), your map stays loaded.
    await expect(page.locator('figcaption .standin').count()).resolves.toBe(0);
    await expect(page.locator('sl-map-list li[data-map="spmMotor.nii.gz"]').count()).resolves.toBe(1);
    await page.locator('sl-demo-bar #demo-next').click();
    await page.locator('sl-demo-bar #demo-next').click();
    await page.locator('sl-demo-bar #demo-next').click();
    await page.locator('sl-demo-bar #demo-next').click();
    await facts(page, 4);
    await page.locator('sl-demo-bar #demo-exit').click();
    await expect(page.locator('sl-demo-bar').count()).resolves.toBe(0);
    const names = await page
      .locator('sl-map-list li[data-map]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-map')));
    expect(names).toEqual(['MNI152_T1_2mm.nii.gz', 'spmMotor.nii.gz']);
    await page.locator('figure[data-pane="single"]').waitFor();
    await expect(page.locator('figure[data-pane]').count()).resolves.toBe(1);
    expect(
      await page.evaluate(
        () => (document.querySelector('siglens-app') as unknown as { settings: { value: number } }).settings.value,
      ),
    ).toBe(3.1);
    expect((await clusters(page, 'spmMotor.nii.gz')).length).toBe(mine.length);
    await screenshot(page, 'demo-exit-restored');
    expect(errors).toEqual([]);
  });
});
