// B6: what the built site (npm run build) makes a visitor download, gzip, against a budget.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Figure } from './node-benches';

const REPO = join(import.meta.dirname, '..');
const OUT = join(REPO, 'bench/out/site');
/** The first paint's budget, gzip kB: the page's own code, Lit and Comlink (56 kB on 2026-12-01), with room for some growth; NiiVue (326 kB) is what it keeps out. */
export const FIRST_PAINT_BUDGET_KB = 75;
/** Everything up to the first drawn map, gzip kB: the first paint, NiiVue's chunk and both workers. */
export const FIRST_MAP_BUDGET_KB = 500;

export interface SiteSizes {
  /** index.html, its CSS, the entry chunk and every chunk it imports statically: what first paint waits for. */
  readonly firstPaintKb: number;
  /** The chunk that holds NiiVue (imported with the first pane). */
  readonly niivueKb: number;
  /** The parse and analysis workers. */
  readonly workersKb: number;
  /** Every file under assets/ (NiiVue's lazily loaded compressors included, which the page seldom needs). */
  readonly allAssetsKb: number;
}

const gz = (path: string): number => gzipSync(readFileSync(path)).length / 1000;

/** The sizes of a built site, read from its index.html and its chunks' static imports. */
export function siteSizes(dir: string): SiteSizes {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const seen = new Set<string>();
  const visit = (rel: string): void => {
    if (seen.has(rel)) return;
    seen.add(rel);
    if (!rel.endsWith('.js')) return;
    // Static imports only (`import{a}from"./x.js"`, `import"./x.js"`): `import("./x.js")` waits for its caller.
    for (const m of readFileSync(join(dir, rel), 'utf8').matchAll(
      /\bimport\s*(?:[\w$*{},\s]+from\s*)?["']\.\/([^"']+)["']/g,
    ))
      visit(`assets/${m[1]}`);
  };
  for (const m of html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)) visit(m[1]!);
  const assets = readdirSync(join(dir, 'assets'));
  const niivue = assets.find(
    (f) => f.endsWith('.js') && readFileSync(join(dir, 'assets', f), 'utf8').includes('niivue'),
  );
  const sum = (files: string[]): number => files.reduce((s, f) => s + gz(join(dir, f)), 0);
  return {
    firstPaintKb: gz(join(dir, 'index.html')) + sum([...seen]),
    niivueKb: niivue && !seen.has(`assets/${niivue}`) ? gz(join(dir, 'assets', niivue)) : 0,
    workersKb: sum(assets.filter((f) => f.includes('.worker')).map((f) => `assets/${f}`)),
    allAssetsKb: sum(assets.map((f) => `assets/${f}`)),
  };
}

/** Builds the site into bench/out/site (not dist/, which may be someone's deployment) and checks the budgets. */
export function b6Bundle(): Figure[] {
  // As users build it: NODE_ENV unset, or Vite would build a development bundle.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_ENV'));
  execFileSync(
    process.execPath,
    [join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', OUT, '--emptyOutDir', '--logLevel', 'error'],
    { cwd: REPO, env },
  );
  if (!existsSync(join(OUT, 'index.html'))) throw new Error('the site build wrote no index.html');
  const s = siteSizes(OUT);
  console.log(
    `B6 sizes (gzip kB): first paint ${s.firstPaintKb.toFixed(1)}, NiiVue chunk ${s.niivueKb.toFixed(1)}, workers ${s.workersKb.toFixed(1)}, all assets ${s.allAssetsKb.toFixed(1)}`,
  );
  const firstMap = s.firstPaintKb + s.niivueKb + s.workersKb;
  return [
    {
      id: 'B6 first paint JS+CSS+HTML, gzip',
      what: 'index.html, CSS, entry and its static imports',
      ours: s.firstPaintKb,
      peer: FIRST_PAINT_BUDGET_KB,
      peerName: 'budget (kB)',
      ratio: s.firstPaintKb / FIRST_PAINT_BUDGET_KB,
      target: 1,
      unit: 'kB',
    },
    {
      id: 'B6 up to the first map, gzip',
      what: 'first paint + NiiVue chunk + workers',
      ours: firstMap,
      peer: FIRST_MAP_BUDGET_KB,
      peerName: 'budget (kB)',
      ratio: firstMap / FIRST_MAP_BUDGET_KB,
      target: 1,
      unit: 'kB',
    },
  ];
}

// `tsx bench/bundle.ts DIR` prints the sizes of a site built elsewhere (e.g. an older commit's dist/).
if (process.argv[1] === import.meta.filename && process.argv[2]) console.log(siteSizes(process.argv[2]));
