import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { BatchSummary } from '../../src/analysis/batch';
import { runPython } from '../helpers/python';
import { conformance, HAS_SHARED, REPO, SHARED_MISSING } from '../helpers/shared';
import { CHROMIUM, CHROMIUM_ARGS, openPage, screenshot, SCREENSHOTS } from './browser';
import { openMaps } from './page';

const SUBJECTS = join(REPO, 'sample-data/subjects');
const WEIGHTS = join(REPO, 'sample-data/demo_signature_SYNTHETIC.nii.gz');
const subjectFiles = readdirSync(SUBJECTS)
  .filter((f) => f.endsWith('.nii.gz'))
  .map((f) => join(SUBJECTS, f));
/**
 * A batch of 200 maps held as float32 would need 200 x 3.6 MB = 720 MB. What the page keeps after the
 * batch (after a full GC) must be a few MB of results; its peak, garbage included, well under one map set.
 */
const RETAINED_LIMIT = 8 * 1024 * 1024;
const PEAK_LIMIT = 32 * 1024 * 1024;

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.abs(b) + 1e-12;

async function summary(page: import('playwright-core').Page): Promise<BatchSummary> {
  await page.waitForFunction(
    () => {
      const p = document.querySelector('siglens-app')?.shadowRoot?.querySelector('sl-batch-panel') as unknown as {
        running: boolean;
        summary: unknown;
      };
      return p && !p.running && p.summary;
    },
    undefined,
    { timeout: 120_000 },
  );
  return page.locator('sl-batch-panel').evaluate((el) => (el as unknown as { summary: BatchSummary }).summary);
}

describe.skipIf(!HAS_SHARED)(`batch scoring in the page (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    // Precise heap figures for the memory check.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
      headless: true,
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('14 synthetic subjects: paired statistics equal scipy; bad and unpaired files are listed; CSV and SVG export', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await openMaps(page, [join(REPO, 'sample-data/template_standin_SYNTHETIC.nii.gz'), WEIGHTS]);
    await page.locator('sl-signature-panel #weights').selectOption({ label: 'demo_signature_SYNTHETIC.nii.gz' });
    const unpaired = {
      name: 'sub-15_ses-pre_task-pain_zstat.nii.gz',
      mimeType: 'application/gzip',
      buffer: readFileSync(subjectFiles[0]!),
    };
    const asPayload = (path: string) => ({
      name: path.split('/').pop()!,
      mimeType: 'application/octet-stream',
      buffer: readFileSync(path),
    });
    await page
      .locator('sl-batch-panel #batch-files')
      .setInputFiles([
        ...[...subjectFiles, join(SUBJECTS, 'participants.tsv'), conformance('truncated_data.nii')].map(asPayload),
        unpaired,
      ]);
    const s = await summary(page);
    const ref = runPython<{
      subjects: string[];
      pre: number[];
      post: number[];
      paired: Record<string, number> & { ci95: number[] };
      groups: Record<string, number> & { ci95: number[] };
    }>(join(REPO, 'scripts/scipy_paired.py'), [
      WEIGHTS,
      join(SUBJECTS, 'participants.tsv'),
      'ses-pre',
      'ses-post',
      ...subjectFiles,
    ]);
    expect(s.subjects.map((r) => r.subject)).toEqual(ref.subjects);
    s.subjects.forEach((r, k) =>
      expect(close(r.pre.value!, ref.pre[k]!) && close(r.post.value!, ref.post[k]!), r.subject).toBe(true),
    );
    for (const key of ['n', 'mean', 'sd', 't', 'df', 'p', 'dz'] as const)
      expect(close(s.paired![key], ref.paired[key]!), key).toBe(true);
    s.paired!.ci95.forEach((v, k) => expect(close(v, ref.paired.ci95[k]!)).toBe(true));
    const welch = s.groups && 'difference' in s.groups ? s.groups : null;
    for (const key of ['t', 'df', 'p', 'difference'] as const)
      expect(close(welch![key], ref.groups[key]!), key).toBe(true);
    const reasons = Object.fromEntries(s.excluded.map((e) => [e.file, e.reason]));
    expect(reasons['truncated_data.nii']).toMatch(/ends before its data/);
    expect(reasons['sub-15_ses-pre_task-pain_zstat.nii.gz']).toMatch(/unpaired/);
    await expect(page.locator('sl-batch-panel #batch-stats').innerText()).resolves.toContain(`paired t(13)`);
    await expect(page.locator('sl-batch-panel #batch-plot line').count()).resolves.toBeGreaterThan(14);
    const [svg] = await Promise.all([page.waitForEvent('download'), page.locator('sl-batch-panel #batch-svg').click()]);
    const svgText = readFileSync((await svg.path())!, 'utf8');
    expect(svgText).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svgText).not.toContain('<!--');
    // The exported file alone, as an image on a white page: every text at least 4.5:1 against the
    // plot's own background, nothing drawn outside the picture, the axis titled, the ticks round.
    const exported = await browser.newPage({ viewport: { width: 700, height: 600 } });
    await exported.setContent(`<body style="margin:0;background:#fff">${svgText}</body>`);
    const look = await exported.evaluate(() => {
      const lum = (c: string): number => {
        const [r, g, b] = c
          .match(/\d+(\.\d+)?/g)!
          .slice(0, 3)
          .map((v) => Number(v) / 255)
          .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const root = document.querySelector('svg')!;
      const bg = getComputedStyle(root.querySelector('rect')!).fill;
      const box = root.getBoundingClientRect();
      const texts = Array.from(root.querySelectorAll('text')).map((t) => {
        const r = t.getBoundingClientRect();
        const [a, b] = [lum(getComputedStyle(t).fill), lum(bg)].sort((x, y) => y - x);
        return {
          text: t.textContent ?? '',
          contrast: (a! + 0.05) / (b! + 0.05),
          inside: r.left >= box.left && r.right <= box.right + 0.5 && r.top >= box.top && r.bottom <= box.bottom + 0.5,
        };
      });
      return { bg, texts };
    });
    expect(look.bg).toBe('rgb(255, 255, 255)');
    for (const t of look.texts) {
      expect(t.contrast, t.text).toBeGreaterThanOrEqual(4.5);
      expect(t.inside, `${t.text} inside the picture`).toBe(true);
    }
    expect(look.texts.map((t) => t.text)).toContain('signature response');
    const ticks = look.texts
      .map((t) => t.text)
      .filter((t) => /^-?[\d.]+$/.test(t))
      .map(Number);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    const step = Math.abs(ticks[1]! - ticks[0]!);
    // A step of 1, 2, 2.5 or 5 times a power of ten, every tick a whole number of steps.
    expect([1, 2, 2.5, 5]).toContain(Number((step / 10 ** Math.floor(Math.log10(step))).toFixed(6)));
    for (const t of ticks) expect(Math.abs(t / step - Math.round(t / step))).toBeLessThan(1e-6);
    expect(look.texts.some((t) => /mean ± 95% CI$/.test(t.text))).toBe(true);
    await exported.screenshot({ path: `${SCREENSHOTS}/batch-plot-exported-svg.png` });
    await exported.close();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('sl-batch-panel #batch-csv').click()]);
    expect(readFileSync((await csv.path())!, 'utf8').split('\r\n')).toHaveLength(16);
    await page.locator('sl-batch-panel #batch-plot').scrollIntoViewIfNeeded();
    await screenshot(page, 'batch-14-subjects');
    expect(errors).toEqual([]);
  });

  it('200 maps at 2 mm stream through with the page heap bounded, and a batch can be cancelled', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await openMaps(page, [WEIGHTS]);
    await page.locator('sl-signature-panel #weights').selectOption({ label: 'demo_signature_SYNTHETIC.nii.gz' });
    const result = await page.evaluate(async (url: string) => {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      const files = Array.from(
        { length: 200 },
        (_, i) =>
          new File(
            [bytes],
            `sub-${String(Math.floor(i / 2) + 1).padStart(3, '0')}_ses-${i % 2 ? 'post' : 'pre'}_zstat.nii.gz`,
          ),
      );
      const heap = (): number =>
        (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
      const gc = (globalThis as unknown as { gc: () => void }).gc;
      // The heap figure is refreshed on a timer: collect, wait, then read.
      const settled = async (): Promise<number> => {
        gc();
        await new Promise((r) => setTimeout(r, 300));
        gc();
        await new Promise((r) => setTimeout(r, 300));
        return heap();
      };
      await settled();
      const app = document.querySelector('siglens-app') as unknown as {
        runBatch: (r: { files: File[]; pair: [string, string]; pattern: string }) => Promise<void>;
      };
      const base = await settled();
      let peak = base;
      const timer = setInterval(() => (peak = Math.max(peak, heap())), 20);
      const t0 = performance.now();
      await app.runBatch({ files, pair: ['ses-pre', 'ses-post'], pattern: '' });
      clearInterval(timer);
      peak = Math.max(peak, heap());
      const seconds = (performance.now() - t0) / 1000;
      return { base, peak, retained: await settled(), seconds };
    }, '/sample-data/subjects/sub-01_ses-pre_task-pain_zstat.nii.gz');
    const s = await summary(page);
    const mib = (b: number): string => (b / 2 ** 20).toFixed(1);
    console.log(
      `200 maps: ${result.seconds.toFixed(1)} s; page heap ${mib(result.base)} MiB, peak ${mib(result.peak)}, after GC ${mib(result.retained)}`,
    );
    expect(s.subjects).toHaveLength(100);
    expect(result.retained - result.base).toBeLessThan(RETAINED_LIMIT);
    expect(result.peak - result.base).toBeLessThan(PEAK_LIMIT);
    // Cancel: start another long batch, cancel it, and it stops early.
    await page.evaluate(async (url: string) => {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      const files = Array.from({ length: 60 }, (_, i) => new File([bytes], `sub-${i}_ses-pre_zstat.nii.gz`));
      const app = document.querySelector('siglens-app') as unknown as {
        runBatch: (r: { files: File[]; pair: [string, string]; pattern: string }) => Promise<void>;
      };
      void app.runBatch({ files, pair: ['ses-pre', 'ses-post'], pattern: '' });
    }, '/sample-data/subjects/sub-01_ses-pre_task-pain_zstat.nii.gz');
    await page.locator('sl-batch-panel #batch-cancel').click();
    await expect(page.locator('sl-batch-panel [role=status]').innerText()).resolves.toMatch(
      /Cancelled after \d+ of 60 maps/,
    );
    expect(errors).toEqual([]);
  });
});
