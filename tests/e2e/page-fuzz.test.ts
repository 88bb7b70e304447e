import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { mutate } from '../helpers/fuzz';
import { conformance, HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { mulberry32 } from '../helpers/volumes';
import { launch, openPage, screenshot } from './browser';
import { clusters, openMaps } from './page';

const FILES = 300;
/** The longest the page's main thread may be busy in one task while the files arrive. */
const LONG_TASK_LIMIT_MS = 250;

interface Outcome {
  readonly name: string;
  readonly state: string;
  readonly error: string | null;
}

describe.skipIf(!HAS_SHARED)(`the page under ${FILES} damaged files (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(`each of ${FILES} mutated NIfTI files dropped after a good map shows an error or loads; the good map and its table stay; no task over ${LONG_TASK_LIMIT_MS} ms`, async () => {
    const expected = JSON.parse(readFileSync(conformance('expected.json'), 'utf8')) as Record<string, { files: string[] }>;
    const seeds = Object.values(expected)
      .filter((c) => c.files.length === 1 && !c.files[0]!.includes('bomb'))
      .map((c) => new Uint8Array(readFileSync(conformance(c.files[0]!))));
    const rnd = mulberry32(20261201);
    const files = Array.from({ length: FILES }, (_, i) => {
      const b = mutate(seeds[i % seeds.length]!, rnd);
      return { name: `fuzz-${i}.nii${b[0] === 0x1f && b[1] === 0x8b ? '.gz' : ''}`, b64: Buffer.from(b).toString('base64') };
    });
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
    const before = await clusters(page, 'spmMotor.nii.gz');
    await page.waitForTimeout(1500);
    const t0 = Date.now();
    const run = await page.evaluate(
      async ([list, good]) => {
        type Entry = { key: number; name: string; state: string; error?: string };
        const app = document.querySelector('siglens-app') as unknown as {
          openFiles(f: File[]): void;
          state: { entries: Entry[]; maps: { id: number; volume: { name: string } }[]; selectedId: number | null; results: { shown: { entry: { volume: { name: string } } }[] } | null };
          page: { maps: { removeMap(id: number): void; dismiss(key: number): void } };
        };
        const tasks: number[] = [];
        const observer = new PerformanceObserver((l) => {
          for (const e of l.getEntries()) tasks.push(e.duration);
        });
        observer.observe({ type: 'longtask' });
        const goodId = app.state.maps.find((m) => m.volume.name === good)!.id;
        const outcomes: { name: string; state: string; error: string | null }[] = [];
        let lostGood = 0;
        for (const f of list) {
          const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
          app.openFiles([new File([bytes], f.name)]);
          let e: Entry | undefined;
          for (;;) {
            e = app.state.entries.find((x) => x.name === f.name);
            if (e && e.state !== 'loading') break;
            await new Promise((r) => setTimeout(r, 4));
          }
          outcomes.push({ name: f.name, state: e.state, error: e.error ?? null });
          const m = app.state.maps.find((x) => x.volume.name === f.name);
          if (m) app.page.maps.removeMap(m.id);
          app.page.maps.dismiss(e.key);
          if (app.state.selectedId !== goodId) lostGood++;
        }
        await new Promise((r) => setTimeout(r, 500));
        observer.disconnect();
        return { outcomes, tasks, lostGood, shown: app.state.results?.shown[0]?.entry.volume.name ?? null, maps: app.state.maps.map((m) => m.volume.name) };
      },
      [files, 'spmMotor.nii.gz'] as const,
    );
    const seconds = (Date.now() - t0) / 1000;
    const outcomes = run.outcomes as Outcome[];
    const loaded = outcomes.filter((o) => o.state === 'ready').length;
    const refused = outcomes.filter((o) => o.state === 'error' && !!o.error && o.error.length > 10).length;
    console.log(`${FILES} files in ${seconds.toFixed(1)} s: ${loaded} loaded, ${refused} refused with a message; longest task ${Math.max(0, ...run.tasks).toFixed(0)} ms (${run.tasks.length} over 50 ms)`);
    expect(loaded + refused).toBe(FILES);
    expect(loaded).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(Math.max(0, ...run.tasks)).toBeLessThanOrEqual(LONG_TASK_LIMIT_MS);
    expect(run.lostGood).toBe(0);
    expect(run.shown).toBe('spmMotor.nii.gz');
    expect(run.maps).toEqual(['MNI152_T1_2mm.nii.gz', 'spmMotor.nii.gz']);
    expect(await clusters(page, 'spmMotor.nii.gz')).toEqual(before);
    await screenshot(page, 'page-fuzz-after');
    expect(errors).toEqual([]);
  });
});
