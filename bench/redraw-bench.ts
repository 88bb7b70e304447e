// B7 (issue 14; B6 is issue 13's bundle size): threshold change -> the overlay drawn (pixels, not only the table), ours vs NiiVue's own
// cal_min + updateGLVolume redraw of the same map, at 2 mm and 1 mm, in the same run and browser.
import { createServer } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/e2e/browser';
import { noiseMap, type GridName } from './data';
import { median, type Figure } from './node-benches';

const REPO = new URL('..', import.meta.url).pathname;
/** Thresholds moved through, as a reader dragging a slider step by step would. */
const THRESHOLDS = [2.4, 2.8, 3.2, 2.6, 3.0, 3.4, 2.5, 2.9, 3.3, 2.7];
const rel = (path: string): string => `/${path.slice(REPO.length)}`;

/** Ours: threshold set -> new table -> the pane holds that threshold's overlay -> its pixels read back. */
async function ours(page: Page, thresholds: number[]): Promise<number[]> {
  return page.evaluate(async (ts) => {
    const app = document.querySelector('siglens-app') as unknown as {
      settings: { value: number };
      panesDrawn(): Promise<void>;
      shadowRoot: ShadowRoot;
    };
    const out: number[] = [];
    for (const t of ts) {
      await new Promise((r) => setTimeout(r, 200));
      await app.panesDrawn();
      const t0 = performance.now();
      app.settings = { ...app.settings, value: t };
      // No named helpers in here: tsx's __name wrapper does not exist in the page.
      while (app.shadowRoot.querySelector('figure[data-pane="single"]')?.getAttribute('data-threshold') !== String(t))
        await new Promise((r) => setTimeout(r, 1));
      await app.panesDrawn();
      out.push(performance.now() - t0);
    }
    return out;
  }, thresholds);
}

async function oursPage(browser: Browser, base: string, url: string, name: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${base}/?engine=cpu`);
  await page
    .locator('sl-readout #engine')
    .filter({ hasText: /Engine: (CPU|WebGPU)/ })
    .waitFor();
  await page.evaluate(
    async ([u, n]) => {
      const app = document.querySelector('siglens-app') as unknown as { openFiles(f: File[]): void };
      app.openFiles([new File([await (await fetch(u)).arrayBuffer()], n)]);
    },
    [url, name] as const,
  );
  await page.locator('figure[data-pane="single"][data-threshold]').waitFor({ timeout: 300_000 });
  // The reader looks first: the page indexes the map meanwhile.
  await page.waitForTimeout(1500);
  return page;
}

export async function b7Redraw(): Promise<Figure[]> {
  const server = await createServer({
    root: REPO,
    configFile: `${REPO}vite.config.ts`,
    server: { port: 0, host: '127.0.0.1', hmr: false },
    logLevel: 'error',
  });
  await server.listen();
  const base = `http://127.0.0.1:${(server.httpServer!.address() as { port: number }).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const figures: Figure[] = [];
  try {
    for (const grid of ['2mm', '1mm'] as GridName[]) {
      const map = noiseMap(grid, 1).gz;
      const page = await oursPage(browser, base, rel(map), `noise_${grid}.nii.gz`);
      const our = await ours(page, THRESHOLDS);
      await page.close();
      const peerPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await peerPage.goto(`${base}/`);
      await peerPage.addScriptTag({ url: '/bench/niivue-plain.ts', type: 'module' });
      await peerPage.waitForFunction(() => 'niivueRedraw' in window, undefined, { timeout: 120_000 });
      const peer = await peerPage.evaluate(
        ([u, ts]) =>
          (window as unknown as { niivueRedraw: (u: string, t: number[]) => Promise<number[]> }).niivueRedraw(u, ts),
        [rel(map), THRESHOLDS] as const,
      );
      await peerPage.close();
      console.log(
        `B7 redraw ${grid} (ms): ours ${our.map((x) => x.toFixed(0)).join(' ')}; NiiVue ${peer.map((x) => x.toFixed(0)).join(' ')}`,
      );
      const [o, p] = [median(our), median(peer)];
      figures.push({
        id: `B7 threshold redraw ${grid}`,
        what: `threshold change -> overlay pixels drawn, ${grid}, CPU engine, median of ${THRESHOLDS.length}`,
        ours: o,
        peer: p,
        peerName: "NiiVue's own cal_min + updateGLVolume redraw (ms)",
        ratio: o / p,
        target: 1.5,
        unit: 'ms',
      });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return figures;
}
