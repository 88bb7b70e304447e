// Bundles the command's TypeScript into lib/cli/main.mjs (npm runs this after `npm ci` and before `npm pack`,
// as `prepare`). Not under dist/: that is the static site, which `npm run build` empties first.
// bin/siglens.mjs runs the bundle while it is newer than every source file, and the sources through
// tsx otherwise: tsx's loader thread costs the command about 30 MiB and 0.3 s at every start.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  // The permutation threads' entry (src/cli/thread-pool-engine.ts) sits beside the command's.
  entryPoints: { main: 'src/cli/main.ts', 'thread-worker': 'src/cli/thread-worker.ts' },
  // Two folders deep, as src/cli/ is: the command finds shaders/ relative to itself.
  outdir: 'lib/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
