import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/shared';

const SUBJECTS = join(REPO, 'sample-data/subjects');
const sample = readdirSync(SUBJECTS)
  .filter((f) => f.endsWith('.nii.gz'))
  .sort()
  .map((f) => join(SUBJECTS, f));
const OUT = mkdtempSync(join(tmpdir(), 'siglens-threads-'));
afterAll(() => rmSync(OUT, { recursive: true }));

/**
 * `siglens group ARGS --threads N --out run` (no --threads for 'default': the pool that starts its
 * workers once the run is long enough) in a folder of its own: the document and every written file's bytes.
 */
function groupRun(
  name: string,
  threads: number | 'default',
  args: string[],
): { doc: string; files: Map<string, Buffer> } {
  const dir = join(OUT, `${name}-${threads}`);
  mkdirSync(dir);
  const r = spawnSync(
    process.execPath,
    [
      join(REPO, 'bin/siglens.mjs'),
      'group',
      ...args,
      '--engine',
      'cpu',
      '--json',
      '--out',
      'run',
      ...(threads === 'default' ? [] : ['--threads', String(threads)]),
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const files = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
  return { doc: r.stdout, files };
}

/** The first share runs on the main thread and the rest on workers: 3 threads runs two workers beside it. */
function expectSameRuns(name: string, args: string[], counts: readonly (number | 'default')[] = [2]): void {
  const one = groupRun(name, 1, args);
  expect(one.files.size).toBeGreaterThan(3);
  for (const threads of counts) {
    const two = groupRun(name, threads, args);
    expect(two.doc).toBe(one.doc);
    expect([...two.files.keys()]).toEqual([...one.files.keys()]);
    for (const [f, bytes] of one.files)
      expect(Buffer.compare(two.files.get(f)!, bytes), `${f} on ${threads} threads`).toBe(0);
  }
}

describe('siglens group --threads', () => {
  it('paired with TFCE, every sign flip of 6 pairs: --threads 2 and 3, and the default, write the same document and maps, byte for byte, as --threads 1', () => {
    const six = sample.filter((f) => /sub-0[1-6]_/.test(f));
    expectSameRuns('paired', [...six, '--design', 'paired', '--permutations', 'all', '--tfce'], [2, 3, 'default']);
  }, 300_000);

  it('two-sample, random relabellings, two-sided: the same bytes on one thread and two', () => {
    const tsv = join(SUBJECTS, 'participants.tsv');
    const post = sample.filter((f) => f.includes('ses-post'));
    expectSameRuns('two-sample', [
      ...post,
      '--design',
      'two-sample',
      '--participants',
      tsv,
      '--groups',
      'training,waitlist',
      '--permutations',
      '21',
      '--seed',
      '5',
      '--two-sided',
      '--tfce',
    ]);
  }, 300_000);

  it('a model (Freedman-Lane, the GLM engine contract) with TFCE: the same bytes on one thread and two', () => {
    const tsv = join(SUBJECTS, 'participants.tsv');
    const post = sample.filter((f) => f.includes('ses-post'));
    expectSameRuns('glm', [
      ...post,
      '--design',
      'one-sample',
      '--participants',
      tsv,
      '--effect',
      'gain',
      '--permutations',
      '16',
      '--tfce',
    ]);
  }, 300_000);

  it('refuses a thread count that is not a whole number from 1', () => {
    const r = spawnSync(
      process.execPath,
      [join(REPO, 'bin/siglens.mjs'), 'group', ...sample.slice(0, 4), '--design', 'paired', '--threads', '0'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--threads/);
  });
});
