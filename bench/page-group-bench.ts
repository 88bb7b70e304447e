import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'vite';
import { launch } from '../tests/e2e/browser';
import { commandArgs, PAGE_GROUP_PERMUTATIONS, runPageGroup } from '../tests/e2e/page-group-run';
import type { Figure } from './node-benches';

const REPO = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** The page may take a fifth longer than the command on the same threads: the browser, its messages and the maps drawn. */
const PAGE_OVER_COMMAND = 1.2;

const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[]): string => `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`;

/** The command's wall seconds for the same run, on as many threads as the page has workers for it. */
function commandSeconds(threads: number): number {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(REPO, 'bin/siglens.mjs'), ...commandArgs(), '--threads', String(threads)],
    {
      cwd: REPO,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  if (r.status !== 0) throw new Error(`siglens group failed: ${r.stderr.slice(-2000)}`);
  return (performance.now() - t0) / 1000;
}

/**
 * B9: the page's group run of the sample subjects, 1,000 permutations with TFCE (the scenario of
 * tests/e2e/group-tfce-run.test.ts), from the click on Run to the result, against the command's
 * whole process on the threads the page uses (its analysis worker and hardwareConcurrency - 2 more).
 */
export async function b9PageGroup(): Promise<Figure[]> {
  const server = await createServer({
    root: REPO,
    configFile: join(REPO, 'vite.config.ts'),
    server: { port: 0, host: '127.0.0.1', hmr: false },
    logLevel: 'error',
  });
  await server.listen();
  const port = (server.httpServer!.address() as { port: number }).port;
  const browser = await launch();
  try {
    const pageRuns: number[] = [];
    const commandRuns: number[] = [];
    const loads: string[] = [];
    let engine = '';
    let threads = 1;
    for (let i = 0; i < RUNS; i++) {
      loads.push(load());
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`http://127.0.0.1:${port}/`);
      const cores = await page.evaluate(() => navigator.hardwareConcurrency || 1);
      // As src/worker/analysis.worker.ts: the analysis worker alone on two cores or fewer.
      threads = cores - 1 >= 2 ? Math.min(8, cores - 1) : 1;
      const run = await runPageGroup(page);
      engine = run.summary.engine;
      pageRuns.push(run.wallSeconds);
      await page.close();
      commandRuns.push(commandSeconds(threads));
    }
    const ours = median(pageRuns);
    const peer = median(commandRuns);
    return [
      {
        id: 'B9 page group TFCE 1000',
        what: `the page's paired run of the 14 sample pairs, ${PAGE_GROUP_PERMUTATIONS} seeded sign flips, TFCE (${engine}), click to result, wall s (median of ${RUNS}: ${spread(pageRuns)} s) / siglens group --threads ${threads}, the same run, whole process (${spread(commandRuns)} s); load ${loads.join(' | ')}`,
        ours,
        peer,
        peerName: `siglens group --threads ${threads}`,
        ratio: ours / peer,
        target: PAGE_OVER_COMMAND,
        unit: 's',
      },
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}
