import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from '../helpers/shared';
import { useResource } from '../helpers/suite-resource';

/** Debian's Chromium (scripts/test.sh installs it); never a downloaded browser. */
export const CHROMIUM = process.env.SIGLENS_CHROMIUM ?? '/usr/bin/chromium';

/** Headless Chromium with WebGPU on SwiftShader and WebGL2, and no traffic to the outside. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const SCREENSHOTS = join(REPO, 'test-results/screenshots');

export async function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs], headless: true });
}

/**
 * One headless Chromium for the enclosing `describe`: launched before its tests and closed after them. The handle
 * forwards every call to that browser, so the tests use it as the Browser itself.
 */
export function useBrowser(extraArgs: string[] = []): Browser {
  return useResource(
    'browser',
    () => launch(extraArgs),
    (b) => b.close(),
  );
}

/**
 * Opens the page and fails the test on any uncaught page error. `beforeLoad` runs on the new page before it
 * navigates (to install Playwright's clock, say).
 */
export async function openPage(
  browser: Browser,
  url: string,
  beforeLoad?: (page: Page) => Promise<void>,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await beforeLoad?.(page);
  await page.goto(url);
  return { page, errors };
}

/** A screenshot of the whole page (`fullPage`), or of what the viewport shows. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
