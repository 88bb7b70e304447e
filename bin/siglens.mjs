#!/usr/bin/env node
// Runs the bundled command (dist/cli/main.mjs, built by `npm ci` through `prepare`) while it is newer
// than every source file, and the TypeScript sources through tsx otherwise, so an edit needs no build step.
import { readdirSync, statSync } from 'node:fs';

const src = new URL('../src/', import.meta.url);
const bundle = new URL('../dist/cli/main.mjs', import.meta.url);

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
  if (bundleIsFresh()) return (await import(bundle.href)).main;
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../src/cli/main.ts')).main;
}

const main = await loadMain();
const code = await main(process.argv.slice(2));
// Exit explicitly: a Dawn (WebGPU) instance would otherwise keep the process alive. But first let
// stdout and stderr drain: a pipe takes 64 KiB at once, and exit would drop the rest of a document.
await Promise.all([process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', resolve))));
process.exit(code);
