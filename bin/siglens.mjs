#!/usr/bin/env node
// Runs the bundled command (lib/cli/main.mjs: built by `npm ci` through `prepare`, and shipped in the
// package). In a checkout it runs the bundle while it is newer than every source file, and the
// TypeScript sources through tsx otherwise, so an edit needs no build step. An installed package has
// no src/ and always runs the bundle. The bundle is not under dist/, which `npm run build` empties.
import { existsSync, readdirSync, statSync } from 'node:fs';

const src = new URL('../src/', import.meta.url);
const bundle = new URL('../lib/cli/main.mjs', import.meta.url);

function newestSource() {
  let newest = 0;
  for (const e of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) newest = Math.max(newest, statSync(`${e.parentPath}/${e.name}`).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs > newestSource();
  } catch {
    return false;
  }
}

async function loadMain() {
  const useBundle = !existsSync(src) || bundleIsFresh();
  // Tests (and the curious) can ask which one runs: SIGLENS_SAY_RUNNER=1.
  if (process.env.SIGLENS_SAY_RUNNER === '1')
    process.stderr.write(`siglens: running ${useBundle ? 'the bundle lib/cli/main.mjs' : 'the sources through tsx'}\n`);
  if (useBundle) return (await import(bundle.href)).main;
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../src/cli/main.ts')).main;
}

// A reader that stops early (`siglens ... | head`) closes the pipe: that ends the output, not in a crash.
for (const s of [process.stdout, process.stderr]) {
  s.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const main = await loadMain();
const code = await main(process.argv.slice(2));
// Exit explicitly: a Dawn (WebGPU) instance would otherwise keep the process alive. But first let
// stdout and stderr drain: a pipe takes 64 KiB at once, and exit would drop the rest of a document.
await Promise.all([process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', resolve))));
process.exit(code);
