import { createServer } from 'vite';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/e2e/browser';
import { noiseMap } from './data';
import { median, type Figure } from './node-benches';

const REPO = new URL('..', import.meta.url).pathname;
const THRESHOLDS = [
  2.0, 2.3, 2.6, 3.0, 3.1, 3.3, 3.6, 2.8, 2.4, 2.2, 2.7, 3.2, 2.9, 2.5, 3.4, 2.1, 3.5, 2.35, 2.65, 3.05,
];
/**
 * Loads of the 1 mm map timed for ours and for the peer (medians compared). Five, not three: on this
 * 2-core VM single loads swing by a quarter either way, on both sides, and medians of three moved the
 * ratio between 1.13 and 1.71 in one session with the same code.
 */
const LOAD_REPEATS = 5;

/** Time between a map's overlay being drawn and the first threshold change (a reader looks first). */
const SETTLE_MS = 1000;
/** One frame at 60 Hz: the target for threshold-change-to-table at the 95th percentile. */
const FRAME_MS = 1000 / 60;

interface AppHandle {
  openFiles(files: File[]): void;
  settings: { value: number };
  results: { shown: { entry: { volume: { name: string } } }[] } | null;
  maps: unknown[];
}

const rel = (path: string): string => `/${path.slice(REPO.length)}`;

/** Time from a map's bytes to its overlay and cluster table in the page. */
async function oursLoad(page: Page, url: string, name: string): Promise<number> {
  return page.evaluate(
    async ([u, n]) => {
      const bytes = await (await fetch(u)).arrayBuffer();
      const app = document.querySelector('siglens-app') as unknown as AppHandle;
      const t0 = performance.now();
      app.openFiles([new File([bytes], n)]);
      // No named helper functions in here: the bench runs under tsx, whose __name wrapper does not exist in the page.
      while (
        !(
          app.results?.shown[0]?.entry.volume.name === n &&
          (app as unknown as HTMLElement).shadowRoot
            ?.querySelector('figure[data-pane="single"]')
            ?.getAttribute('data-layers')
            ?.includes('stat')
        )
      ) {
        await new Promise((r) => setTimeout(r, 2));
      }
      // As NiiVue's plain load is timed: until the pixels are drawn, not just asked for.
      await (app as unknown as { panesDrawn(): Promise<void> }).panesDrawn();
      return performance.now() - t0;
    },
    [url, name] as const,
  );
}

/** Median and p95 of threshold change -> new cluster table, after a first settle. */
async function thresholdLatency(page: Page): Promise<{ median: number; p95: number; max: number }> {
  const times = await page.evaluate(
    async ([thresholds, settleMs]) => {
      const app = document.querySelector('siglens-app') as unknown as AppHandle;
      const channel = new MessageChannel();
      const out: number[] = [];
      // A reader looks at a map before moving its threshold: the page indexes it meanwhile.
      await new Promise((r) => setTimeout(r, settleMs));
      for (const t of thresholds) {
        // Let the previous overlay finish drawing first: the figure is the table's latency, and on a
        // software renderer NiiVue's texture upload would otherwise be counted in the next change.
        for (let i = 0; i < 3; i++) await new Promise((r) => requestIdleCallback(() => r(null), { timeout: 5000 }));
        // The GPU works on after the page goes idle: wait until the last overlay's pixels exist.
        await (app as unknown as { panesDrawn(): Promise<void> }).panesDrawn();
        const before = app.results;
        const t0 = performance.now();
        app.settings = { ...app.settings, value: t };
        while (app.results === before) {
          await new Promise<void>((r) => {
            channel.port1.onmessage = () => r();
            channel.port2.postMessage(0);
          });
        }
        await (app as unknown as { updateComplete: Promise<unknown> }).updateComplete;
        out.push(performance.now() - t0);
      }
      return out;
    },
    [THRESHOLDS, SETTLE_MS] as const,
  );
  const s = [...times].sort((a, b) => a - b);
  console.log(`B4 threshold changes, in order (ms): ${times.map((x) => x.toFixed(1)).join(' ')}`);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.ceil(s.length * 0.95) - 1]!, max: s[s.length - 1]! };
}

export async function b4Browser(): Promise<Figure[]> {
  const oneMm = noiseMap('1mm', 1).gz;
  const twoMm = noiseMap('2mm', 1).gz;
  const server = await createServer({
    root: REPO,
    configFile: `${REPO}vite.config.ts`,
    server: { port: 0, host: '127.0.0.1', hmr: false },
    logLevel: 'error',
  });
  await server.listen();
  const port = (server.httpServer!.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
    headless: true,
  });
  const figures: Figure[] = [];
  try {
    const peerLoad = async (): Promise<number> => {
      const peerPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      peerPage.on('pageerror', (e) => console.error('peer page:', String(e)));
      peerPage.on('console', (m) => m.type() === 'error' && console.error('peer page:', m.text()));
      await peerPage.goto(`${base}/`);
      await peerPage.addScriptTag({ url: '/bench/niivue-plain.ts', type: 'module' });
      await peerPage.waitForFunction(() => 'niivueLoad' in window, undefined, { timeout: 120_000 });
      const ms = await peerPage.evaluate(
        (u) => (window as unknown as { niivueLoad: (u: string) => Promise<number> }).niivueLoad(u),
        rel(oneMm),
      );
      await peerPage.close();
      return ms;
    };
    // The CPU engine only: on this machine WebGPU is SwiftShader, a software rasteriser (in the page it
    // did not finish the 2 mm threshold series within minutes); GPU figures wait for a GPU machine.
    for (const engine of ['cpu'] as const) {
      const label = 'CPU';
      const ourPage = async (): Promise<Page> => {
        const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        await p.goto(`${base}/?engine=${engine}`);
        await p
          .locator('sl-readout #engine')
          .filter({ hasText: /Engine: (CPU|WebGPU)/ })
          .waitFor();
        return p;
      };
      // Loads alternate between the peer and ours, each in a fresh page; the medians are compared.
      // The last page of ours stays open for B5.
      const peerTimes: number[] = [];
      const ourTimes: number[] = [];
      let page = await ourPage();
      for (let r = 0; r < LOAD_REPEATS; r++) {
        peerTimes.push(await peerLoad());
        if (r > 0) {
          await page.close();
          page = await ourPage();
        }
        ourTimes.push(await oursLoad(page, rel(oneMm), 'noise_1mm.nii.gz'));
      }
      const load = median(ourTimes);
      const peerMs = median(peerTimes);
      console.log(
        `B4 loads (s): ours ${ourTimes.map((t) => (t / 1000).toFixed(2)).join(' ')}; NiiVue ${peerTimes.map((t) => (t / 1000).toFixed(2)).join(' ')}`,
      );
      figures.push({
        id: `B4 load 1mm (${engine})`,
        what: `1 mm map bytes -> overlay + cluster table drawn, ${label} engine; median of ${LOAD_REPEATS}`,
        ours: load / 1000,
        peer: peerMs / 1000,
        peerName: 'NiiVue plain loadVolumes + draw',
        ratio: load / peerMs,
        target: 1.5,
        unit: 's',
      });
      const page2 = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page2.goto(`${base}/?engine=${engine}`);
      await page2
        .locator('sl-readout #engine')
        .filter({ hasText: /Engine: (CPU|WebGPU)/ })
        .waitFor();
      await oursLoad(page2, rel(twoMm), 'noise_2mm.nii.gz');
      const lat = await thresholdLatency(page2);
      figures.push({
        id: `B4 threshold p95 2mm (${engine})`,
        what: `threshold change -> table, 2 mm, ${label}, from ${SETTLE_MS / 1000} s after the map is drawn; median ${lat.median.toFixed(1)} ms, slowest ${lat.max.toFixed(1)} ms`,
        ours: lat.p95,
        peer: FRAME_MS,
        peerName: 'one 60 Hz frame (ms)',
        ratio: lat.p95 / FRAME_MS,
        target: 1,
        unit: 'ms',
      });
      {
        // B5 (page): JS heap after a second 1 mm map, against two maps' float32 size.
        const heap = await page.evaluate(
          async (u) => {
            const app = document.querySelector('siglens-app') as unknown as AppHandle;
            // The fetched bytes go into the File (blob storage) and are not kept here: the page's heap is the figure.
            app.openFiles([new File([await (await fetch(u)).arrayBuffer()], 'noise_1mm_b.nii.gz')]);
            while (app.maps.length < 2) await new Promise((r) => setTimeout(r, 20));
            await new Promise((r) => setTimeout(r, 1000));
            // What the page holds, not what it has yet to collect.
            (window as unknown as { gc(): void }).gc();
            return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
          },
          rel(noiseMap('1mm', 2).gz),
        );
        const two = 2 * 182 * 218 * 182 * 4;
        figures.push({
          id: 'B5 page heap 2 x 1mm',
          what: 'page JS heap after loading two 1 mm maps / their float32 size',
          ours: heap / 2 ** 20,
          peer: two / 2 ** 20,
          peerName: 'two maps float32 (MiB)',
          ratio: heap / two,
          target: 3,
          unit: 'MiB',
        });
      }
      await page.close();
      await page2.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return figures;
}
