// B2 as users run it: the command as a whole process against the Python peer as a whole process.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { noiseMap } from './data';
import { median, type Figure } from './node-benches';

const REPO = join(import.meta.dirname, '..');
const PY = '/usr/bin/python3';
/** Alternating runs of each side: single runs on this shared VM swing by half either way. */
const RUNS = 9;

interface Run {
  readonly wall: number;
  readonly cpu: number;
  readonly clusters: number;
}

/**
 * One process, timed from spawn to exit (wall), with its user + system CPU seconds from GNU time
 * (which counts zlib's and the GC's threads too), and the number of clusters its JSON lists.
 */
function run(argv: string[]): Run {
  // A clean environment: the bench runs under tsx, whose loader settings must not leak into the measured command.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && !k.startsWith('TSX')));
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', ...argv], { cwd: REPO, encoding: 'utf8', maxBuffer: 256 << 20, env });
  const wall = (performance.now() - t0) / 1000;
  const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !cpu) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  return { wall, cpu: Number(cpu[1]) + Number(cpu[2]), clusters: (JSON.parse(r.stdout) as { clusters: unknown[] }).clusters.length };
}

const spread = (xs: number[]): string => `${Math.min(...xs).toFixed(3)}-${Math.max(...xs).toFixed(3)}`;

/**
 * `siglens clusters MAP --threshold 2.3 --json --engine cpu` on the 1 mm smoothed-noise .nii.gz
 * (bin/siglens.mjs on its bundle, built first) against `scripts/scipy_clusters.py MAP 2.3 26 ONE`
 * (nibabel load + scipy.ndimage.label + numpy table + JSON), both whole processes, alternating.
 */
export function b2Process(): Figure[] {
  const { gz } = noiseMap('1mm', 1);
  execFileSync(process.execPath, [join(REPO, 'scripts/build-cli.mjs')], { cwd: REPO });
  const ours: Run[] = [];
  const peer: Run[] = [];
  const oursArgv = [process.execPath, join(REPO, 'bin/siglens.mjs'), 'clusters', gz, '--threshold', '2.3', '--json', '--engine', 'cpu'];
  const peerArgv = [PY, join(REPO, 'scripts/scipy_clusters.py'), gz, '2.3', '26', 'ONE'];
  // One of each first, untimed: the file in the page cache and both runtimes' files read once.
  run(oursArgv);
  run(peerArgv);
  for (let i = 0; i < RUNS; i++) {
    ours.push(run(oursArgv));
    peer.push(run(peerArgv));
  }
  if (ours.some((o, i) => o.clusters !== peer[i]!.clusters)) throw new Error('the command and scipy list different numbers of clusters');
  const peerName = 'nibabel + scipy.ndimage.label + numpy table (python3 process)';
  const figure = (kind: 'wall' | 'cpu'): Figure => {
    const o = ours.map((r) => r[kind]);
    const p = peer.map((r) => r[kind]);
    const what = `siglens clusters 1 mm .nii.gz t = 2.3 --json --engine cpu vs scipy_clusters.py, whole processes, ${kind === 'wall' ? 'wall clock' : 'user + system CPU'}, median of ${RUNS} alternating runs (ours ${spread(o)} s, scipy ${spread(p)} s, pair ratios ${spread(o.map((v, i) => v / p[i]!))})`;
    return { id: `B2 process 1mm t=2.3${kind === 'cpu' ? ' CPU' : ''}`, what, ours: median(o), peer: median(p), peerName, ratio: median(o) / median(p), target: 0.3, unit: kind === 'wall' ? 's' : 's CPU' };
  };
  return [figure('wall'), figure('cpu')];
}
