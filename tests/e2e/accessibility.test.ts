import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { openPage, useBrowser } from './browser';
import { clusters, openMaps, paneCrosshair } from './page';

interface Control {
  id: string;
  tag: string;
  name: string;
  /** Radio buttons of one group share one Tab stop; arrows move within the group. */
  group: string | null;
}

/** Every visible, enabled control in the page (through shadow roots), tagged so focus can be tracked. */
async function controls(page: Page): Promise<Control[]> {
  return page.evaluate(() => {
    const out: Control[] = [];
    let n = 0;
    const walk = (root: Document | ShadowRoot): void => {
      for (const el of Array.from(root.querySelectorAll<HTMLElement>('*'))) {
        if (el.shadowRoot) walk(el.shadowRoot);
        if (!el.matches('input, select, button, textarea, [tabindex]:not([tabindex="-1"])') || el.tagName === 'CANVAS')
          continue;
        // Controls inside a composite widget (the cluster grid's row buttons) are reached with its arrow keys, not Tab.
        if (
          (el as HTMLButtonElement).disabled ||
          el.getClientRects().length === 0 ||
          el.getAttribute('tabindex') === '-1'
        )
          continue;
        const labels = (el as HTMLInputElement).labels;
        const name =
          el.getAttribute('aria-label') ??
          (labels?.length
            ? Array.from(labels)
                .map((l) => l.textContent ?? '')
                .join(' ')
            : null) ??
          (el.tagName === 'BUTTON' ? el.textContent : null) ??
          el.getAttribute('title') ??
          '';
        el.dataset.a11y = String(n++);
        const type = el.getAttribute('type');
        const group =
          type === 'radio' ? `${(el.getRootNode() as ShadowRoot).host?.tagName}:${el.getAttribute('name')}` : null;
        out.push({
          id: el.dataset.a11y,
          tag: el.tagName.toLowerCase() + (type ? `[${type}]` : ''),
          name: (name ?? '').trim(),
          group,
        });
      }
    };
    walk(document);
    return out;
  });
}

async function focusedId(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let a: Element | null = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return (a as HTMLElement | null)?.dataset?.a11y ?? null;
  });
}

describe.skipIf(!HAS_SHARED)(`keyboard and labels (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  const browser = useBrowser();

  it('every control has a label and is reached with Tab; threshold and cluster rows work from the keyboard', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
    await clusters(page, 'spmMotor.nii.gz');
    await openMaps(page, [real('narps-4965_9U7M-hypo1_unthresh.nii.gz')]);
    await clusters(page, 'spmMotor.nii.gz');
    await page.locator('sl-signature-panel #weights').selectOption({ label: 'narps-4965_9U7M-hypo1_unthresh.nii.gz' });
    await page.locator('sl-threshold-panel #extent').selectOption('voxels');
    await page.locator('sl-threshold-panel #threshold-summary').filter({ hasText: 'clusters of 10+ voxels' }).waitFor();
    await clusters(page, 'spmMotor.nii.gz');
    await page.locator('sl-signature-panel td.value').first().waitFor();
    const all = await controls(page);
    expect(all.length).toBeGreaterThan(25);
    const unnamed = all.filter((c) => c.name.length === 0);
    expect(unnamed, JSON.stringify(unnamed)).toEqual([]);

    const reached = new Set<string>();
    await page.locator('body').focus();
    for (let i = 0; i < all.length * 2; i++) {
      await page.keyboard.press('Tab');
      const id = await focusedId(page);
      if (id !== null) reached.add(id);
    }
    const groupsReached = new Set(all.filter((c) => c.group && reached.has(c.id)).map((c) => c.group));
    const missed = all.filter((c) => !reached.has(c.id) && !(c.group && groupsReached.has(c.group)));
    expect(missed, JSON.stringify(missed)).toEqual([]);

    // Use the threshold from the keyboard: type a value, Enter.
    const before = await clusters(page, 'spmMotor.nii.gz');
    await page.locator('sl-threshold-panel #extent').focus();
    await page.keyboard.press('Home');
    await page.locator('sl-threshold-panel #threshold').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('4');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (n) =>
        (
          document.querySelector('siglens-app')!.shadowRoot!.querySelector('sl-cluster-table') as unknown as {
            clusters: unknown[];
          }
        ).clusters.length !== n,
      before.length,
    );
    const after = await clusters(page, 'spmMotor.nii.gz');
    expect(after.length).toBeLessThan(before.length);
    // A cluster row, activated with Enter, moves the crosshair to the peak.
    await page.locator('sl-cluster-table tr[data-index="2"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => paneCrosshair(page, 'single'), { timeout: 10_000 }).toEqual(after[1]!.peak.mm);
    expect(errors).toEqual([]);
  });
});
