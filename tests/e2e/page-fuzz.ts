import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { mutate } from '../helpers/fuzz';
import { conformance } from '../helpers/shared';
import { mulberry32 } from '../helpers/volumes';

// The page-fuzz run, shared by tests/e2e/page-fuzz.test.ts (what becomes of each file) and bench/page-fuzz-bench.ts
// (how long the page's main thread is held while they arrive: a timing, so a bench figure, not a test).

/** What became of one damaged file. */
export interface Outcome {
  readonly name: string;
  readonly state: string;
  readonly error: string | null;
}

export interface FuzzRun {
  readonly outcomes: Outcome[];
  /** Durations (ms) of the main thread's long tasks (over 50 ms) while the files arrived. */
  readonly tasks: number[];
  /** Files after which the good map was no longer the one selected. */
  readonly lostGood: number;
  readonly shown: string | null;
  readonly maps: string[];
}

/** `n` NIfTI files, each a single-file case of the conformance corpus (no gzip bombs) damaged once, reproducibly. */
export function damagedFiles(n: number, seed = 20261201): { name: string; b64: string }[] {
  const expected = JSON.parse(readFileSync(conformance('expected.json'), 'utf8')) as Record<
    string,
    { files: string[] }
  >;
  const seeds = Object.values(expected)
    .filter((c) => c.files.length === 1 && !c.files[0]!.includes('bomb'))
    .map((c) => new Uint8Array(readFileSync(conformance(c.files[0]!))));
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const b = mutate(seeds[i % seeds.length]!, rnd);
    return {
      name: `fuzz-${i}.nii${b[0] === 0x1f && b[1] === 0x8b ? '.gz' : ''}`,
      b64: Buffer.from(b).toString('base64'),
    };
  });
}

/**
 * Opens each file in the page after `good` is shown, one at a time as a user would drop them, waits until it has
 * loaded or been refused, then removes and dismisses it. Long tasks are recorded throughout.
 */
export async function dropEach(page: Page, files: { name: string; b64: string }[], good: string): Promise<FuzzRun> {
  // No named helper functions in here: the bench runs this under tsx, whose __name wrapper does not exist in the page.
  return page.evaluate(
    async ([list, goodName]) => {
      type Entry = { key: number; name: string; state: string; error?: string };
      const app = document.querySelector('siglens-app') as unknown as {
        openFiles(f: File[]): void;
        state: {
          entries: Entry[];
          maps: { id: number; volume: { name: string } }[];
          selectedId: number | null;
          results: { shown: { entry: { volume: { name: string } } }[] } | null;
        };
        page: { maps: { removeMap(id: number): void; dismiss(key: number): void } };
      };
      const tasks: number[] = [];
      const observer = new PerformanceObserver((l) => {
        for (const e of l.getEntries()) tasks.push(e.duration);
      });
      observer.observe({ type: 'longtask' });
      const goodId = app.state.maps.find((m) => m.volume.name === goodName)!.id;
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
      // The last file's work is done once the page is idle: its long tasks, if any, have been reported.
      await new Promise((r) => requestIdleCallback(() => r(null), { timeout: 5000 }));
      for (const e of observer.takeRecords()) tasks.push(e.duration);
      observer.disconnect();
      return {
        outcomes,
        tasks,
        lostGood,
        shown: app.state.results?.shown[0]?.entry.volume.name ?? null,
        maps: app.state.maps.map((m) => m.volume.name),
      };
    },
    [files, good] as const,
  );
}
