import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNiftiFile } from '../../src/cli/files';
import { describe, expect, inject, it } from 'vitest';
import type { GroupSummary } from '../../src/app/group/group-session';
import { DEMO_GROUP_PERMUTATIONS, DEMO_STEPS } from '../../src/app/demo/demo';
import { GROUP_FWE_ALPHA } from '../../src/analysis/constants';
import { criticalExtent } from '../../src/analysis/group/inference';
import { siglensJson } from '../helpers/cli';
import { REPO } from '../helpers/shared';
import { screenshot, useBrowser } from './browser';
import { clusters, paneCrosshair, steadyPanes } from './page';

const SUBJECTS = join(REPO, 'sample-data/subjects');
const files = readdirSync(SUBJECTS).map((f) => join(SUBJECTS, f));
const maps = files.filter((f) => f.endsWith('.nii.gz'));
/** A modest count keeps the test short; seeded, so the page and the command run the same permutations. */
const PERMUTATIONS = 200;
const SEED = 3;

interface GroupDoc {
  n: number;
  df: number;
  maskVoxels: number;
  threshold: { z: number; t: number };
  permutations: { count: number; exhaustive: boolean; seed: number };
  clusters: GroupSummary['clusters'];
  nulls: { maxClusterExtent: number[] };
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

describe('the Group panel', () => {
  const browser = useBrowser();

  it("runs the 14 synthetic subjects' paired test with TFCE, progress and Cancel; its table and TFCE line equal siglens group's, and the view shows the corrected result", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    // No map open: the results must open over the sample template (their grid), not the t-map as its own background.
    const panel = page.locator('sl-group-panel');
    await panel.locator('#group-files').setInputFiles(files);
    // participants.tsv comes with the folder but is not a map.
    await expect(panel.locator('#group-run').textContent()).resolves.toBe(
      `Run (${maps.length} maps + participants.tsv)`,
    );

    // A long run, cancelled once permutations are under way: no result, no maps, nothing partial shown.
    await panel.locator('#group-permutations').fill('20000');
    await panel.locator('#group-permutations').press('Enter');
    await panel.locator('#group-run').click();
    await panel
      .locator('#group-count')
      .filter({ hasText: /^[1-9]\d* \/ 16384 permutations/ })
      .waitFor({ timeout: 120_000 });
    expect(await panel.locator('#group-progress').getAttribute('max')).toBe('16384');
    const asked = Date.now();
    await panel.locator('#group-cancel').click();
    await panel
      .locator('#group-message')
      .filter({ hasText: /Cancelled/ })
      .waitFor({ timeout: 30_000 });
    const stoppedMs = Date.now() - asked;
    console.log(`Cancel: the run stopped ${stoppedMs} ms after the click (SwiftShader machine shared by other agents)`);
    expect(await panel.locator('#group-stats').count()).toBe(0);
    expect(await page.locator('sl-map-list li[data-map$="_tstat.nii"]').count()).toBe(0);

    // A wrong value is refused as it is typed, quoting it, and Run waits until every field is right.
    const typed: [string, string, string][] = [
      ['#group-permutations', '-5', '200'],
      ['#group-permutations', 'abc', '200'],
      ['#group-threshold', '-1', '2.3'],
      ['#group-seed', '2.5', '0'],
    ];
    for (const [field, bad, good] of typed) {
      await panel.locator(field).fill(bad);
      await panel
        .locator('#group-invalid')
        .filter({ hasText: `"${bad}"` })
        .waitFor({ timeout: 10_000 });
      await expect.poll(() => panel.locator('#group-run').isDisabled()).toBe(true);
      await panel.locator(field).fill(good);
      await panel.locator('#group-invalid').waitFor({ state: 'detached', timeout: 10_000 });
      await expect.poll(() => panel.locator('#group-run').isEnabled()).toBe(true);
    }

    // The run to compare: seeded random sign flips, as the command would draw them, with TFCE.
    await panel.locator('#group-permutations').fill(String(PERMUTATIONS));
    await panel.locator('#group-permutations').press('Enter');
    await panel.locator('#group-seed').fill(String(SEED));
    await panel.locator('#group-seed').press('Enter');
    await panel.locator('#group-tfce').check();
    await panel.locator('#group-run').click();
    await panel.locator('#group-stats').waitFor({ timeout: 180_000 });
    const s = await panel.evaluate((el) => (el as unknown as { summary: GroupSummary }).summary);
    console.log(`engine: ${s.engine}; ${s.seconds.toFixed(1)} s`);
    const out = mkdtempSync(join(tmpdir(), 'siglens-group-e2e-'));
    const doc = siglensJson<GroupDoc>(
      'group',
      ...maps,
      '--design',
      'paired',
      '--permutations',
      String(PERMUTATIONS),
      '--seed',
      String(SEED),
      '--tfce',
      '--out',
      join(out, 'g'),
    );
    // TFCE's line: its FWE p is voxelwise, from the command's tfce_corrp (1 - p) and tfce_tstat maps.
    const corrp = (await readNiftiFile(join(out, 'g_tfce_corrp.nii.gz'))).frame(0);
    const tfce = (await readNiftiFile(join(out, 'g_tfce_tstat.nii.gz'))).frame(0);
    rmSync(out, { recursive: true });
    let top = -1;
    for (let v = 0; v < tfce.length; v++)
      if (tfce[v]! !== 0 && (top < 0 || Math.abs(tfce[v]!) > Math.abs(tfce[top]!))) top = v;
    // p = k / 200 (never 0.05 exactly inside 1 - p's float32 rounding): p < 0.05 is 1 - p > 0.9525.
    const significant = corrp.filter((v) => v > 0.9525).length;
    expect(s.tfce).not.toBeNull();
    expect(s.tfce!.significant).toBe(significant);
    expect(Math.abs(s.tfce!.minP - (1 - corrp[top]!))).toBeLessThan(1e-6);
    const line = await panel.locator('#group-tfce-result').innerText();
    expect(line).toContain(`${significant} voxel`);
    expect([s.n, s.df, s.maskVoxels, s.permutations.count, s.permutations.exhaustive]).toEqual([
      doc.n,
      doc.df,
      doc.maskVoxels,
      doc.permutations.count,
      doc.permutations.exhaustive,
    ]);
    expect(close(s.threshold.t, doc.threshold.t)).toBe(true);
    expect(s.clusters.length).toBe(doc.clusters.length);
    s.clusters.forEach((c, k) => {
      const d = doc.clusters[k]!;
      expect([c.index, c.sign, c.voxels, ...c.peak.voxel, ...c.peak.mm]).toEqual([
        d.index,
        d.sign,
        d.voxels,
        ...d.peak.voxel,
        ...d.peak.mm,
      ]);
      for (const key of ['mass', 'pFwe', 'pFweMass', 'pGrf'] as const)
        expect(close(c[key], d[key]), `cluster ${c.index} ${key}`).toBe(true);
      expect(close(c.peak.t, d.peak.t) && close(c.peak.z, d.peak.z)).toBe(true);
    });

    // The maps open in the viewer; the t-map's table is the run's, with permutation p beside GRF p.
    for (const name of ['tstat', 'zstat', 'vox_corrp', 'clustere_corrp'])
      await page.locator(`sl-map-list li[data-map="group_paired_${name}.nii"]`).waitFor({ timeout: 60_000 });
    const table = await clusters(page, 'group_paired_tstat.nii');
    const shown = await page.evaluate(() => {
      const st = (
        document.querySelector('siglens-app') as unknown as {
          page: { state: { backgroundId: number | null; maps: { id: number; volume: { name: string } }[] } };
        }
      ).page.state;
      return st.maps.find((m) => m.id === st.backgroundId)?.volume.name ?? null;
    });
    expect(shown).toMatch(/^(template_standin_SYNTHETIC|MNI152_T1_2mm)\.nii\.gz$/);
    // The corrected result, as the demo shows it: the clusters with p FWE < 0.05 (all when none is),
    // the crosshair on the largest's peak, and the panel says so.
    const kept = doc.clusters.filter((c) => c.pFwe < GROUP_FWE_ALPHA);
    expect(table.map((c) => c.voxels)).toEqual((kept.length ? kept : doc.clusters).map((c) => c.voxels));
    await expect.poll(() => paneCrosshair(page, 'single'), { timeout: 10_000 }).toEqual(doc.clusters[0]!.peak.mm);
    expect(await panel.locator('#group-stats').innerText()).toContain(
      kept.length ? `with p FWE < 0.05 (its extent, ${s.criticalExtent} voxels,` : 'No cluster reaches p FWE < 0.05',
    );
    // That extent is the permutation cut-off for cluster size, from the command's own null maxima.
    expect(s.criticalExtent).toBe(criticalExtent(doc.nulls.maxClusterExtent, GROUP_FWE_ALPHA));
    if (kept.length)
      await expect(page.locator('sl-threshold-panel #extent-value').inputValue()).resolves.toBe(
        String(s.criticalExtent),
      );
    const viewer = page.locator('sl-cluster-table').first();
    await viewer.locator('td.p-fwe').first().waitFor({ timeout: 30_000 });
    const shownFwe = await viewer.locator('tbody tr[data-index] td.p-fwe').allTextContents();
    expect(shownFwe.length).toBeGreaterThan(0);
    expect(shownFwe[0]).toBe(
      doc.clusters[0]!.pFwe < 1e-3 ? doc.clusters[0]!.pFwe.toExponential(2) : doc.clusters[0]!.pFwe.toFixed(4),
    );

    await panel.locator('#group-clusters').scrollIntoViewIfNeeded();
    await screenshot(page, 'group-panel', false);
    expect(errors).toEqual([]);
  });
});

describe("the demo's group step", () => {
  const browser = useBrowser();

  it("runs the sample subjects' paired test and shows permutation p beside GRF p", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${inject('baseUrl')}/?demo=1`);
    // The paired test's step (the model's step after it has its own test, group-glm).
    const last = DEMO_STEPS.findIndex((st) => st.group && !st.group.model);
    expect(last).toBeGreaterThan(0);
    await page.locator('sl-demo-bar #demo-title').filter({ hasText: 'Step 1 of' }).waitFor({ timeout: 60_000 });
    // Once the demo has loaded its maps and shown its first step, straight to the group step (the demo test walks them all).
    await clusters(page, 'group_pain_pre_zstat.nii.gz');
    await page.evaluate(
      (k) =>
        (document.querySelector('siglens-app') as unknown as { page: { goToStep(i: number): void } }).page.goToStep(k),
      last,
    );
    await page
      .locator('sl-demo-bar #demo-title')
      .filter({ hasText: `Step ${last + 1} of` })
      .waitFor({ timeout: 30_000 });
    await page.locator('sl-group-panel #group-progress').waitFor({ timeout: 120_000 });
    await page.locator('sl-group-panel #group-stats').waitFor({ timeout: 300_000 });
    const s = await page
      .locator('sl-group-panel')
      .evaluate((el) => (el as unknown as { summary: GroupSummary }).summary);
    expect([s.design, s.n, s.permutations.count]).toEqual(['paired', 14, DEMO_GROUP_PERMUTATIONS]);
    const table = await clusters(page, 'group_paired_tstat.nii');
    // The demo shows the corrected result: only the run's clusters with p FWE < 0.05 (all when none is).
    const kept = s.clusters.filter((c) => c.pFwe < GROUP_FWE_ALPHA).length;
    expect(table.length).toBe(kept || s.clusters.length);
    // The caption compares GRF with permutation p: the step states the run's own pair for its largest cluster.
    const fact = page.locator('sl-demo-bar .facts').filter({ hasText: /GRF p/ });
    await fact.waitFor({ timeout: 30_000 });
    const m = /^Largest cluster: (\d+) voxels, GRF p (\S+), permutation p FWE (\S+)\.$/.exec(await fact.innerText());
    expect(m).not.toBeNull();
    const c0 = s.clusters[0]!;
    expect(Number(m![1])).toBe(c0.voxels);
    expect(Math.abs(Number(m![2]) - c0.pGrf)).toBeLessThanOrEqual(Math.max(5e-4, c0.pGrf * 5e-3));
    expect(Math.abs(Number(m![3]) - c0.pFwe)).toBeLessThanOrEqual(Math.max(5e-4, c0.pFwe * 5e-3));
    const viewer = page.locator('sl-cluster-table').first();
    await viewer.locator('tbody tr[data-index] td.p-fwe').first().waitFor({ timeout: 30_000 });
    await viewer.scrollIntoViewIfNeeded();
    await steadyPanes(page);
    // scripts/update-screenshots.sh copies it to docs/screenshots/demo-group-step.png.
    await screenshot(page, 'demo-group-step', false);
    expect(errors).toEqual([]);
  }, 420_000);
});
