import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { siglensJson } from '../helpers/cli';
import { REPO } from '../helpers/shared';
import { ensureCliBundle } from '../helpers/site';

const MAP = join(REPO, 'sample-data/group_pain_pre_zstat.nii.gz');
const tmp = mkdtempSync(join(tmpdir(), 'siglens-pack-'));

interface PackEntry {
  filename: string;
  files: { path: string }[];
}

describe('the npm package (npm pack)', () => {
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('installs from its tarball into an empty folder, and `npx siglens clusters` prints the document', () => {
    // `npm pack` would build the bundle itself (prepare); the tests build it once (scripts/test.sh) and pack that.
    ensureCliBundle();
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], {
        cwd: REPO,
        encoding: 'utf8',
      }),
    ) as PackEntry[];
    const paths = packed[0]!.files.map((f) => f.path).sort();
    // Only what the command needs: its launcher, its bundle (with its permutation threads' entry, and the chunks
    // esbuild splits them into, named with a hash) and the WGSL it reads for --engine gpu (and the MIT licence, which must travel with it).
    expect(
      paths.filter(
        (p) =>
          !/^(bin\/siglens\.mjs|lib\/cli\/(?:main|thread-worker|[\w-]+-[A-Z0-9]{8})\.mjs|shaders\/[\w/-]+\.wgsl|package\.json|README\.md|LICENSE)$/.test(
            p,
          ),
      ),
    ).toEqual([]);
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('lib/cli/main.mjs');
    expect(paths).toContain('lib/cli/thread-worker.mjs');

    const app = join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "a-lab", "private": true }\n');
    // From npm's cache where it can (the tarball is local; webgpu, the one optional dependency, is usually cached).
    execFileSync(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(tmp, packed[0]!.filename)],
      { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    // No development dependency came with it: no Lit, NiiVue, Vite, tsx...
    const dev = Object.keys(
      (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> })
        .devDependencies,
    );
    const pkg = (d: string): { dependencies?: Record<string, string> } =>
      JSON.parse(readFileSync(join(app, 'node_modules', d, 'package.json'), 'utf8'));
    // (webgpu's own dependencies aside: it needs @webgpu/types, which the repository also uses for its type check.)
    const runtime = new Set(['webgpu', ...Object.keys(pkg('webgpu').dependencies ?? {})]);
    expect(dev.filter((d) => existsSync(join(app, 'node_modules', d)) && !runtime.has(d))).toEqual([]);

    const r = spawnSync('npx', ['--no-install', 'siglens', 'clusters', MAP, '--threshold', '3.1', '--json'], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { threshold: number; clusters: unknown[]; engine: unknown };
    expect(doc.threshold).toBe(3.1);
    expect(doc.clusters.length).toBeGreaterThan(0);
    // The same document as the checkout's command (the engine line aside: it says which ran and why).
    const here = siglensJson<typeof doc>('clusters', MAP, '--threshold', '3.1');
    expect({ ...doc, engine: null }).toEqual({ ...here, engine: null });
  }, 180_000);

  it('installs without its optional webgpu: the CPU engine runs, and --engine gpu says what to install', () => {
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    expect(tgz).toBeDefined();
    const lean = join(tmp, 'lean');
    mkdirSync(lean);
    writeFileSync(join(lean, 'package.json'), '{ "name": "a-lean-lab", "private": true }\n');
    execFileSync(
      'npm',
      [
        'install',
        '--omit=optional',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        join(tmp, tgz!),
      ],
      { cwd: lean, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    expect(existsSync(join(lean, 'node_modules/webgpu'))).toBe(false);
    const run = (...args: string[]) =>
      spawnSync('npx', ['--no-install', 'siglens', 'clusters', MAP, '--threshold', '3.1', '--json', ...args], {
        cwd: lean,
        encoding: 'utf8',
      });
    const cpu = run();
    expect(cpu.status).toBe(0);
    expect((JSON.parse(cpu.stdout) as { engine: { kind: string } }).engine.kind).toBe('cpu');
    const gpu = run('--engine', 'gpu');
    expect(gpu.status).not.toBe(0);
    expect(gpu.stderr).toMatch(/optional webgpu package.*npm install webgpu/);
  }, 120_000);
});
