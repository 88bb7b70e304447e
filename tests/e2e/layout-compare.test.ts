import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_DIFFERENCE_THRESHOLD } from '../../src/analysis/constants';
import { readNifti, type Volume } from '../../src/nifti';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { openPage, screenshot, useBrowser } from './browser';
import { clusters, openMaps, paneCrosshair, steady, steadyPanes } from './page';

const PRE = 'narps-4965_9U7M-hypo1_unthresh.nii.gz';
const POST = 'narps-4735_50GV-hypo1_unthresh.nii.gz';
/** The bar: each canvas's short side at least this, per window size. */
const SIZES = [
  { width: 1024, height: 768, min: 200 },
  { width: 1280, height: 720, min: 240 },
  { width: 1600, height: 1000, min: 240 },
] as const;

/** Independent of the page: the 4x4 inverse by cofactors, and trilinear sampling at a point in mm. */
function inv4(m: readonly number[]): number[] {
  const a = (r: number, c: number) => m[4 * r + c]!;
  const det3 = (r: number[], c: number[]) =>
    a(r[0]!, c[0]!) * (a(r[1]!, c[1]!) * a(r[2]!, c[2]!) - a(r[1]!, c[2]!) * a(r[2]!, c[1]!)) -
    a(r[0]!, c[1]!) * (a(r[1]!, c[0]!) * a(r[2]!, c[2]!) - a(r[1]!, c[2]!) * a(r[2]!, c[0]!)) +
    a(r[0]!, c[2]!) * (a(r[1]!, c[0]!) * a(r[2]!, c[1]!) - a(r[1]!, c[1]!) * a(r[2]!, c[0]!));
  const all = [0, 1, 2, 3];
  const cof = (r: number, c: number) =>
    ((r + c) % 2 ? -1 : 1) *
    det3(
      all.filter((x) => x !== r),
      all.filter((x) => x !== c),
    );
  const det = all.reduce((s, c) => s + a(0, c) * cof(0, c), 0);
  return all.flatMap((r) => all.map((c) => cof(c, r) / det));
}
const apply = (m: readonly number[], p: readonly number[]) =>
  [0, 1, 2].map((r) => m[4 * r]! * p[0]! + m[4 * r + 1]! * p[1]! + m[4 * r + 2]! * p[2]! + m[4 * r + 3]!);
function trilinear(v: Volume, mm: readonly number[]): number {
  const [x, y, z] = apply(inv4(v.affine), mm) as [number, number, number];
  const [nx, ny] = v.dims;
  const at = (i: number, j: number, k: number) => v.data[i + nx * (j + ny * k)]!;
  const [i, j, k] = [Math.floor(x), Math.floor(y), Math.floor(z)];
  const [fx, fy, fz] = [x - i, y - j, z - k];
  let s = 0;
  for (const [di, wx] of [
    [0, 1 - fx],
    [1, fx],
  ] as const)
    for (const [dj, wy] of [
      [0, 1 - fy],
      [1, fy],
    ] as const)
      for (const [dk, wz] of [
        [0, 1 - fz],
        [1, fz],
      ] as const)
        if (wx * wy * wz > 0) s += wx * wy * wz * at(i + di, j + dj, k + dk);
  return s;
}

async function paneSizes(page: Page): Promise<Record<string, { w: number; h: number }>> {
  return page.evaluate(() => {
    const root = document.querySelector('siglens-app')!.shadowRoot!;
    return Object.fromEntries(
      Array.from(root.querySelectorAll('figure[data-pane]')).map((f) => {
        const r = f.querySelector('canvas')!.getBoundingClientRect();
        return [(f as HTMLElement).dataset.pane!, { w: r.width, h: r.height }];
      }),
    );
  });
}

/**
 * Slices (from each pane's data-geometry, CSS px) that reach outside their canvas, or are not drawn at
 * the pane's one scale (px per mm: axial 182 x 218, coronal 182 x 182, sagittal 218 x 182 mm on MNI's 2 mm box).
 */
async function tilesOutside(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const f of document
      .querySelector('siglens-app')!
      .shadowRoot!.querySelectorAll<HTMLElement>('figure[data-pane]')) {
      const c = f.querySelector('canvas')!;
      const g = JSON.parse(f.dataset.geometry ?? '{"slices":[]}') as { slices: number[][] };
      if (g.slices.length < 3) out.push(`${f.dataset.pane}: ${g.slices.length} slices`);
      for (const [l, t, w, h] of g.slices)
        if (l! < -1 || t! < -1 || l! + w! > c.clientWidth + 1 || t! + h! > c.clientHeight + 1)
          out.push(`${f.dataset.pane}: [${l}, ${t}, ${w}, ${h}] in ${c.clientWidth}x${c.clientHeight}`);
      const mm = [
        [182, 218],
        [182, 182],
        [218, 182],
      ];
      const scales = g.slices.flatMap(([, , w, h], k) => [w! / mm[k]![0]!, h! / mm[k]![1]!]);
      if (Math.max(...scales) > Math.min(...scales) * 1.02)
        out.push(`${f.dataset.pane}: px per mm ${scales.map((v) => v.toFixed(3)).join(' ')}`);
    }
    return out;
  });
}

interface Model {
  primary: { label: string; name: string; value: number | null }[];
  how: string | null;
}

describe.skipIf(!HAS_SHARED)(`layout and compare (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  const browser = useBrowser();

  it('three-pane compare at 1024x768, 1280x720, 1600x1000: canvas sizes, pre/post labels, readout at one point, go-to', async () => {
    const { page, errors } = await openPage(browser, inject('baseUrl'));
    await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real(PRE)]);
    // One stat map: nothing to compare, and neither side defaults to it.
    await expect(page.locator('sl-compare-panel #compare-on').isDisabled()).resolves.toBe(true);
    await expect(page.locator('sl-compare-panel #pre').isDisabled()).resolves.toBe(true);
    await expect(page.locator('sl-compare-panel #pre').inputValue()).resolves.toBe('');
    await expect(page.locator('sl-compare-panel #compare-note').innerText()).resolves.toContain(
      'second statistical map',
    );
    await openMaps(page, [real(POST)]);
    await page.locator('sl-compare-panel #compare-on').check();
    // The map list says which map is which side, and shows no other map as "shown".
    await expect(page.locator(`sl-map-list li[data-map="${PRE}"] .role`).innerText()).resolves.toBe('PRE');
    await expect(page.locator(`sl-map-list li[data-map="${POST}"] .role`).innerText()).resolves.toBe('POST');
    await expect(page.locator('sl-map-list input[name="shown"]:checked').count()).resolves.toBe(0);
    await clusters(page, POST, 1);
    for (const pane of ['pre', 'post', 'difference'])
      await page.locator(`figure[data-pane="${pane}"] canvas`).waitFor();

    // Labels: panes, tables and their CSV names say pre and post.
    const captions = await page.locator('figure[data-pane] figcaption').allInnerTexts();
    // The difference pane also states its own threshold on |post − pre| (issue 14), the default here.
    expect(captions.map((c) => c.split('\n')[0])).toEqual([
      `pre: ${PRE}`,
      `post: ${POST}`,
      `post − pre, shown where |post − pre| ≥ ${DEFAULT_DIFFERENCE_THRESHOLD}`,
    ]);
    await expect(page.locator('sl-cluster-table').nth(0).getAttribute('role')).resolves.toBeNull();
    expect(await page.locator('sl-cluster-table table').nth(0).getAttribute('aria-label')).toBe('Cluster table (pre)');
    expect(await page.locator('sl-cluster-table table').nth(1).getAttribute('aria-label')).toBe('Cluster table (post)');
    await expect(page.locator('sl-cluster-table h2 .role').allInnerTexts()).resolves.toEqual(['PRE', 'POST']);
    const roiHeads = await page.locator('sl-roi-panel thead th').allInnerTexts();
    expect(roiHeads.filter((t) => /^(pre|post):/.test(t)).map((t) => t.split(':')[0])).toEqual(['pre', 'post']);
    // The ROI table's CSV says which column is which side.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('sl-roi-panel #export-rois').click()]);
    const roiCsv = readFileSync((await dl.path())!, 'utf8').split('\r\n');
    expect(roiCsv[0]).toBe('map,compare,roi,x_mm,y_mm,z_mm,radius_mm,voxels,mean');
    expect(roiCsv.filter((l) => l.startsWith(`${PRE},pre,`))).toHaveLength(3);
    expect(roiCsv.filter((l) => l.startsWith(`${POST},post,`))).toHaveLength(3);
    // The cluster tables' CSVs are named and headed by their side.
    const [pdl] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('sl-cluster-table').nth(1).locator('#export-clusters').click(),
    ]);
    expect(pdl.suggestedFilename()).toBe('narps-4735_50GV-hypo1_unthresh_post_clusters.csv');
    expect(readFileSync((await pdl.path())!, 'utf8')).toContain('# compare,post\r\n');

    // Go to a point: every pane moves there.
    await page.getByRole('textbox', { name: /^Go to/ }).fill('56, -44, 30');
    await page.getByRole('textbox', { name: /^Go to/ }).press('Enter');
    for (const pane of ['pre', 'post', 'difference'])
      await expect
        .poll(
          async () =>
            (await paneCrosshair(page, pane)).map((v, a) => Math.abs(v - [56, -44, 30][a]!) <= 1.01).every(Boolean),
          { timeout: 10_000 },
        )
        .toBe(true);
    await expect(page.locator('sl-readout #crosshair-mm').innerText()).resolves.toBe('MNI 56.0, -44.0, 30.0 mm');

    // The readout's three values, at one world point, equal the maps' own values there.
    const readout = page.locator('sl-readout');
    const model = await readout.evaluate((el) => (el as unknown as { model: Model }).model);
    expect(model.primary.map((v) => v.label)).toEqual(['pre', 'post', 'post − pre']);
    const load = async (f: string) => (await readNifti(new Uint8Array(readFileSync(real(f))), { name: f })).volume();
    const [pre, post] = await Promise.all([load(PRE), load(POST)]);
    const preVox = apply(inv4(pre.affine), [56, -44, 30]).map(Math.round);
    const point = apply(pre.affine, preVox);
    expect(model.how).toContain(`(${point.map((v) => v.toFixed(1)).join(', ')}) mm`);
    expect(model.how).toContain('post resampled (trilinear)');
    const [a, b, d] = model.primary.map((v) => v.value!);
    expect(a).toBeCloseTo(pre.data[preVox[0]! + pre.dims[0] * (preVox[1]! + pre.dims[1] * preVox[2]!)]!, 6);
    expect(b).toBeCloseTo(trilinear(post, point), 5);
    expect(d).toBeCloseTo(b! - a!, 5);
    const shown = await readout.locator('#values .primary .value').allInnerTexts();
    expect(shown.map(Number)).toEqual([a, b, d].map((v) => Number(v!.toFixed(3))));
    await expect(readout.locator('#sampled').innerText()).resolves.toMatch(
      /^Sampled at \(56\.0, -44\.0, 30\.0\) mm \(pre voxel \[\d+, \d+, \d+\]\); post resampled \(trilinear\)/,
    );

    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await steady(page, () => paneSizes(page));
      await steadyPanes(page);
      const panes = await paneSizes(page);
      expect(Object.keys(panes)).toEqual(['pre', 'post', 'difference']);
      for (const [k, r] of Object.entries(panes))
        expect(Math.min(r.w, r.h), `${k} at ${size.width}x${size.height}: ${JSON.stringify(r)}`).toBeGreaterThanOrEqual(
          size.min,
        );
      // Every slice the pane says it drew lies inside its canvas (none cut at an edge).
      expect(await tilesOutside(page), `${size.width}x${size.height}`).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, 'no sideways scroll').toBeLessThanOrEqual(0);
      // The readout is one line (plus its sampling note in a comparison).
      const line = await readout.locator('.line').evaluate((el) => el.getBoundingClientRect().height);
      const parts = await readout
        .locator('.line > *')
        .evaluateAll((els) =>
          els
            .map(
              (e) =>
                `${e.id || e.tagName}:${Math.round(e.getBoundingClientRect().width)}@${Math.round(e.getBoundingClientRect().top)}`,
            )
            .join(' '),
        );
      expect(line, `${size.width}: ${parts}`).toBeLessThan(40);
      const drawer = size.width < 1200;
      await expect(page.locator('#panels-button').isVisible()).resolves.toBe(drawer);
      await expect(page.locator('aside#side').isVisible()).resolves.toBe(!drawer);
      await screenshot(page, `compare-${size.width}x${size.height}`);
      if (drawer) {
        await page.locator('#panels-button').click();
        await expect.poll(() => page.locator('aside#side').isVisible()).toBe(true);
        await screenshot(page, `compare-${size.width}x${size.height}-drawer`);
        await page.keyboard.press('Escape');
        await expect.poll(() => page.locator('aside#side').isVisible()).toBe(false);
      }
    }
    expect(errors).toEqual([]);
  });
});
