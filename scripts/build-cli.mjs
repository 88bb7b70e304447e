// Bundles the command's TypeScript into lib/cli/main.mjs (npm runs this after `npm ci` and before `npm pack`,
// as `prepare`). Not under dist/: that is the static site, which `npm run build` empties first.
// bin/siglens.mjs runs the bundle while it is newer than every source file, and the sources through
// tsx otherwise: tsx's loader thread costs the command about 30 MiB and 0.3 s at every start.
// The bundle is split along the commands' dynamic imports (src/cli/main.ts): a command loads main.mjs
// and its own chunks (lib/cli/*-HASH.mjs), so `siglens info` does not load the permutation engines.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = 'lib/cli';
const common = {
  absWorkingDir: root,
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  metafile: true,
  logLevel: 'warning',
};
// Two folders deep, as src/cli/ is, chunks too: the command finds shaders/ relative to itself.
const command = await build({
  ...common,
  entryPoints: { main: 'src/cli/main.ts' },
  splitting: true,
  chunkNames: '[name]-[hash]',
});
// The permutation threads' entry (src/cli/thread-pool-engine.ts) sits beside the command's, whole: in the
// same split build it would share chunks with the commands, and every command would load more files.
const worker = await build({ ...common, entryPoints: { 'thread-worker': 'src/cli/thread-worker.ts' } });
// Chunks of earlier builds (their names hold a hash of their content) go, so lib/cli/ ships only this one.
const built = new Set([command, worker].flatMap((r) => Object.keys(r.metafile.outputs).map((p) => basename(p))));
for (const f of readdirSync(`${root}/${outdir}`))
  if (f.endsWith('.mjs') && !built.has(f)) rmSync(`${root}/${outdir}/${f}`);
