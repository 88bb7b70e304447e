import type { Page } from 'playwright-core';
import type { Cluster } from '../../src/analysis/clusters';
import type { RoiResult } from '../../src/analysis/roi';
import { DEMO_STEPS } from '../../src/app/demo/demo';

/** Chooses files in the page's file input and waits until each shows in the map list. */
export async function openMaps(page: Page, paths: string[]): Promise<void> {
  await page.locator('#file-input').setInputFiles(paths);
  for (const p of paths)
    await page.locator(`sl-map-list li[data-map="${p.split('/').pop()}"]`).waitFor({ timeout: 60_000 });
}

/**
 * Below 1200 px the side panel is a drawer over the views (issue 15): opens it (the Panels button)
 * so its controls can be used, as a user would. A no-op where the panel is a column.
 */
export async function openPanels(page: Page): Promise<void> {
  if (!(await page.locator('#panels-button').isVisible()) || (await page.locator('aside#side').isVisible())) return;
  await page.locator('#panels-button').click();
  await page.locator('aside#side').waitFor({ state: 'visible' });
}

/** Closes the drawer (its Close button), so the panes are seen whole again (pixel counts, screenshots). */
export async function closePanels(page: Page): Promise<void> {
  if (!(await page.locator('#panels-close').isVisible())) return;
  await page.locator('#panels-close').click();
  await page.locator('aside#side').waitFor({ state: 'hidden' });
}

/** Waits until a cluster table shows the named map and is not computing, and returns its rows' data. */
export async function clusters(page: Page, mapName: string, which = 0): Promise<Cluster[]> {
  const table = page.locator('sl-cluster-table').nth(which);
  await table
    .locator('#cluster-count')
    .filter({ hasText: /\d+ cluster/ })
    .waitFor({ timeout: 60_000 });
  await page.waitForFunction(
    ([name, k]) => {
      const app = document.querySelector('siglens-app')?.shadowRoot;
      const el = app?.querySelectorAll('sl-cluster-table')[k] as unknown as
        | { mapName: string; busy: boolean }
        | undefined;
      return !!el && el.mapName === name && !el.busy;
    },
    [mapName, which] as const,
    { timeout: 60_000 },
  );
  return table.evaluate((el) => (el as unknown as { clusters: Cluster[] }).clusters);
}

export async function roiTable(page: Page): Promise<{ columns: string[]; results: RoiResult[][]; deltas: string[] }> {
  const panel = page.locator('sl-roi-panel');
  const data = await panel.evaluate((el) => {
    const p = el as unknown as { columns: { name: string }[]; results: RoiResult[][] };
    return { columns: p.columns.map((c) => c.name), results: p.results };
  });
  return { ...data, deltas: await panel.locator('td.delta').allTextContents() };
}

/** Sets a threshold control by typing, as a user would, and waits for the table to change. */
export async function typeThreshold(page: Page, value: string): Promise<void> {
  const input = page.locator('sl-threshold-panel #threshold');
  await input.fill(value);
  await input.press('Enter');
  await input.blur();
}

/** Waits until the cluster table lists clusters with a GRF p (after a threshold where GRF holds, or a df given). */
export async function clusterPShown(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const el = document.querySelector('siglens-app')?.shadowRoot?.querySelector('sl-cluster-table') as unknown as {
        clusters: { p: number | null }[];
      } | null;
      return !!el && el.clusters.length > 0 && el.clusters[0]!.p !== null;
    },
    undefined,
    { timeout: 60_000 },
  );
}

/**
 * How many pixels of a pane show the warm (positive) colour map: the overlay is visible when there
 * are many. The pane's screenshot is decoded by the browser itself.
 */
export async function warmPixels(page: Page, pane: string): Promise<number> {
  return countPixels(page, pane, 'warm');
}

/**
 * Pixels of ROI markers: violet (red and blue high, green low) over anything. No stat colour map
 * (warm, cool) and not the crosshair's green has that mix.
 */
export async function markerPixels(page: Page, pane: string): Promise<number> {
  return countPixels(page, pane, 'marker');
}

/** Pixels of the negative (cool: blue to cyan) colour map. */
export async function coolPixels(page: Page, pane: string): Promise<number> {
  return countPixels(page, pane, 'cool');
}

/** Pixels that are neither grey nor the pane's dark background (a colour map's or a label's colour). */
export async function colouredPixels(page: Page, pane: string): Promise<number> {
  return countPixels(page, pane, 'coloured');
}

export async function countPixels(
  page: Page,
  pane: string,
  kind: 'warm' | 'marker' | 'cool' | 'coloured',
): Promise<number> {
  const png = await page.locator(`figure[data-pane="${pane}"] canvas`).screenshot();
  return page.evaluate(
    async ([b64, k]) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      // Skip the colour bar strip at the bottom (the lowest 12% of the pane).
      const rows = Math.floor(c.height * 0.88);
      for (let i = 0; i < rows * c.width * 4; i += 4) {
        const [r, g, b] = [d[i]!, d[i + 1]!, d[i + 2]!];
        const hit =
          k === 'warm'
            ? r > 200 && g > 60 && g < 240 && b < 90
            : k === 'marker'
              ? r - g > 50 && b - g > 50 && Math.abs(r - b) < 100
              : k === 'cool'
                ? b > 200 && r < 60 && g > 60
                : Math.max(r, g, b) - Math.min(r, g, b) > 60;
        if (hit) n++;
      }
      return n;
    },
    [png.toString('base64'), kind] as const,
  );
}

export async function paneCrosshair(page: Page, pane: string): Promise<number[]> {
  const v = await page.locator(`figure[data-pane="${pane}"]`).getAttribute('data-crosshair', { timeout: 5000 });
  return (v ?? '').split(',').map(Number);
}

/** Waits until the page has computed the demo step (its facts are shown) and returns them. */
export async function demoFacts(page: Page, step: number): Promise<string[]> {
  await page
    .locator('sl-demo-bar #demo-title')
    .filter({ hasText: `Step ${step + 1} of` })
    .waitFor({ timeout: 60_000 });
  const s = DEMO_STEPS[step]!;
  const expected =
    s.spheres.length +
    (s.signature ? 1 : 0) +
    (s.crosshair === 'peak' ? 1 : 0) +
    (s.countClusters ? 1 : 0) +
    (s.group ? 1 : 0);
  // The facts must come from this step's results: with a comparison, every sphere has a before and after.
  const compared = s.compare !== null;
  await page.waitForFunction(
    ([n, compare]) => {
      const bar = document.querySelector('siglens-app')?.shadowRoot?.querySelector('sl-demo-bar');
      const shown = Array.from(bar?.shadowRoot?.querySelectorAll('.facts') ?? []).map((p) => p.textContent ?? '');
      return (
        shown.length === n &&
        shown.every((t) => !t.includes('–') && (!compare || /^(Largest|\d+ cluster)/.test(t) || t.includes('before')))
      );
    },
    [expected, compared] as const,
    { timeout: 60_000 },
  );
  return page.locator('sl-demo-bar .facts').allInnerTexts();
}

/** Drops files on the page as a user would: a DataTransfer carrying them goes to the page's drop handler. */
export async function dropFiles(page: Page, paths: string[]): Promise<void> {
  const { readFileSync } = await import('node:fs');
  const files = paths.map((p) => ({ name: p.split('/').pop()!, b64: readFileSync(p).toString('base64') }));
  await page.evaluate((fs: { name: string; b64: string }[]) => {
    const dt = new DataTransfer();
    for (const f of fs) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
}

/** Two animation frames of the page: whatever it was asked to draw before now is on screen. */
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}

/**
 * Reads `read` until two reads two frames apart agree (as JSON) and `accept` holds, and returns that value: the
 * page has stopped changing it (a pane's drawing, the layout after a resize). Waits on the page, never on the
 * clock; fails after `timeout` ms with the last two values.
 */
export async function steady<T>(
  page: Page,
  read: () => Promise<T>,
  accept: (v: T) => boolean = () => true,
  timeout = 30_000,
): Promise<T> {
  const end = Date.now() + timeout;
  let last = JSON.stringify(await read());
  for (;;) {
    await nextFrames(page);
    const v = await read();
    const now = JSON.stringify(v);
    if (now === last && accept(v)) return v;
    if (Date.now() > end)
      throw new Error(`not steady within ${timeout} ms: ${last.slice(0, 200)} then ${now.slice(0, 200)}`);
    last = now;
  }
}

/** Waits until every pane's canvas (or the `selector`'s element) draws the same picture twice in a row. */
export async function steadyPanes(page: Page, selector = 'figure[data-pane] canvas'): Promise<void> {
  const shots = async (): Promise<string[]> => {
    const all = await page.locator(selector).all();
    return Promise.all(all.map(async (c) => (await c.screenshot()).toString('base64')));
  };
  await steady(page, shots, (s) => s.length > 0);
}
