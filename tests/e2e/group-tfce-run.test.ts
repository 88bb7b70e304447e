import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { REPO } from '../helpers/shared';
import { openPage, screenshot, useBrowser } from './browser';
import { PAGE_GROUP_PERMUTATIONS, runPageGroup } from './page-group-run';

describe("the page's group run at 1,000 permutations with TFCE (issue 23)", () => {
  const browser = useBrowser();

  it('finishes every permutation, opens the TFCE maps, and records its time (a bench figure, not asserted)', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    const run = await runPageGroup(page);
    const s = run.summary;
    expect([s.design, s.n, s.permutations.count]).toEqual(['paired', 14, PAGE_GROUP_PERMUTATIONS]);
    // TFCE's result is its own line: voxels with TFCE p FWE < 0.05 and the smallest p (1 / 1,000 at best).
    expect(s.tfce).not.toBeNull();
    expect(s.tfce!.minP).toBeGreaterThanOrEqual(1 / PAGE_GROUP_PERMUTATIONS);
    await expect(page.locator('sl-group-panel #group-tfce-result').innerText()).resolves.toMatch(
      /^TFCE \(E 0\.5, H 2, dh [\d.]+\): \d+ voxels? with TFCE p FWE < 0\.05; the smallest p, /,
    );
    // The page and the command agree on seeded runs (group.test.ts, at 200 permutations): here the count is the point.
    expect(s.clusters.length).toBeGreaterThan(0);
    for (const name of ['tstat', 'tfce_corrp'])
      await page.locator(`sl-map-list li[data-map="group_paired_${name}.nii"]`).waitFor({ timeout: 60_000 });
    await screenshot(page, 'group-tfce-1000');
    // Read by bench/README.md's page figure; how long it took is never a pass or a fail.
    const out = join(REPO, 'test-results/bench');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(out, 'page-group-tfce.json'),
      JSON.stringify({
        wallSeconds: run.wallSeconds,
        seconds: s.seconds,
        engine: s.engine,
        when: new Date().toISOString(),
      }),
    );
    console.log(
      `page group run, ${PAGE_GROUP_PERMUTATIONS} permutations with TFCE: ${run.wallSeconds.toFixed(1)} s (${s.engine})`,
    );
    expect(errors).toEqual([]);
  }, 900_000);
});
