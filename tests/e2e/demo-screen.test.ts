import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_STEPS, type DemoFocus } from '../../src/app/demo/demo';
import { launch, screenshot } from './browser';
import { demoFacts, markerPixels, paneCrosshair } from './page';

/** Issue 21 item 8: what each demo caption speaks of is on screen, at three window sizes, and the demo's pictures are true. */

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1024, height: 768 },
  { width: 1600, height: 1000 },
] as const;

const PANELS: Record<DemoFocus, string> = {
  clusters: 'sl-cluster-table',
  rois: 'sl-roi-panel',
  signature: 'sl-signature-panel',
  group: 'sl-group-panel',
};

/**
 * Whether the element's top part (its heading and first rows, up to 120 px) is inside the viewport,
 * and what is drawn at the centre of its part on screen is the element (not a pane or a drawer over it).
 * `inner` names an element inside the element's own shadow root (the Group panel's results).
 */
async function onScreen(page: Page, selector: string, inner?: string): Promise<string | null> {
  return page.evaluate(
    ([sel, part]) => {
      const app = document.querySelector('siglens-app')!.shadowRoot!;
      const host = app.querySelector<HTMLElement>(sel);
      const el = part ? host?.shadowRoot?.querySelector<HTMLElement>(part) : host;
      const name = part ? `${sel} ${part}` : sel;
      if (!host || !el) return `${name} is not on the page`;
      const r = el.getBoundingClientRect();
      const need = Math.min(r.height, 120);
      if (r.width === 0 || r.height === 0) return `${name} is not drawn (the drawer is closed?)`;
      if (r.top < -1 || r.top + need > innerHeight + 1 || r.left < -1 || r.right > innerWidth + 1)
        return `${name} is at ${Math.round(r.left)},${Math.round(r.top)}-${Math.round(r.right)},${Math.round(r.top + need)} of ${innerWidth}x${innerHeight}`;
      // The centre of the part in view: the element itself is drawn there, not something over it.
      const x = (Math.max(r.left, 0) + Math.min(r.right, innerWidth)) / 2;
      const y = (Math.max(r.top, 0) + Math.min(r.bottom, innerHeight)) / 2;
      const hit = app.elementFromPoint(x, y);
      return hit && (hit === host || host.contains(hit) || hit.closest(sel))
        ? null
        : `${name} is covered at ${Math.round(x)},${Math.round(y)} by ${hit?.tagName}${hit?.id ? `#${hit.id}` : ''}`;
    },
    [selector, inner ?? null] as const,
  );
}

/** Whether each pane's canvas is in the viewport and uncovered at its centre. */
async function panesOnScreen(page: Page, panes: readonly string[]): Promise<string | null> {
  return page.evaluate((keys) => {
    const app = document.querySelector('siglens-app')!.shadowRoot!;
    for (const k of keys) {
      const c = app.querySelector<HTMLElement>(`figure[data-pane="${k}"] canvas`);
      if (!c) return `pane ${k} is not on the page`;
      const r = c.getBoundingClientRect();
      if (
        r.width < 1 ||
        r.height < 1 ||
        r.left < -1 ||
        r.top < -1 ||
        r.right > innerWidth + 1 ||
        r.bottom > innerHeight + 1
      )
        return `pane ${k} is at ${Math.round(r.left)},${Math.round(r.top)}-${Math.round(r.right)},${Math.round(r.bottom)}`;
      const hit = app.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!hit?.closest(`figure[data-pane="${k}"]`))
        return `pane ${k} is covered at its centre by ${hit?.tagName}${hit?.id ? `#${hit.id}` : ''}`;
    }
    return null;
  }, panes);
}

describe('the demo shows what its captions say', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("every caption's panels are scrolled into view at 1280x720, 1024x768 and 1600x1000; step 4's sphere shows; step 9 keeps the FWE-corrected clusters; Exit clears demo=1", async () => {
    const page = await browser.newPage({ viewport: SIZES[0] });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${inject('baseUrl')}/?demo=1`);
    await demoFacts(page, 0);
    await page.locator('figure[data-pane="single"][data-layers*="stat"]').waitFor({ timeout: 120_000 });
    // The steps up to the subjects' paired test (the model step after it is glmui's, tested in group.test.ts).
    const last = DEMO_STEPS.findIndex((x) => x.group && !x.group.model);
    const walked = [...DEMO_STEPS.keys()].filter((i) => i <= last);
    for (const [k, size] of SIZES.entries()) {
      await page.setViewportSize(size);
      // Forward, back, forward: every step is reached at every size.
      const order = k % 2 === 0 ? walked : [...walked].reverse();
      for (const i of order) {
        const current = await page.locator('sl-demo-bar #demo-title').innerText();
        if (!current.startsWith(`Step ${i + 1} of`))
          await page.locator(k % 2 === 0 ? 'sl-demo-bar #demo-next' : 'sl-demo-bar #demo-back').click();
        const step = DEMO_STEPS[i]!;
        if (step.group) {
          // The run ends (the first time, 1,000 sign flips), then its cluster table is the panel in view.
          await page.locator('sl-demo-bar .facts', { hasText: 'permutation p FWE' }).waitFor({ timeout: 300_000 });
        }
        await demoFacts(page, i);
        // The panels a caption speaks of, from the step itself: sphere means (the ROI table), a signature's response.
        const spoken: DemoFocus[] = [
          ...(/sphere/i.test(step.caption) ? (['rois'] as const) : []),
          ...(step.signature ? (['signature'] as const) : []),
        ];
        const focus: DemoFocus[] = step.group ? [] : [...new Set([...(step.focus ?? []), ...spoken])];
        for (const f of focus)
          await expect
            .poll(() => onScreen(page, PANELS[f]), {
              timeout: 15_000,
              message: `step ${i + 1} at ${size.width}x${size.height}`,
            })
            .toBeNull();
        // The panes the caption speaks of are not under the panels.
        const panes = step.compare ? ['pre', 'post', ...(step.compare.difference ? ['difference'] : [])] : ['single'];
        await expect
          .poll(() => panesOnScreen(page, panes), {
            timeout: 15_000,
            message: `step ${i + 1} at ${size.width}x${size.height}: panes`,
          })
          .toBeNull();
        if (step.group) {
          // The finished run's statistics (both p per cluster) are in view in the Group panel, not under a pane.
          await expect
            .poll(() => onScreen(page, PANELS.group, '#group-stats'), {
              timeout: 15_000,
              message: `step ${i + 1} at ${size.width}x${size.height}: the group results`,
            })
            .toBeNull();
          // The panel's fields are the run the demo shows: design, test, threshold, permutations.
          const group = page.locator('sl-group-panel');
          const run = step.group;
          await expect(group.locator('#group-design').inputValue()).resolves.toBe('paired');
          await expect(group.locator('#group-pre').inputValue()).resolves.toBe('ses-pre');
          await expect(group.locator('#group-post').inputValue()).resolves.toBe('ses-post');
          await expect(group.locator('#group-two-sided').isChecked()).resolves.toBe(run.twoSided ?? false);
          await expect(group.locator('#group-threshold').inputValue()).resolves.toBe(String(step.settings.value));
          await expect(group.locator('#group-permutations').inputValue()).resolves.toBe(String(run.permutations));
          await expect(group.locator('#group-seed').inputValue()).resolves.toBe(String(run.seed));
          await expect(group.locator('#group-tfce').isChecked()).resolves.toBe(false);
        }
        if (step.spheres.length > 1) {
          // Each sphere the caption names is on a slice shown: within its radius of the crosshair on some axis.
          const off = async () => {
            const at = await paneCrosshair(page, panes[0]!);
            return step.spheres
              .filter((sp) => !sp.center.some((c, a) => Math.abs(c - at[a]!) <= sp.radiusMm))
              .map((sp) => sp.name);
          };
          await expect.poll(off, { timeout: 10_000, message: `step ${i + 1}: spheres on no slice shown` }).toEqual([]);
        }
        if (i === 3) {
          // The sphere at the crosshair shows through the crosshair's gap.
          await page.locator('figure[data-pane="single"][data-layers*="mask"]').waitFor();
          await expect.poll(() => markerPixels(page, 'single'), { timeout: 15_000 }).toBeGreaterThan(0);
        }
        if (i === last) {
          const s = await page.evaluate(
            () =>
              (
                document.querySelector('siglens-app') as unknown as {
                  settings: { twoSided: boolean; extent: string; extentValue: number };
                }
              ).settings,
          );
          expect(s.twoSided).toBe(true);
          expect(s.extent).toBe('voxels');
          await page
            .locator('sl-cluster-table')
            .first()
            .locator('td.p-fwe')
            .first()
            .waitFor({ state: 'attached', timeout: 60_000 });
          const p = await page.locator('sl-cluster-table').first().locator('td.p-fwe').allInnerTexts();
          expect(p.length).toBeGreaterThan(0);
          expect(p.every((x) => Number(x) < 0.05 || x.startsWith('<'))).toBe(true);
          // The crosshair is on the largest surviving cluster's peak: something is drawn where it sits.
          const peak = (
            await page
              .locator('sl-cluster-table')
              .first()
              .evaluate((el) => (el as unknown as { clusters: { peak: { mm: number[] } }[] }).clusters)
          )[0]!.peak.mm;
          await expect
            .poll(
              async () =>
                `${(await paneCrosshair(page, 'single')).every((v, k) => Math.abs(v - peak[k]!) <= 1.01)} ${await paneCrosshair(page, 'single')} vs ${peak}`,
              { timeout: 15_000 },
            )
            .toMatch(/^true/);
        }
        await screenshot(page, `demo-${size.width}x${size.height}-step-${i + 1}`, false);
      }
    }
    await page.locator('sl-demo-bar #demo-exit').click();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('demo'), null, { timeout: 15_000 });
    expect(errors).toEqual([]);
    // Nine steps at three sizes and a group run: minutes on a shared software renderer.
  }, 480_000);
});
