import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_STEPS } from '../../src/app/demo';
import { launch, openPage, screenshot } from './browser';
import { demoFacts as facts, paneCrosshair } from './page';

function beforeAfter(fact: string): [number, number] {
  const m = /before (-?\d+(?:\.\d+)?), after (-?\d+(?:\.\d+)?)/.exec(fact);
  if (!m) throw new Error(`no before/after in "${fact}"`);
  return [Number(m[1]), Number(m[2])];
}

describe('the guided demo on the generated sample data', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('walks every step with its caption and key numbers, forward and back', async () => {
    const { page, errors } = await openPage(browser, `${inject('baseUrl')}/?demo=1`);
    for (let i = 0; i < DEMO_STEPS.length; i++) {
      const step = DEMO_STEPS[i]!;
      const f = await facts(page, i);
      await expect(page.locator('sl-demo-bar #demo-caption').innerText()).resolves.toBe(step.caption);
      await page.locator('figcaption .standin').first().waitFor({ timeout: 30_000 });
      if (i === 2) expect(f[0]).toMatch(/^Largest cluster: \d+ voxels/);
      if (i === 2) await expect.poll(async () => (await paneCrosshair(page, 'single')).join(), { timeout: 10_000 }).toBe('56,-42,28');
      if (i === 4 || i === 5) {
        const [pre, post] = beforeAfter(f[0]!);
        expect(f[0]).toMatch(/^right TPJ/);
        expect(pre).toBeGreaterThan(post);
      }
      if (i === 6) {
        expect(f.map((x) => x.split(' ')[1])).toEqual(['dlPFC', 'vPCC']);
        for (const x of f) {
          const [pre, post] = beforeAfter(x);
          expect(post).toBeGreaterThan(pre);
        }
      }
      if (i === 7) {
        const [pre, post] = beforeAfter(f.find((x) => x.startsWith('Demo signature'))!);
        expect(post).toBeLessThan(pre);
      }
      if (i === 5) await page.locator('figure[data-pane="difference"] canvas').waitFor();
      await page.waitForTimeout(400);
      await screenshot(page, `demo-step-${i + 1}`);
      if (i < DEMO_STEPS.length - 1) await page.locator('sl-demo-bar #demo-next').click();
    }
    await expect(page.locator('sl-demo-bar #demo-next').isDisabled()).resolves.toBe(true);
    await page.locator('sl-demo-bar #demo-back').click();
    await facts(page, DEMO_STEPS.length - 2);
    await expect(page.locator('sl-demo-bar #demo-caption').innerText()).resolves.toBe(DEMO_STEPS[DEMO_STEPS.length - 2]!.caption);
    await page.locator('sl-demo-bar #demo-exit').click();
    await expect(page.locator('sl-demo-bar').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });

  it('starts from the Demo button too', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await page.locator('#demo-button').click();
    await facts(page, 0);
    await expect(page.locator('sl-demo-bar #demo-caption').innerText()).resolves.toBe(DEMO_STEPS[0]!.caption);
    expect(errors).toEqual([]);
  });
});
