import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Cluster } from '../../src/analysis/clusters';
import { DEFAULT_Z_THRESHOLD } from '../../src/analysis/constants';
import { DEMO_STEPS } from '../../src/app/demo/demo';
import { siglensJson } from '../helpers/cli';
import { REPO } from '../helpers/shared';
import { CLI_BUNDLE, ensureCliBundle, ensureSite, SITE } from '../helpers/site';
import { serveStatic, type StaticSite } from '../helpers/static-server';
import { launch, screenshot } from './browser';
import { clusters, demoFacts, dropFiles } from './page';

/** A lab's web space: the site in a sub-folder, as GitHub project pages are. */
const FOLDER = '/lab/siglens/';
const MAP = join(REPO, 'sample-data/group_anticipation_post_zstat.nii.gz');

/** Walks the demo from its first step to its last, waiting for each step's numbers. */
async function walkDemo(page: Page, shots: string | null): Promise<void> {
  for (let i = 0; i < DEMO_STEPS.length; i++) {
    await demoFacts(page, i);
    await expect(page.locator('sl-demo-bar #demo-caption').innerText()).resolves.toBe(DEMO_STEPS[i]!.caption);
    if (shots && (i === 0 || i === 2)) await screenshot(page, `${shots}-step-${i + 1}`);
    if (i < DEMO_STEPS.length - 1) await page.locator('sl-demo-bar #demo-next').click();
  }
}

describe('the built site (npm run build), served from a sub-folder by a plain static server', () => {
  let site: StaticSite;
  let browser: Browser;
  let context: BrowserContext;
  let bundleBefore: number;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    ensureCliBundle();
    bundleBefore = statSync(CLI_BUNDLE).mtimeMs;
    ensureSite();
    site = await serveStatic(SITE, FOLDER);
    browser = await launch();
    // One context for both visits: the service worker the first installs serves the second.
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    context.on('request', (r) => requests.push(r.url()));
    context.on('page', (p) => p.on('pageerror', (e) => errors.push(String(e))));
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('after the site build, `siglens` still runs its bundle, which lives outside the site', () => {
    expect(relative(SITE, CLI_BUNDLE).startsWith('..')).toBe(true);
    expect(statSync(CLI_BUNDLE).mtimeMs).toBe(bundleBefore);
    expect(statSync(join(SITE, 'index.html')).mtimeMs).toBeGreaterThan(bundleBefore);
    const r = spawnSync(process.execPath, [join(REPO, 'bin/siglens.mjs'), 'info', MAP, '--json'], {
      encoding: 'utf8',
      env: { ...process.env, SIGLENS_SAY_RUNNER: '1' },
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('running the bundle lib/cli/main.mjs');
    expect((JSON.parse(r.stdout) as { dims: number[] }).dims).toEqual([91, 109, 91]);
  });

  it('is self-contained: relative paths, the sample data in, Lit in production mode', () => {
    const html = readFileSync(join(SITE, 'index.html'), 'utf8');
    expect(html).not.toMatch(/(src|href)="\/(?!\/)/);
    for (const f of readdirSync(join(REPO, 'sample-data'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.nii.gz'))) {
      expect(readFileSync(join(SITE, 'sample-data', f)).equals(readFileSync(join(REPO, 'sample-data', f)))).toBe(true);
    }
    const js = readdirSync(join(SITE, 'assets')).filter((f) => f.endsWith('.js'));
    // Lit's development build warns with this sentence; its production build does not carry it.
    for (const f of js) expect(readFileSync(join(SITE, 'assets', f), 'utf8')).not.toContain('in dev mode');
  });

  it("walks the demo, shows a dropped map's cluster table, says nothing leaves the machine, and loads nothing from elsewhere", async () => {
    const page = await context.newPage();
    await page.goto(`${site.url}?demo=1`);
    await expect(page.locator('sl-site-note #privacy').innerText()).resolves.toMatch(
      /never uploaded, and nothing this page loads comes from another site/,
    );
    await walkDemo(page, 'site');
    // Saved for offline use once the service worker holds every file.
    await page.locator('sl-site-note #offline').waitFor({ timeout: 60_000 });
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await screenshot(page, 'site-demo-last-step');

    const fresh = await context.newPage();
    await fresh.goto(site.url);
    await dropFiles(fresh, [MAP]);
    const table = await clusters(fresh, 'group_anticipation_post_zstat.nii.gz');
    const cli = siglensJson<{ clusters: Cluster[] }>(
      'clusters',
      MAP,
      '--threshold',
      String(DEFAULT_Z_THRESHOLD),
      '--engine',
      'cpu',
    );
    expect(table.map((c) => [c.voxels, c.peak.mm])).toEqual(cli.clusters.map((c) => [c.voxels, c.peak.mm]));
    await fresh.locator('sl-cluster-table tr[data-index="1"]').waitFor();
    // A later visit is served by the saved version, and says so.
    await fresh.locator('sl-site-note #offline').waitFor({ timeout: 30_000 });
    await screenshot(fresh, 'site-dropped-map');
    await fresh.close();

    const origin = new URL(site.url).origin;
    expect(requests.filter((u) => !u.startsWith(`${origin}/`) && !/^(data|blob):/.test(u))).toEqual([]);
    expect(site.requests.every((p) => p.startsWith(FOLDER))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says when a new version is ready, and keeps the one it runs until the next visit', async () => {
    // A new release: the service worker's script changes (as its precache list does in a new build).
    site.replace('sw.js', Buffer.concat([readFileSync(join(SITE, 'sw.js')), Buffer.from('\n// the next version\n')]));
    const page = await context.newPage();
    await page.goto(site.url);
    await page.evaluate(() => ((window as unknown as { sameVisit: boolean }).sameVisit = true));
    await page.locator('sl-site-note #update').waitFor({ timeout: 60_000 });
    await expect(page.locator('sl-site-note #update').innerText()).resolves.toMatch(/next time you open/);
    // Not applied in this visit: the page was not reloaded under the reader.
    await expect(page.evaluate(() => (window as unknown as { sameVisit?: boolean }).sameVisit)).resolves.toBe(true);
    await screenshot(page, 'site-update-ready');
    await page.locator('sl-site-note #update-dismiss').click();
    await expect(page.locator('sl-site-note #update').count()).resolves.toBe(0);
    await page.close();
  });

  it('walks the demo again with no network at all after that first visit', async () => {
    await context.setOffline(true);
    // The server is gone too, so nothing can come from the network whatever the emulation covers.
    await site.close();
    const served = site.requests.length;
    const page = await context.newPage();
    await page.goto(`${site.url}?demo=1`);
    await walkDemo(page, 'site-offline');
    await expect(page.locator('sl-site-note #offline').count()).resolves.toBe(1);
    expect(site.requests.length).toBe(served);
    expect(errors).toEqual([]);
  });

  it('opens from file:// where the browser allows it (Chromium with --allow-file-access-from-files)', async () => {
    const local = await launch(['--allow-file-access-from-files']);
    try {
      const page = await local.newPage({ viewport: { width: 1280, height: 720 } });
      const fileErrors: string[] = [];
      page.on('pageerror', (e) => fileErrors.push(String(e)));
      await page.goto(`${pathToFileURL(join(SITE, 'index.html')).href}?demo=1`);
      await demoFacts(page, 0);
      await expect(page.locator('sl-demo-bar #demo-caption').innerText()).resolves.toBe(DEMO_STEPS[0]!.caption);
      expect(fileErrors).toEqual([]);
    } finally {
      await local.close();
    }
  });
});
