import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DesignView } from '../../src/app/group/design-view';
import { DEMO_MODEL_PERMUTATIONS, DEMO_STEPS, DEMO_THREE_ARMS } from '../../src/app/demo/demo';
import type { GlmSummary } from '../../src/app/group/group-glm';
import type { GlmDocument, GlmTestDocument } from '../../src/cli/group-glm-doc';
import { siglensJson } from '../helpers/cli';
import { REPO } from '../helpers/shared';
import { launch, screenshot } from './browser';
import { clusters, openPanels, steadyPanes, warmPixels } from './page';

const SUBJECTS = join(REPO, 'sample-data/subjects');
const files = readdirSync(SUBJECTS).map((f) => join(SUBJECTS, f));
const maps = files.filter((f) => f.endsWith('.nii.gz'));
const TSV = join(SUBJECTS, 'participants.tsv');
/** Few permutations keep the test short; seeded, so the page and the command run the same ones. */
const PERMUTATIONS = 40;
const SEED = 3;
/** Wielgosz et al. 2022's design: the change by arm, adjusted for age. */
const MODEL = [
  '--participants',
  TSV,
  '--group-column',
  'arm',
  '--groups',
  'mbsr,active,waitlist',
  '--covariate',
  'age',
];

const close = (a: number, b: number, tol = 1e-6): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
const fmtP = (p: number): string => (p < 1e-3 ? p.toExponential(2) : p.toFixed(4));
/** As the panel and the command's text count it: the permutations whose maximum reaches the data's own. */
const pMax = (t: GlmTestDocument): number =>
  t.nulls.maxStat.filter((x) => x >= t.nulls.maxStat[0]! * (1 - 1e-6)).length / t.nulls.maxStat.length;

describe("the Group panel's model builder", () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const out = mkdtempSync(join(tmpdir(), 'siglens-glm-e2e-'));
  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('builds the three-arm model from participants.tsv: the design matrix, contrasts and F-test the command fits, and its design files', async () => {
    const panel = page.locator('sl-group-panel');
    await panel.locator('#group-files').setInputFiles(files);
    // A run that fails (a name pattern no file matches): its message is an error (role=alert, the error colour), not muted text.
    await panel.locator('#group-pattern').fill('(?<sub>nobody)_(?<ses>pre|post)');
    await panel.locator('#group-pattern').press('Enter');
    await panel.locator('#group-run').click();
    const failed = panel.locator('#group-error');
    await failed.waitFor({ timeout: 60_000 });
    await expect(failed.getAttribute('role')).resolves.toBe('alert');
    await expect(failed.innerText()).resolves.toMatch(/^The group analysis failed: /);
    const colour = (sel: string) => panel.locator(sel).evaluate((el) => getComputedStyle(el).color);
    await expect(colour('#group-error')).resolves.not.toBe(await colour('p.muted >> nth=0'));
    expect(await panel.locator('#group-message').count()).toBe(0);
    await panel.locator('#group-pattern').fill('');
    await panel.locator('#group-pattern').press('Enter');
    // "two-sided" ticked from an earlier t-test: once the choices make a model it is off and disabled, with why.
    await panel.locator('#group-two-sided').check();
    const builder = panel.locator('sl-group-model');
    await builder.locator('#model-group-column option[value="arm"]').waitFor({ state: 'attached', timeout: 30_000 });
    await builder.locator('#model-group-column').selectOption('arm');
    await builder.locator('input[data-covariate="age"]').check();
    await expect.poll(() => panel.locator('#group-two-sided').isDisabled(), { timeout: 30_000 }).toBe(true);
    await expect(panel.locator('#group-two-sided').isChecked()).resolves.toBe(false);
    await expect(panel.locator('#group-two-sided-why').innerText()).resolves.toMatch(/one-sided.*reverse contrast/);
    const image = builder.locator('sl-design-matrix #design-image');
    await image.waitFor({ timeout: 30_000 });
    await expect
      .poll(() =>
        builder
          .locator('sl-design-matrix')
          .evaluate((el) => (el as unknown as { view: DesignView }).view.columns.join(',')),
      )
      .toBe('mbsr,active,waitlist,age');

    // The same model as `siglens group` builds (its document's model, its written design files).
    const doc = siglensJson<GlmDocument>(
      'group',
      ...maps,
      '--design',
      'paired',
      ...MODEL,
      '--permutations',
      String(PERMUTATIONS),
      '--seed',
      String(SEED),
      '--out',
      join(out, 'g'),
      '--engine',
      'cpu',
    );
    const view = await builder
      .locator('sl-design-matrix')
      .evaluate((el) => (el as unknown as { view: DesignView }).view);
    expect(view.rowLabels).toEqual(doc.subjects);
    expect(view.values.map((r) => r.map(Number))).toEqual(
      doc.model.rows.map((r) => r.map((x) => Number(x.toPrecision(4)))),
    );
    // Greyscale per column, min black to max white: each cell's fill is the column's scaled value.
    const fills = await image.locator('rect.cell').evaluateAll((els) => els.map((e) => e.getAttribute('fill')));
    expect(fills).toHaveLength(14 * 4);
    const age = doc.model.rows.map((r) => r[3]!);
    const [lo, hi] = [Math.min(...age), Math.max(...age)];
    doc.model.rows.forEach((r, i) => {
      const want = [r[0]!, r[1]!, r[2]!, (r[3]! - lo) / (hi - lo)].map((g) => Math.round(255 * g));
      expect(fills.slice(4 * i, 4 * i + 4)).toEqual(want.map((v) => `rgb(${v},${v},${v})`));
    });
    // The contrasts under the matrix: six pairwise, both ways, and the F-test's ticks on the first of each pair with mbsr.
    const rows = await builder.locator('#design-contrasts tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t')[0])).toEqual(doc.contrasts.map((c) => `C${c.index} ${c.name}`));
    doc.contrasts.forEach((c, k) => expect(rows[k]!.split('\t').slice(1, 5).map(Number)).toEqual(c.weights));
    const ticks = await builder.locator('#design-contrasts tbody tr td.f').allInnerTexts();
    expect(ticks.map((t, k) => (t === '✓' ? k + 1 : 0)).filter(Boolean)).toEqual(doc.fTests[0]!.contrasts);

    // Downloads: design.mat, .con and .fts, byte for byte the files the command wrote for randomise.
    for (const name of ['design.mat', 'design.con', 'design.fts']) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        builder.locator(`#model-files button[data-file="${name}"]`).click(),
      ]);
      expect(download.suggestedFilename()).toBe(name);
      const saved = join(out, `page-${name}`);
      await download.saveAs(saved);
      expect(readFileSync(saved, 'utf8'), name).toBe(readFileSync(join(out, `g_${name}`), 'utf8'));
    }
    await builder.scrollIntoViewIfNeeded();
    await screenshot(page, 'group-glm-builder', false);
    expect(errors).toEqual([]);
  }, 240_000);

  it("runs it: every contrast's and F-test's FWE p in the table equal siglens group's; the F-test's maps open with the run's clusters", async () => {
    const panel = page.locator('sl-group-panel');
    await panel.locator('#group-permutations').fill(String(PERMUTATIONS));
    await panel.locator('#group-permutations').press('Enter');
    await panel.locator('#group-seed').fill(String(SEED));
    await panel.locator('#group-seed').press('Enter');
    await panel.locator('#group-run').click();
    const table = panel.locator('sl-group-tests #glm-tests');
    // Run with "two-sided" still ticked underneath (test above): the model runs one-sided, no failure.
    await expect.poll(() => panel.locator('#group-error').count()).toBe(0);
    await table.or(panel.locator('#group-error')).waitFor({ timeout: 400_000 });
    expect(await panel.locator('#group-error').count()).toBe(0);
    const doc = siglensJson<GlmDocument>(
      'group',
      ...maps,
      '--design',
      'paired',
      ...MODEL,
      '--permutations',
      String(PERMUTATIONS),
      '--seed',
      String(SEED),
      '--engine',
      'cpu',
    );
    const tests = [...doc.contrasts, ...doc.fTests];
    const shown = await table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        name: tr.querySelector('td.name')!.textContent!.trim().replace(/\s+/, ' '),
        pMax: tr.querySelector('td.p-max')!.textContent!.trim(),
        clusters: Number(tr.querySelector('td.voxels')!.getAttribute('data-clusters')),
        voxels: tr.querySelector('td.voxels')!.textContent!.trim(),
        pFwe: tr.querySelector('td.p-fwe')!.textContent!.trim(),
      })),
    );
    expect(shown.map((r) => r.name)).toEqual(tests.map((t) => `${t.kind === 't' ? 'C' : 'F'}${t.index} ${t.name}`));
    tests.forEach((t, k) => {
      const r = shown[k]!;
      expect(r.pMax, t.name).toBe(fmtP(pMax(t)));
      expect(r.clusters, t.name).toBe(t.clusters.length);
      expect(r.voxels, t.name).toBe(t.clusters[0] ? String(t.clusters[0].voxels) : '–');
      const best = t.clusters.length ? Math.min(...t.clusters.map((c) => c.pFwe)) : null;
      expect(r.pFwe, t.name).toBe(best === null ? '–' : fmtP(best));
    });
    // The F-test finds the arms' difference in the right TPJ, where MBSR's maps change most.
    const f = doc.fTests[0]!;
    expect(f.clusters[0]!.pFwe).toBeLessThan(0.05);
    expect(
      Math.hypot(f.clusters[0]!.peak.mm[0] - 56, f.clusters[0]!.peak.mm[1] + 44, f.clusters[0]!.peak.mm[2] - 30),
    ).toBeLessThan(12);

    // The F-test's maps open first, at the run's F threshold, one-sided: the viewer's clusters are the run's, with its FWE p.
    await page.locator('sl-map-list li[data-map="group_model_fstat1.nii"]').waitFor({ timeout: 60_000 });
    const viewer = await clusters(page, 'group_model_fstat1.nii');
    expect(viewer.map((c) => c.voxels)).toEqual(f.clusters.map((c) => c.voxels));
    const fwe = await page
      .locator('sl-cluster-table')
      .first()
      .locator('tbody tr[data-index] td.p-fwe')
      .first()
      .innerText();
    expect(fwe).toBe(
      f.clusters[0]!.pFwe < 1e-3 ? f.clusters[0]!.pFwe.toExponential(2) : f.clusters[0]!.pFwe.toFixed(4),
    );
    for (const m of ['vox_corrp_fstat1', 'clustere_corrp_fstat1'])
      await page.locator(`sl-map-list li[data-map="group_model_${m}.nii"]`).waitFor();

    // A contrast's maps on demand: waitlist - mbsr (the TPJ falls in MBSR only).
    const k = tests.findIndex((t) => t.name === 'waitlist - mbsr');
    await table.locator(`tbody tr[data-test="tstat${tests[k]!.index}"] button`).click();
    const c = await clusters(page, `group_model_tstat${tests[k]!.index}.nii`);
    expect(c.map((x) => x.voxels)).toEqual(tests[k]!.clusters.map((x) => x.voxels));
    expect(close(c[0]!.peak.value, tests[k]!.clusters[0]!.peak.stat, 1e-4)).toBe(true);

    await table.scrollIntoViewIfNeeded();
    // The map is drawn over its template (a black pane here once hid a stale NiiVue canvas).
    await expect.poll(() => warmPixels(page, 'single'), { timeout: 30_000 }).toBeGreaterThan(0);
    await steadyPanes(page);
    await screenshot(page, 'group-glm-result', false);
    expect(errors).toEqual([]);
  }, 600_000);
});

/** Whether an element is seen: its centre is in the window and hit-tests to it (not clipped by a scroll box, nor covered). */
async function seen(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
    if (r.width === 0 || x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
    let node: Element | null = document.elementFromPoint(x, y);
    while (node?.shadowRoot) {
      const inner = node.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === node) break;
      node = inner;
    }
    return !!node && (node === el || el.contains(node));
  });
}

/** Whether an element's box lies inside the window. */
async function inView(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  const size = page.viewportSize()!;
  return (
    !!box &&
    box.height > 0 &&
    box.y >= 0 &&
    box.y + box.height <= size.height &&
    box.x >= 0 &&
    box.x + box.width <= size.width
  );
}

describe("the demo's three-arm step", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("runs the F-test with age on the sample subjects; the caption's numbers are the run's; its objects in view at 1280x720, 1024x768 and 1600x1000", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${inject('baseUrl')}/?demo=1`);
    const step = DEMO_STEPS.findIndex((s) => s.group?.model);
    expect(step).toBe(DEMO_STEPS.length - 1);
    await page.locator('sl-demo-bar #demo-title').filter({ hasText: 'Step 1 of' }).waitFor({ timeout: 60_000 });
    await clusters(page, 'group_pain_pre_zstat.nii.gz');
    await page.evaluate(
      (k) =>
        (document.querySelector('siglens-app') as unknown as { page: { goToStep(i: number): void } }).page.goToStep(k),
      step,
    );
    await page
      .locator('sl-demo-bar #demo-title')
      .filter({ hasText: `Step ${step + 1} of` })
      .waitFor({ timeout: 30_000 });
    await expect(page.locator('sl-demo-bar #demo-caption').innerText()).resolves.toBe(DEMO_STEPS[step]!.caption);
    const panel = page.locator('sl-group-panel');
    // While it runs, the panel shows the model being run: its builder's design matrix, two-sided off.
    await panel.locator('#group-progress').waitFor({ timeout: 120_000 });
    await expect
      .poll(
        () =>
          panel
            .locator('sl-group-model sl-design-matrix')
            .evaluate((el) => (el as unknown as { view: DesignView | null }).view?.columns.join(',') ?? '')
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toBe(DEMO_THREE_ARMS.groups.concat(DEMO_THREE_ARMS.covariates).join(','));
    expect(await panel.locator('#group-progress').count(), 'still running').toBe(1);
    await expect(panel.locator('#group-two-sided').isDisabled()).resolves.toBe(true);
    await panel.locator('sl-group-tests #glm-tests').waitFor({ timeout: 560_000 });
    const g = await panel.evaluate((el) => (el as unknown as { glm: GlmSummary }).glm);
    expect([g.design, g.n, g.rank, g.df]).toEqual(['paired', 14, 4, 10]);
    expect(g.model.columns).toEqual(['mbsr', 'active', 'waitlist', 'age']);
    expect(g.tests.every((t) => t.count === DEMO_MODEL_PERMUTATIONS)).toBe(true);
    // The run's results came into view by themselves (the demo reveals them).
    await expect.poll(() => inView(page, 'sl-group-panel sl-group-tests #glm-tests')).toBe(true);

    // The step's line states the run's own numbers: the F-test's largest cluster, and which contrasts have a cluster below 0.05.
    const fact = page.locator('sl-demo-bar .facts').filter({ hasText: /^F-test/ });
    await fact.waitFor({ timeout: 30_000 });
    const text = await fact.innerText();
    const m =
      /^F-test \((.+?)\): largest cluster (\d+) voxels, peak F (\S+) at \((\S+), (\S+), (\S+)\) mm, p FWE (\S+)\. (.*)$/.exec(
        text,
      );
    expect(m, text).not.toBeNull();
    const f = g.tests.find((t) => t.kind === 'F')!;
    const c0 = f.clusters[0]!;
    expect(m![1]).toBe(f.name);
    expect(Number(m![2])).toBe(c0.voxels);
    expect(Math.abs(Number(m![3]) - c0.peak.stat)).toBeLessThanOrEqual(0.05);
    expect([m![4], m![5], m![6]].map(Number)).toEqual(c0.peak.mm);
    expect(Math.abs(Number(m![7]) - c0.pFwe)).toBeLessThanOrEqual(Math.max(5e-4, c0.pFwe * 5e-3));
    const significant = g.tests
      .filter((t) => t.kind === 't' && t.clusters.some((c) => c.pFwe < 0.05))
      .map((t) => t.name);
    if (significant.length) for (const name of significant) expect(m![8]).toContain(`${name} (`);
    else expect(m![8]).toBe('No contrast has a cluster at p FWE < 0.05.');
    // The F-test's map is shown with the run's clusters.
    const table = await clusters(page, 'group_model_fstat1.nii');
    expect(table.map((c) => c.voxels)).toEqual(f.clusters.map((c) => c.voxels));

    for (const [width, height] of [
      [1280, 720],
      [1024, 768],
      [1600, 1000],
    ] as const) {
      await page.setViewportSize({ width, height });
      await openPanels(page);
      await panel.locator('sl-group-tests').scrollIntoViewIfNeeded();
      // The fitted design and every test's row fit in the window together, beside (or, narrow, over) the F map.
      await expect.poll(() => inView(page, 'sl-group-panel sl-group-tests #glm-tests')).toBe(true);
      expect(await inView(page, 'sl-group-panel sl-group-tests #glm-design')).toBe(true);
      // Every test's row is seen whole: its button and its last cell (not clipped by the panel).
      for (const t of g.tests) {
        expect(
          await seen(page, `sl-group-panel sl-group-tests tr[data-test="${t.stem}"] td.name button`),
          `${t.stem} ${width}`,
        ).toBe(true);
        expect(
          await seen(page, `sl-group-panel sl-group-tests tr[data-test="${t.stem}"] td.p-fwe`),
          `${t.stem} p ${width}`,
        ).toBe(true);
      }
      if (width > 1024) expect(await inView(page, 'figure[data-pane="single"] canvas')).toBe(true);
      await expect(page.locator('sl-demo-bar #demo-caption').isVisible()).resolves.toBe(true);
      await screenshot(page, `demo-step-${step + 1}-three-arms-${width}x${height}`, false);
    }
    expect(errors).toEqual([]);
  }, 600_000);
});
