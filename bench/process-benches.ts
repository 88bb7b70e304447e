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
  readonly stdout: string;
}

/**
 * One process, timed from spawn to exit (wall), with its user + system CPU seconds from GNU time
 * (which counts zlib's and the GC's threads too), and the number of clusters its JSON lists.
 */
function run(
  argv: string[],
  count: (stdout: string) => number = (o) => (JSON.parse(o) as { clusters: unknown[] }).clusters.length,
): Run {
  // A clean environment: the bench runs under tsx, whose loader settings must not leak into the measured command.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && !k.startsWith('TSX')),
  );
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', ...argv], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env,
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !cpu) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  return { wall, cpu: Number(cpu[1]) + Number(cpu[2]), clusters: count(r.stdout), stdout: r.stdout };
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
  const oursArgv = [
    process.execPath,
    join(REPO, 'bin/siglens.mjs'),
    'clusters',
    gz,
    '--threshold',
    '2.3',
    '--json',
    '--engine',
    'cpu',
  ];
  const peerArgv = [PY, join(REPO, 'scripts/scipy_clusters.py'), gz, '2.3', '26', 'ONE'];
  // One of each first, untimed: the file in the page cache and both runtimes' files read once.
  run(oursArgv);
  run(peerArgv);
  for (let i = 0; i < RUNS; i++) {
    ours.push(run(oursArgv));
    peer.push(run(peerArgv));
  }
  if (ours.some((o, i) => o.clusters !== peer[i]!.clusters))
    throw new Error('the command and scipy list different numbers of clusters');
  const peerName = 'nibabel + scipy.ndimage.label + numpy table (python3 process)';
  const figure = (kind: 'wall' | 'cpu'): Figure => {
    const o = ours.map((r) => r[kind]);
    const p = peer.map((r) => r[kind]);
    const what = `siglens clusters 1 mm .nii.gz t = 2.3 --json --engine cpu vs scipy_clusters.py, whole processes, ${kind === 'wall' ? 'wall clock' : 'user + system CPU'}, median of ${RUNS} alternating runs (ours ${spread(o)} s, scipy ${spread(p)} s, pair ratios ${spread(o.map((v, i) => v / p[i]!))})`;
    return {
      id: `B2 process 1mm t=2.3${kind === 'cpu' ? ' CPU' : ''}`,
      what,
      ours: median(o),
      peer: median(p),
      peerName,
      ratio: median(o) / median(p),
      target: 0.3,
      unit: kind === 'wall' ? 's' : 's CPU',
    };
  };
  return [figure('wall'), figure('cpu')];
}

/**
 * B1 as users meet it (issue 23): `siglens info MAP --json` on the 1 mm smoothed-noise float32
 * .nii.gz (header, the float32 frame, its min, max and NaN count) against nibabel's load +
 * get_fdata(float32) + the same min and max, as whole processes, alternating.
 */
export function b1Process(): Figure[] {
  const { gz } = noiseMap('1mm', 1);
  execFileSync(process.execPath, [join(REPO, 'scripts/build-cli.mjs')], { cwd: REPO });
  const oursArgv = [process.execPath, join(REPO, 'bin/siglens.mjs'), 'info', gz, '--json'];
  const py =
    'import sys, json, numpy as np, nibabel as nib; a = nib.load(sys.argv[1]).get_fdata(dtype=np.float32); print(json.dumps({"max": float(np.nanmax(a)), "nan": int(np.isnan(a).sum())}))';
  const peerArgv = [PY, '-c', py, gz];
  const max = (o: string): number => (JSON.parse(o) as { max: number }).max;
  run(oursArgv, max);
  run(peerArgv, max);
  const ours: Run[] = [];
  const peer: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(run(oursArgv, max));
    peer.push(run(peerArgv, max));
  }
  if (ours.some((o, i) => Math.abs(o.clusters - peer[i]!.clusters) > 1e-5 * Math.abs(peer[i]!.clusters)))
    throw new Error('siglens info and nibabel give different maxima');
  const figure = (kind: 'wall' | 'cpu'): Figure => {
    const o = ours.map((r) => r[kind]);
    const p = peer.map((r) => r[kind]);
    const what = `siglens info 1 mm float32 .nii.gz --json vs nibabel load + get_fdata(float32) + max/NaN count, whole processes, ${kind === 'wall' ? 'wall clock' : 'user + system CPU'}, median of ${RUNS} alternating runs (ours ${spread(o)} s, nibabel ${spread(p)} s, pair ratios ${spread(o.map((v, i) => v / p[i]!))})`;
    return {
      id: `B1 process 1mm${kind === 'cpu' ? ' CPU' : ''}`,
      what,
      ours: median(o),
      peer: median(p),
      peerName: 'nibabel + numpy (python3 process)',
      ratio: median(o) / median(p),
      target: 0.6,
      unit: kind === 'wall' ? 's' : 's CPU',
    };
  };
  return [figure('wall'), figure('cpu')];
}
