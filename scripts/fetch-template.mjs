#!/usr/bin/env node
// npm run fetch-template [URL]: downloads a real MNI152 2 mm template into sample-data/template/ (not
// committed). The demo uses it instead of the synthetic stand-in when it is there. The source can be
// any URL of an MNI152_T1_2mm NIfTI (SIGLENS_TEMPLATE_URL or the first argument); the default is the
// copy in NiiVue's public demo images.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_URL = 'https://niivue.github.io/niivue-demo-images/mni152.nii.gz';
const EXPECTED_DIMS = [91, 109, 91];
const TIMEOUT_MS = 60_000;

const url = process.argv[2] ?? process.env.SIGLENS_TEMPLATE_URL ?? DEFAULT_URL;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'sample-data', 'template', 'MNI152_T1_2mm.nii.gz');

async function main() {
  const { register } = await import('tsx/esm/api');
  register();
  const { readNifti } = await import('../src/nifti/index.ts');
  let res;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    throw new Error(
      `could not download ${url} (${e instanceof Error ? e.message : e}); the demo keeps using the synthetic stand-in`,
    );
  }
  if (!res.ok)
    throw new Error(`could not download ${url} (HTTP ${res.status}); the demo keeps using the synthetic stand-in`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const img = await readNifti(bytes, { name: url.split('/').pop() || 'template' });
  if (img.dims.join('x') !== EXPECTED_DIMS.join('x')) {
    throw new Error(`${url} is ${img.dims.join('x')}, not the MNI152 2 mm grid (${EXPECTED_DIMS.join('x')})`);
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(`${target}.part`, bytes);
  renameSync(`${target}.part`, target);
  console.log(`template saved to ${target}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`fetch-template: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  },
);
