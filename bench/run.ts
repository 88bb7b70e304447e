// npm run bench: every figure is ours / a peer measured in the same run on this machine.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { b1Read, b2Clusters, b3Signatures, b5Rss, type Figure } from './node-benches';
import { b1Process, b2Process } from './process-benches';

const only = process.argv.slice(2);
const want = (id: string): boolean =>
  only.length === 0 || only.some((o) => id.toLowerCase().startsWith(o.toLowerCase()));

const figures: Figure[] = [];
if (want('b1')) figures.push(...(await b1Read()));
if (want('b1')) figures.push(...b1Process());
if (want('b2')) figures.push(...(await b2Clusters()));
if (want('b2')) figures.push(...b2Process());
if (want('b3')) figures.push(...(await b3Signatures()));
// Loaded only for B4: Vite and Playwright in the process slow Node's threaded zlib, which B1 times.
if (want('b4')) figures.push(...(await (await import('./browser-benches')).b4Browser()));
if (want('b5')) figures.push(...b5Rss());
if (want('b6')) figures.push(...(await import('./bundle')).b6Bundle());
if (only.length === 0 || only.some((o) => o.toLowerCase().startsWith('g')))
  figures.push(...(await import('./group-benches')).groupBenches(want));
if (want('b7')) figures.push(...(await (await import('./redraw-bench')).b7Redraw()));
if (want('b8')) figures.push(...(await (await import('./page-fuzz-bench')).b8PageFuzz()));
if (want('b9')) figures.push(...(await (await import('./page-group-bench')).b9PageGroup()));

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
  node: process.version,
  platform: process.platform,
};
const rows = figures.map((f) => ({ ...f, pass: f.ratio <= f.target }));
console.table(
  rows.map((r) => ({
    figure: r.id,
    ours: +r.ours.toFixed(4),
    peer: +r.peer.toFixed(4),
    'peer is': r.peerName,
    ratio: +r.ratio.toFixed(3),
    target: `<= ${r.target}`,
    met: r.pass ? 'yes' : 'NO',
  })),
);
// A partial run (npm run bench -- b2) replaces its own figures and keeps the others.
const file = join(import.meta.dirname, 'results.json');
const earlier =
  only.length && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { figures: typeof rows }).figures : [];
const merged = [...earlier.filter((f) => !rows.some((r) => r.id === f.id)), ...rows];
writeFileSync(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), machine, engine: 'CPU engine (JavaScript) unless the figure says otherwise; no GPU machine was lent', figures: merged }, null, 2)}\n`,
);
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; bench/results.json written`);
process.exit(0);
