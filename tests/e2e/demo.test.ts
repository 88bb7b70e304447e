import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_STEPS } from '../../src/app/demo';
import { launch, openPage, screenshot } from './browser';
import { paneCrosshair } from './page';

/** Waits until the page has computed the demo step (its facts are shown) and returns them. */
async function facts(page: Page, step: number): Promise<string[]> {
  await page.locator('sl-demo-bar #demo-title').filter({ hasText: `Step ${step + 1} of` }).waitFor({ timeout: 60_000 });
  const expected = DEMO_STEPS[step]!.spheres.length + (DEMO_STEPS[step]!.signature ? 1 : 0) + (DEMO_STEPS[step]!.crosshair === 'peak' ? 1 : 0);
  // The facts must come from this step's results: with a comparison, every sphere has a before and after.
  const compared = DEMO_STEPS[step]!.compare !== null;
  await page.waitForFunction(
    ([n, compare]) => {
      const bar = document.querySelector('siglens-app')?.shadowRoot?.querySelector('sl-demo-bar');
      const shown = Array.from(bar?.shadowRoot?.querySelectorAll('.facts') ?? []).map((p) => p.textContent ?? '');
      return shown.length === n && shown.every((t) => !t.includes('–') && (!compare || t.startsWith('Largest') || t.includes('before')));
    },
    [expected, compared] as const,
    { timeout: 60_000 },
  );
  return page.locator('sl-demo-bar .facts').allInnerTexts();
}

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
