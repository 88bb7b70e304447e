import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { BatchSummary } from '../../src/analysis/batch';
import { BERRY_2021_SPHERES } from '../../src/analysis/roi';
import { siglensJson } from '../helpers/cli';
import { REPO } from '../helpers/shared';
import { screenshot, useBrowser } from './browser';
import { openMaps } from './page';

const SUBJECTS = join(REPO, 'sample-data/subjects');
const WEIGHTS = join(REPO, 'sample-data/demo_signature_SYNTHETIC.nii.gz');
const maps = readdirSync(SUBJECTS)
  .filter((f) => f.endsWith('.nii.gz'))
  .map((f) => join(SUBJECTS, f));
const close = (a: number | null | undefined, b: number | null | undefined): boolean =>
  a === b || (a != null && b != null && Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)));

describe('per-subject extraction and association in the batch panel', () => {
  const browser = useBrowser();

  it('ROI and signature changes against a participants.tsv covariate equal siglens batch --covariate (1e-6); scatter plot as SVG', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(inject('baseUrl'));
    await openMaps(page, [WEIGHTS]);
    await page.locator('sl-signature-panel #weights').selectOption({ label: 'demo_signature_SYNTHETIC.nii.gz' });
    await page.locator('sl-batch-panel #batch-covariates').fill('gain');
    await page.locator('sl-batch-panel #batch-covariates').press('Enter');
    const payload = (p: string) => ({
      name: p.split('/').pop()!,
      mimeType: 'application/octet-stream',
      buffer: readFileSync(p),
    });
    await page
      .locator('sl-batch-panel #batch-files')
      .setInputFiles([...maps, join(SUBJECTS, 'participants.tsv')].map(payload));
    await page.waitForFunction(
      () => {
        const p = document.querySelector('siglens-app')?.shadowRoot?.querySelector('sl-batch-panel') as unknown as {
          running: boolean;
          summary: { correlations: unknown[] } | null;
        };
        return p && !p.running && p.summary && p.summary.correlations.length > 0;
      },
      undefined,
      { timeout: 180_000 },
    );
    const s = await page
      .locator('sl-batch-panel')
      .evaluate((el) => (el as unknown as { summary: BatchSummary }).summary);

    const spheres = BERRY_2021_SPHERES.flatMap((b) => ['--sphere', `${b.center.join(',')},${b.radiusMm},${b.name}`]);
    const doc = siglensJson<BatchSummary>(
      'batch',
      WEIGHTS,
      ...maps,
      '--pair',
      'ses-pre,ses-post',
      '--participants',
      join(SUBJECTS, 'participants.tsv'),
      ...spheres,
      '--covariate',
      'gain',
    );
    expect(s.correlations.map((c) => [c.measure, c.covariate, c.n, c.missing])).toEqual(
      doc.correlations.map((c) => [c.measure, c.covariate, c.n, c.missing]),
    );
    expect(s.correlations.map((c) => c.measure)).toEqual(['signature', ...BERRY_2021_SPHERES.map((b) => b.name)]);
    s.correlations.forEach((c, k) => {
      const d = doc.correlations[k]!;
      for (const [a, b] of [
        [c.spearman?.rho, d.spearman?.rho],
        [c.spearman?.p, d.spearman?.p],
        [c.pearson?.r, d.pearson?.r],
        [c.pearson?.p, d.pearson?.p],
      ] as const)
        expect(close(a, b), `${c.measure} ${a} vs ${b}`).toBe(true);
    });
    // Each subject's pre, post and change of every ROI mean, and the ROIs' paired tests, as the command's.
    s.subjects.forEach((r, k) =>
      r.pre.rois.forEach((roi, j) => {
        expect(close(roi.mean, doc.subjects[k]!.pre.rois[j]!.mean)).toBe(true);
        expect(close(r.post.rois[j]!.mean, doc.subjects[k]!.post.rois[j]!.mean)).toBe(true);
      }),
    );
    s.roiPaired.forEach((p, j) =>
      expect(close(p?.t, doc.roiPaired[j]?.t) && close(p?.p, doc.roiPaired[j]?.p)).toBe(true),
    );
    // Each group's own paired test.
    expect(s.groups?.byGroup.map((g) => g.group)).toEqual(doc.groups?.byGroup.map((g) => g.group));
    s.groups?.byGroup.forEach((g, k) => expect(close(g.paired?.t, doc.groups!.byGroup[k]!.paired?.t)).toBe(true));

    // The scatter of the right TPJ's change against gain: a labelled point per subject and the fit line.
    const stats = page.locator('sl-batch-panel sl-batch-stats');
    await stats.getByRole('button', { name: 'Plot right TPJ against gain' }).click();
    await expect
      .poll(() => stats.locator('#batch-scatter').getAttribute('aria-label'))
      .toMatch(/right TPJ change .* vs gain/);
    const [download] = await Promise.all([page.waitForEvent('download'), stats.locator('#scatter-svg').click()]);
    const svg = readFileSync(await download.path(), 'utf8');
    expect(svg.match(/<circle /g)?.length).toBe(doc.correlations[1]!.n);
    expect(svg).toContain('id="scatter-fit"');
    expect(svg).toContain('>01<');
    await stats.locator('#batch-scatter').scrollIntoViewIfNeeded();
    await screenshot(page, 'batch-association', false);
    expect(errors).toEqual([]);
  });
});
