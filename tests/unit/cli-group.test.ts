import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNiftiFile } from '../../src/cli/files';
import type { GroupDocument } from '../../src/cli/group-doc';
import { siglens, siglensJson } from '../helpers/cli';
import { writeMap, writePairedStudy } from '../helpers/group-study';
import { runPython } from '../helpers/python';
import { REPO } from '../helpers/shared';
import type { Dims } from '../helpers/volumes';

const SUBJECTS = join(REPO, 'sample-data/subjects');
const sample = readdirSync(SUBJECTS)
  .filter((f) => f.endsWith('.nii.gz'))
  .sort()
  .map((f) => join(SUBJECTS, f));
const OUT = mkdtempSync(join(tmpdir(), 'siglens-group-out-'));
afterAll(() => rmSync(OUT, { recursive: true }));

interface MapsRef {
  df: number;
  maskVoxels: number;
  tThreshold: number;
  t: Float64Array;
  z: Float64Array;
}

/** scripts/numpy_group.py maps on a design spec: the numbers, and the t and z maps it writes beside the spec. */
function mapsReference(spec: string, design: Record<string, unknown>): MapsRef {
  writeFileSync(spec, JSON.stringify(design));
  const r = runPython<Omit<MapsRef, 't' | 'z'>>(join(REPO, 'scripts/numpy_group.py'), ['maps', spec]);
  const read = (f: string): Float64Array => {
    const b = readFileSync(f);
    return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  return { ...r, t: read(`${spec}.t.f64`), z: read(`${spec}.z.f64`) };
}

/** Our written t and z maps against scripts/numpy_group.py maps (scipy.stats), voxel for voxel. */
async function expectMapsEqual(doc: GroupDocument, ref: MapsRef): Promise<void> {
  expect(doc.df).toBe(ref.df);
  expect(doc.maskVoxels).toBe(ref.maskVoxels);
  expect(doc.threshold.t).toBeCloseTo(ref.tThreshold, 9);
  for (const [name, want] of [
    ['tstat', ref.t],
    ['zstat', ref.z],
  ] as const) {
    const got = (await readNiftiFile(doc.files[name]!)).frame(0);
    expect(got.length).toBe(want.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++)
      worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
    expect(worst, `${name}: largest relative difference`).toBeLessThan(1e-6);
  }
}

describe('siglens group', () => {
  it('paired, the 14 synthetic subjects: t equals scipy.stats.ttest_rel and z its one-sided p, voxel for voxel; randomise outputs', async () => {
    const prefix = join(OUT, 'paired');
    const doc = siglensJson<GroupDocument>(
      'group',
      ...sample,
      '--design',
      'paired',
      '--permutations',
      '40',
      '--seed',
      '3',
      '--out',
      prefix,
      '--engine',
      'cpu',
    );
    const pairs = [...new Set(sample.map((f) => /sub-\d+/.exec(f)![0]))].map((s) =>
      ['pre', 'post'].map((ses) => sample.find((f) => f.includes(`${s}_ses-${ses}`))!),
    );
    await expectMapsEqual(doc, mapsReference(join(OUT, 'paired.json'), { design: 'paired', pairs }));
    expect(doc.n).toBe(14);
    expect(doc.contrast).toBe('ses-post - ses-pre');
    expect(doc.permutations).toEqual({ count: 40, exhaustive: false, seed: 3 });
    expect(doc.nulls.maxT.length).toBe(40);
    expect(Object.keys(doc.files)).toEqual([
      'tstat',
      'zstat',
      'vox_corrp',
      'clustere_corrp',
      'tfce_tstat',
      'tfce_corrp',
    ]);
    expect(doc.files.tfce_tstat).toBeNull();
    // 1 - p in the corrp maps: the strongest cluster's voxels hold 1 - its FWE p.
    const top = doc.clusters[0]!;
    const corrp = (await readNiftiFile(doc.files.clustere_corrp!)).frame(0);
    const [x, y, z] = top.peak.voxel;
    const dims = (await readNiftiFile(doc.files.tstat!)).dims;
    expect(corrp[x + dims[0] * (y + dims[1] * z)]).toBeCloseTo(1 - top.pFwe, 6);
    expect(top.pFwe).toBeGreaterThanOrEqual(1 / 40);
    expect(top.pGrf).toBeGreaterThan(0);
  }, 120_000);

  it('one-sample and two-sample (participants.tsv groups) equal ttest_1samp and ttest_ind(equal_var=True)', async () => {
    const post = sample.filter((f) => f.includes('ses-post'));
    const one = siglensJson<GroupDocument>(
      'group',
      ...post.slice(0, 6),
      '--design',
      'one-sample',
      '--permutations',
      'all',
      '--out',
      join(OUT, 'one'),
      '--engine',
      'cpu',
    );
    expect(one.permutations).toEqual({ count: 64, exhaustive: true, seed: 0 });
    await expectMapsEqual(one, mapsReference(join(OUT, 'one.json'), { design: 'one-sample', maps: post.slice(0, 6) }));
    const tsv = join(SUBJECTS, 'participants.tsv');
    const two = siglensJson<GroupDocument>(
      'group',
      ...post,
      '--design',
      'two-sample',
      '--participants',
      tsv,
      '--groups',
      'training,waitlist',
      '--permutations',
      '30',
      '--out',
      join(OUT, 'two'),
      '--engine',
      'cpu',
    );
    expect(two.contrast).toBe('training - waitlist');
    // Group 1 is training (A), as participants.tsv says of each subject.
    const training = new Set(
      readFileSync(tsv, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t'))
        .filter((c) => c[1] === 'training')
        .map((c) => c[0]!),
    );
    const groups = post.map((f) => (training.has(/sub-\d+/.exec(f)![0]) ? 1 : 0));
    await expectMapsEqual(two, mapsReference(join(OUT, 'two.json'), { design: 'two-sample', maps: post, groups }));
  }, 180_000);

  it('bad input: unreadable and unpaired files are excluded, other grids and too few maps are clear errors, NaN leaves the mask, a count over memory is refused with its need', async () => {
    const dims: Dims = [16, 15, 12];
    const { dir, files } = writePairedStudy(dims, 4, 9, 0);
    try {
      const broken = join(dir, 'sub-05_ses-pre_zstat.nii');
      writeFileSync(broken, 'not a nifti file');
      writeMap(join(dir, 'sub-05_ses-post_zstat.nii'), dims, new Float32Array(dims[0] * dims[1] * dims[2]).fill(1));
      const lone = writeMap(
        join(dir, 'sub-06_ses-post_zstat.nii'),
        dims,
        new Float32Array(dims[0] * dims[1] * dims[2]).fill(1),
      );
      // NaN in one subject's map: those voxels leave the mask.
      const nanned = (await readNiftiFile(files[0]!)).frame(0).slice();
      for (let i = 0; i < 40; i++) nanned[1000 + i] = NaN;
      writeMap(files[0]!, dims, nanned);
      const doc = siglensJson<GroupDocument>(
        'group',
        ...files,
        broken,
        join(dir, 'sub-05_ses-post_zstat.nii'),
        lone,
        '--design',
        'paired',
        '--permutations',
        'all',
        '--out',
        join(dir, 'g'),
        '--engine',
        'cpu',
      );
      expect(doc.n).toBe(4);
      expect(doc.excluded.map((e) => e.file).sort()).toEqual(['sub-05_ses-pre_zstat.nii', 'sub-06_ses-post_zstat.nii']);
      expect(doc.excluded.find((e) => e.file.startsWith('sub-06'))!.reason).toMatch(/unpaired/);
      await expectMapsEqual(
        doc,
        mapsReference(join(dir, 'spec.json'), {
          design: 'paired',
          pairs: [0, 1, 2, 3].map((k) => [files[2 * k], files[2 * k + 1]]),
        }),
      );

      const other = writeMap(
        join(dir, 'sub-07_ses-pre_zstat.nii'),
        [16, 15, 11],
        new Float32Array(16 * 15 * 11).fill(1),
      );
      writeMap(join(dir, 'sub-07_ses-post_zstat.nii'), [16, 15, 11], new Float32Array(16 * 15 * 11).fill(2));
      const grid = siglens(
        'group',
        ...files,
        other,
        join(dir, 'sub-07_ses-post_zstat.nii'),
        '--design',
        'paired',
        '--engine',
        'cpu',
      );
      expect(grid.code).not.toBe(0);
      expect(grid.stderr).toMatch(/sub-07_ses-pre_zstat\.nii is not on the grid of sub-01_ses-pre_zstat\.nii/);
      const few = siglens('group', files[0]!, files[1]!, broken, '--design', 'paired', '--engine', 'cpu');
      expect(few.code).not.toBe(0);
      expect(few.stderr).toMatch(/fewer than two usable pairs \(1\)/);
      // 28 maps have 2^28 sign flips: 100 billion asked for is all of them, more than memory holds.
      const many = writePairedStudy([8, 8, 6], 14, 5, 0);
      const memory = siglens(
        'group',
        ...many.files,
        '--design',
        'one-sample',
        '--permutations',
        '100000000000',
        '--engine',
        'cpu',
      );
      rmSync(many.dir, { recursive: true });
      expect(memory.code).toBe(2);
      expect(memory.stderr).toMatch(/268435456 permutations would need [\d.]+ GiB .*at most \d+ fit/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  }, 180_000);

  it("shards merge: nulls pooled with the data's own once, FWE p from the pool, corrp maps rewritten", async () => {
    const dims: Dims = [18, 16, 12];
    const { dir, files } = writePairedStudy(dims, 12, 21, 1.6);
    try {
      const shard = (seed: number, out: string): string => {
        const doc = siglensJson<GroupDocument>(
          'group',
          ...files,
          '--design',
          'paired',
          '--permutations',
          '25',
          '--seed',
          String(seed),
          '--tfce',
          '--out',
          join(dir, out),
          '--engine',
          'cpu',
        );
        const path = join(dir, `${out}.json`);
        writeFileSync(path, JSON.stringify(doc));
        return path;
      };
      const [a, b] = [shard(1, 'a'), shard(2, 'b')];
      const A = JSON.parse(readFileSync(a, 'utf8')) as GroupDocument;
      const B = JSON.parse(readFileSync(b, 'utf8')) as GroupDocument;
      const merged = siglensJson<GroupDocument>('group', '--merge-nulls', a, b, '--out', join(dir, 'm'));
      expect(merged.permutations.count).toBe(49);
      expect(merged.nulls.maxT).toEqual([...A.nulls.maxT, ...B.nulls.maxT.slice(1)]);
      const pool = merged.nulls.maxClusterExtent;
      expect(merged.clusters.length).toBeGreaterThan(0);
      for (const c of merged.clusters) expect(c.pFwe).toBe(pool.filter((v) => v >= c.voxels).length / pool.length);
      const corrp = (await readNiftiFile(merged.files.clustere_corrp!)).frame(0);
      const [x, y, z] = merged.clusters[0]!.peak.voxel;
      expect(corrp[x + dims[0] * (y + dims[1] * z)]).toBeCloseTo(1 - merged.clusters[0]!.pFwe, 6);
      expect(merged.files.tfce_corrp).toMatch(/m_tfce_corrp\.nii\.gz$/);
      const same = siglens('group', '--merge-nulls', a, a);
      expect(same.stderr).toMatch(/two shards ran seed 1/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  }, 180_000);
});
