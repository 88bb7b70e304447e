import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './shared';

/** `npm run build`'s output (SITE_DIR in vite.config.ts) and the command's bundle (scripts/build-cli.mjs). */
export const SITE = join(REPO, 'dist');
export const CLI_BUNDLE = join(REPO, 'lib/cli/main.mjs');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let m = 0;
  for (const e of readdirSync(path, { recursive: true, withFileTypes: true }))
    if (e.isFile()) m = Math.max(m, statSync(join(e.parentPath, e.name)).mtimeMs);
  return m;
}

const mtime = (path: string): number => (existsSync(path) ? statSync(path).mtimeMs : 0);

/** The command's bundle, built unless it is newer than the sources (scripts/test.sh builds it first). */
export function ensureCliBundle(): void {
  if (mtime(CLI_BUNDLE) > newest(join(REPO, 'src'))) return;
  execFileSync(process.execPath, [join(REPO, 'scripts/build-cli.mjs')], { cwd: REPO, stdio: 'inherit' });
}

/**
 * The built site, built with `npm run build` unless scripts/test.sh already did so after the command's
 * bundle and after every input changed: one build per test run, and always one that came after the bundle.
 */
export function ensureSite(): void {
  const inputs = ['src', 'shaders', 'sample-data', 'index.html', 'vite.config.ts', 'package.json'].map((p) =>
    newest(join(REPO, p)),
  );
  const built = mtime(join(SITE, 'index.html'));
  if (built > Math.max(mtime(CLI_BUNDLE), ...inputs) && existsSync(join(SITE, 'sw.js'))) return;
  // As a user runs it: vitest's NODE_ENV=test would make Vite build a development bundle (Lit's dev mode, no service worker).
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'NODE_ENV' && !k.startsWith('VITEST')),
  );
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'inherit'] });
}
