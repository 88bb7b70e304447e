import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { clusterTable } from '../src/analysis/clusters';
import { signatureSums } from '../src/analysis/signature';
import { CpuEngine } from '../src/compute/cpu/engine';
import { readNiftiFile } from '../src/cli/files';
import { noiseMap, type GridName } from './data';

export interface Figure {
  readonly id: string;
  readonly what: string;
  readonly ours: number;
  readonly peer: number;
  readonly peerName: string;
  /** ours / peer; the target is on this ratio. */
  readonly ratio: number;
  readonly target: number;
  readonly unit: string;
}

const REPO = join(import.meta.dirname, '..');
const PY = '/usr/bin/python3';
const REPEATS = 7;
/** Runs before timing starts, so the JIT has compiled the hot loops (Python's peers are compiled C). */
const WARMUPS = 3;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed(f: () => Promise<unknown>, repeats = REPEATS): Promise<number> {
  for (let i = 0; i < WARMUPS; i++) await f();
  const t: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await f();
    t.push((performance.now() - t0) / 1000);
  }
  return median(t);
}

function peer(args: string[]): number {
  const out = execFileSync(PY, [join(REPO, 'bench/peers.py'), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return (JSON.parse(out) as { seconds: number }).seconds;
}

function fig(id: string, what: string, ours: number, peerSeconds: number, peerName: string, target: number): Figure {
  return { id, what, ours, peer: peerSeconds, peerName, ratio: ours / peerSeconds, target, unit: 's' };
}

export async function b1Read(): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const grid of ['1mm', '2mm'] as GridName[]) {
    const { gz } = noiseMap(grid, 1);
    const ours = await timed(async () => (await readNiftiFile(gz)).frame(0));
    out.push(
      fig(
        `B1 read ${grid}`,
        `float32 .nii.gz ${grid}: reader -> Float32Array`,
        ours,
        peer(['read', gz, String(REPEATS)]),
        'nibabel get_fdata(float32)',
        1.0,
      ),
    );
  }
  return out;
}

export async function b2Clusters(): Promise<Figure[]> {
  const out: Figure[] = [];
  const engine = new CpuEngine();
  for (const grid of ['2mm', '1mm'] as GridName[]) {
    const { nii } = noiseMap(grid, 2);
    const img = await readNiftiFile(nii);
    const map = { data: img.frame(0), dims: img.dims, affine: Array.from(img.affine), pixdim: [1, 1, 1] };
    for (const t of [2.3, 1.0]) {
      const ours = await timed(() =>
        clusterTable(
          map,
          {
            threshold: t,
            twoSided: false,
            connectivity: 26,
            extent: { kind: 'none' },
            smoothness: { kind: 'none' },
            maxSubpeaks: 0,
          },
          engine,
        ),
      );
      out.push(
        fig(
          `B2 clusters ${grid} t=${t}`,
          `threshold + 26-conn labels + table, ${grid}, t = ${t}`,
          ours,
          peer(['clusters', nii, String(t), String(REPEATS)]),
          'scipy.ndimage.label + numpy table',
          1.0,
        ),
      );
    }
  }
  return out;
}

export async function b3Signatures(): Promise<Figure[]> {
  const weights = join(REPO, '../shared/data/signatures/nonnoc_v11_4_137subjmap_weighted_mean.nii.gz');
  const distinct = Array.from({ length: 10 }, (_, i) => noiseMap('2mm', 100 + i).nii);
  const files = Array.from({ length: 100 }, (_, i) => distinct[i % distinct.length]!);
  const w = await readNiftiFile(weights);
  const wmap = { name: 'siips1', data: w.frame(0), dims: w.dims, affine: Array.from(w.affine) };
  const maps = await Promise.all(
    files.map(async (f, i) => {
      const img = await readNiftiFile(f);
      return { name: `m${i}`, data: img.frame(0), dims: img.dims, affine: Array.from(img.affine) };
    }),
  );
  const engine = new CpuEngine();
  const ours = await timed(() => signatureSums(wmap, maps, 'weights-to-data', engine), 3);
  return [
    fig(
      'B3 signatures',
      'SIIPS1 x 100 maps at 2 mm, resampling included',
      ours,
      peer(['signature', weights, '3', ...files]),
      'numpy (same formulas)',
      0.5,
    ),
  ];
}

/**
 * Peak RSS of `siglens clusters` on the 1 mm map, against the map's float32 size: the command as users
 * run it (bin/siglens.mjs, on its bundle, built first), with a preload that reads VmHWM at exit. VmHWM,
 * which exec resets: getrusage's maxRSS would count the bench process the child was forked from.
 */
export function b5Rss(): Figure[] {
  const { gz } = noiseMap('1mm', 1);
  const tiny = noiseMap('2mm', 1).gz;
  execFileSync(process.execPath, [join(REPO, 'scripts/build-cli.mjs')], { cwd: REPO });
  const atExit = `data:text/javascript,import{readFileSync}from'node:fs';process.on('exit',()=>process.stderr.write('RSS '+/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status','utf8'))[1]+'\\n'))`;
  const rss = (file: string): number => {
    // A clean environment: the bench runs under tsx, whose loader settings must not leak into the measured command.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && !k.startsWith('TSX')),
    );
    const args = [
      '--import',
      atExit,
      join(REPO, 'bin/siglens.mjs'),
      'clusters',
      file,
      '--threshold',
      '2.3',
      '--json',
      '--engine',
      'cpu',
    ];
    const r = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20, env });
    const m = /RSS (\d+)/.exec(r.stderr);
    if (r.status !== 0 || !m) throw new Error(`no RSS from the command: ${r.stderr}`);
    return Number(m[1]) * 1024;
  };
  const mapBytes = 182 * 218 * 182 * 4;
  const peak = rss(gz);
  // What the command costs besides a map: its run on the 2 mm map, less that map.
  const runtime = rss(tiny) - 91 * 109 * 91 * 4;
  return [
    {
      id: 'B5 command RSS',
      what: 'peak RSS of siglens clusters on the 1 mm map / its float32 size',
      ours: peak / 2 ** 20,
      peer: mapBytes / 2 ** 20,
      peerName: 'map float32 size (MiB)',
      ratio: peak / mapBytes,
      target: 3,
      unit: 'MiB',
    },
    {
      id: 'B5 command RSS (less runtime)',
      what: 'the same, less what the command takes besides a map (its RSS on the 2 mm map, less that map)',
      ours: (peak - runtime) / 2 ** 20,
      peer: mapBytes / 2 ** 20,
      peerName: 'map float32 size (MiB)',
      ratio: (peak - runtime) / mapBytes,
      target: 3,
      unit: 'MiB',
    },
  ];
}
