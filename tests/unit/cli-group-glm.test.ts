import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNiftiFile } from '../../src/cli/files';
import type { GroupDocument } from '../../src/cli/group-doc';
import type { GlmDocument } from '../../src/cli/group-glm-doc';
import { siglensJson } from '../helpers/cli';
import { writePairedStudy } from '../helpers/group-study';

/** `siglens group` with a model: randomise's outputs, the document, shards merged; the named designs' documents gain `contrasts`. */
const N = 12;
const study = writePairedStudy([14, 14, 10], N, 11, 2);
afterAll(() => rmSync(study.dir, { recursive: true }));
const TSV = join(study.dir, 'participants.tsv');
writeFileSync(
  TSV,
  [
    'participant_id\tarm\tage\tpain_pre\tpain_post',
    ...Array.from(
      { length: N },
      (_, i) =>
        `sub-${String(i + 1).padStart(2, '0')}\t${['mbsr', 'active', 'waitlist'][i % 3]}\t${30 + ((i * 11) % 17)}\t${5 + (i % 4)}\t${i === 4 ? 'n/a' : 3 + ((i * 3) % 5)}`,
    ),
  ].join('\n'),
);
const arms = [
  '--design',
  'paired',
  '--participants',
  TSV,
  '--group-column',
  'arm',
  '--groups',
  'mbsr,active,waitlist',
  '--covariate',
  'age',
  '--engine',
  'cpu',
];

describe('siglens group with a model', () => {
  it("writes randomise's outputs per contrast and F-test, and the model as FSL files", async () => {
    const prefix = join(study.dir, 'out');
    const doc = siglensJson<GlmDocument>(
      'group',
      ...study.files,
      ...arms,
      '--permutations',
      '20',
      '--tfce',
      '--uncorrp',
      '--out',
      prefix,
    );
    expect(doc.n).toBe(N);
    expect(doc.rank).toBe(4);
    expect(doc.subjects[0]).toBe('sub-01');
    expect(doc.permutations).toMatchObject({ count: 20, seed: 0, method: 'freedman-lane', blocks: null });
    for (const suffix of ['tstat1', 'tstat6', 'fstat1']) {
      for (const kind of ['', 'vox_corrp_', 'clustere_corrp_', 'clusterm_corrp_', 'tfce_', 'tfce_corrp_', 'vox_p_'])
        expect(existsSync(`${prefix}_${kind}${suffix}.nii.gz`), `${kind}${suffix}`).toBe(true);
    }
    for (const ext of ['mat', 'con', 'fts']) expect(existsSync(`${prefix}_design.${ext}`)).toBe(true);
    expect(readFileSync(`${prefix}_design.con`, 'utf8')).toMatch(/^\/ContrastName1\tmbsr - active$/m);
    const f = doc.fTests[0]!;
    expect(f).toMatchObject({ index: 1, kind: 'F', contrasts: [1, 3], df1: 2, df2: N - 4 });
    const fmap = await readNiftiFile(f.files!.stat);
    expect(fmap.volume(0).intent.code).toBe(4);
    // The F map's largest value is the unpermuted null maximum, and 1 - p maps hold values in [0, 1].
    expect(Math.max(...fmap.frame(0))).toBeCloseTo(f.nulls.maxStat[0]!, 4);
    const voxp = (await readNiftiFile(f.files!.vox_p!)).frame(0);
    expect(Math.max(...voxp)).toBeLessThanOrEqual(1 - 1 / 20 + 1e-6);
    expect(Math.min(...voxp)).toBeGreaterThanOrEqual(0);
    // The effect of the paired blob is a mean change, not an arm difference; the t of A - B is minus that of B - A.
    const t1 = (await readNiftiFile(doc.contrasts[0]!.files!.stat)).frame(0);
    const t2 = (await readNiftiFile(doc.contrasts[1]!.files!.stat)).frame(0);
    let worst = 0;
    for (let i = 0; i < t1.length; i++) worst = Math.max(worst, Math.abs(t1[i]! + t2[i]!));
    expect(worst).toBeLessThan(1e-4);
  }, 120_000);

  it('relates the change to the clinical change (COL_post - COL_pre) adjusted for age; a subject without a value is excluded', () => {
    const doc = siglensJson<GlmDocument>(
      'group',
      ...study.files,
      '--design',
      'paired',
      '--participants',
      TSV,
      '--effect',
      'pain',
      '--covariate',
      'age',
      '--permutations',
      '10',
      '--engine',
      'cpu',
    );
    expect(doc.model.columns).toEqual(['change', 'pain', 'age']);
    expect(doc.contrasts.map((c) => c.name)).toEqual(['+pain', '-pain']);
    expect(doc.contrasts.every((c) => c.permutation === 'permutation')).toBe(true);
    expect(doc.n).toBe(N - 1);
    expect(doc.excluded).toEqual([{ file: 'sub-05_ses-pre_zstat.nii', reason: 'sub-05 has no value for pain' }]);
  }, 60_000);

  it("--merge-nulls pools the shards of a model: each test's nulls once with the data's own, FWE p from the pool, maps rewritten", () => {
    const shards = [1, 2].map((seed) => {
      const doc = siglensJson<GlmDocument>(
        'group',
        ...study.files,
        ...arms,
        '--permutations',
        '15',
        '--seed',
        String(seed),
        '--out',
        join(study.dir, `shard${seed}`),
      );
      const path = join(study.dir, `shard${seed}.json`);
      writeFileSync(path, JSON.stringify(doc));
      return { doc, path };
    });
    const merged = siglensJson<GlmDocument & { permutations: { shards: unknown[] } }>(
      'group',
      '--merge-nulls',
      shards[0]!.path,
      shards[1]!.path,
      '--out',
      join(study.dir, 'merged'),
    );
    expect(merged.permutations.shards.length).toBe(2);
    const f = merged.fTests[0]!;
    expect(f.count).toBe(29);
    expect(f.nulls.maxStat).toEqual([
      ...shards[0]!.doc.fTests[0]!.nulls.maxStat,
      ...shards[1]!.doc.fTests[0]!.nulls.maxStat.slice(1),
    ]);
    const top = f.clusters[0];
    if (top) expect(top.pFwe).toBeCloseTo(f.nulls.maxClusterExtent.filter((x) => x >= top.voxels).length / 29, 12);
    expect(existsSync(join(study.dir, 'merged_clustere_corrp_fstat1.nii.gz'))).toBe(true);
  }, 120_000);

  it("the named designs are the model's special case: the one-sample mean and the two-group difference give the same t maps", async () => {
    const post = study.files.filter((f) => f.includes('ses-post'));
    const named = siglensJson<GroupDocument>(
      'group',
      ...post,
      '--design',
      'two-sample',
      '--participants',
      TSV,
      '--group-column',
      'arm',
      '--groups',
      'mbsr,active',
      '--permutations',
      '5',
      '--engine',
      'cpu',
      '--out',
      join(study.dir, 'named2'),
    );
    const model = siglensJson<GlmDocument>(
      'group',
      ...post,
      '--design',
      'two-sample',
      '--participants',
      TSV,
      '--group-column',
      'arm',
      '--groups',
      'mbsr,active',
      '--permute',
      '--permutations',
      '5',
      '--engine',
      'cpu',
      '--out',
      join(study.dir, 'model2'),
    );
    const one = siglensJson<GroupDocument>(
      'group',
      ...post,
      '--design',
      'one-sample',
      '--permutations',
      '5',
      '--engine',
      'cpu',
      '--out',
      join(study.dir, 'named1'),
    );
    const mean = siglensJson<GlmDocument>(
      'group',
      ...post,
      '--design',
      'one-sample',
      '--sign-flips',
      '--permutations',
      '5',
      '--engine',
      'cpu',
      '--out',
      join(study.dir, 'model1'),
    );
    expect(model.contrasts[0]!.name).toBe('mbsr - active');
    for (const [a, b] of [
      [named.files.tstat!, model.contrasts[0]!.files!.stat],
      [one.files.tstat!, mean.contrasts[0]!.files!.stat],
    ] as const) {
      const x = (await readNiftiFile(a)).frame(0);
      const y = (await readNiftiFile(b)).frame(0);
      let worst = 0;
      for (let i = 0; i < x.length; i++)
        worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / Math.max(1, Math.abs(x[i]!)));
      expect(worst, `${a} vs ${b}`).toBeLessThan(1e-5);
    }
  }, 120_000);

  it("the named designs keep today's document and gain contrasts (their one contrast, the same numbers)", () => {
    const doc = siglensJson<
      GroupDocument & {
        contrasts: {
          name: string;
          kind: string;
          weights: number[];
          permutation: string;
          nulls: { maxStat: number[] };
          threshold: { stat: number };
        }[];
      }
    >('group', ...study.files, '--design', 'paired', '--permutations', '30', '--seed', '4', '--engine', 'cpu');
    expect(doc.nulls.maxT.length).toBe(30);
    expect(doc.contrasts.length).toBe(1);
    expect(doc.contrasts[0]).toMatchObject({
      name: doc.contrast,
      kind: 't',
      weights: [1],
      permutation: 'sign-flip',
      threshold: { stat: doc.threshold.t },
    });
    expect(doc.contrasts[0]!.nulls.maxStat).toEqual(doc.nulls.maxT);
  }, 60_000);
});
