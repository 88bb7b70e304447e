import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** Where `npm run build` writes the static site. The command's bundle lives elsewhere (scripts/build-cli.mjs). */
export const SITE_DIR = 'dist';
/** The generated sample data (scripts/sample-data/), and `npm run fetch-template`'s template inside it when present. */
const SAMPLE_DIR = 'sample-data';
/** The largest file the service worker keeps: a fetched 1 mm template would be ~10 MB. */
const PRECACHE_MAX_BYTES = 64 * 2 ** 20;

/** Tells the person who ran `npm start` where the guided demo on the generated sample data is. */
function demoHint(): Plugin {
  return {
    name: 'siglens-demo-hint',
    configureServer(server) {
      server.httpServer?.once('listening', () => {
        const a = server.httpServer?.address();
        if (a && typeof a === 'object' && process.env.VITEST === undefined) {
          console.log(`\n  SigLens demo on the generated sample data: http://${a.address}:${a.port}/?demo=1\n`);
        }
      });
    },
  };
}

/**
 * Puts sample-data/ into the site, so the demo works wherever the site is hosted. The files join the
 * bundle (rather than being copied afterwards) so that the service worker's precache list sees them.
 */
function sampleData(): Plugin {
  return {
    name: 'siglens-sample-data',
    apply: 'build',
    generateBundle() {
      for (const e of readdirSync(SAMPLE_DIR, { recursive: true, withFileTypes: true })) {
        if (!e.isFile()) continue;
        const path = join(e.parentPath, e.name);
        this.emitFile({
          type: 'asset',
          fileName: relative('.', path).split('\\').join('/'),
          source: readFileSync(path),
        });
      }
    },
  };
}

export default defineConfig({
  // Relative asset paths: the same build works at /, in a sub-folder (/lab/siglens/, GitHub project pages) and from file://.
  base: './',
  server: { host: '127.0.0.1', port: 5173 },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: SITE_DIR, emptyOutDir: true },
  plugins: [
    demoHint(),
    sampleData(),
    VitePWA({
      // A new version waits until every SigLens tab is closed: it takes effect on the next visit, never mid-analysis.
      registerType: 'prompt',
      // src/ui/site-note.ts registers it and says when a new version is ready.
      injectRegister: false,
      manifest: false,
      workbox: {
        // Everything the page can load, the sample data included, so the demo runs offline after one visit.
        globPatterns: ['**/*.{html,js,css,wgsl,gz,nii,tsv,md}'],
        maximumFileSizeToCacheInBytes: PRECACHE_MAX_BYTES,
        // ?demo=1, ?map=... and the other link parameters all open the same page.
        navigateFallback: 'index.html',
        ignoreURLParametersMatching: [/.*/],
        clientsClaim: true,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
});
