import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { averageRanks, oneWayAnova, pearson, spearman } from '../../src/analysis/association';
import { covariateValues, parseParticipantsTable } from '../../src/analysis/bids';
import { spheresFromClusters } from '../../src/analysis/peak-spheres';
import { writeNifti1, type Volume } from '../../src/nifti';
import { siglensJson } from '../helpers/cli';
import { runPython } from '../helpers/python';
import { REPO } from '../helpers/shared';
import { mulberry32 } from '../helpers/volumes';

const DIMS: [number, number, number] = [8, 8, 8];
/** 2 mm voxels, voxel (4, 4, 4) at the origin. */
const AFFINE = [2, 0, 0, -8, 0, 2, 0, -8, 0, 0, 2, -8, 0, 0, 0, 1];
const ARMS = ['active', 'mbsr', 'waitlist'];
const SUBJECTS = 15;

function volume(name: string, data: Float32Array): Volume {
  return {
    name,
    dims: DIMS,
    frames: 1,
    frame: 0,
    pixdim: [2, 2, 2],
    affine: AFFINE,
    affineSource: 'sform',
    datatype: { code: 16, name: 'float32', bytes: 4 },
    intent: { code: 5, kind: 'zscore', name: '', p1: 0, p2: 0, p3: 0 },
    description: name,
    data,
  };
}

interface Subject {
  subject: string;
  group: string | null;
  change: number;
  pre: { value: number; rois: { name: string; center: number[]; mean: number | null }[] };
  post: { value: number; rois: { name: string; mean: number | null }[] };
}
interface Corr {
  measure: string;
  covariate: string;
  n: number;
  missing: number;
  spearman: { rho: number; p: number };
  pearson: { r: number; p: number };
}
interface Doc {
  spheres: { name: string; center: number[]; radiusMm: number }[];
  subjects: Subject[];
  correlations: Corr[];
  groups: {
    groups: string[];
    anova: { F: number; df1: number; df2: number; p: number };
    byGroup: { group: string; paired: { n: number; t: number; p: number } }[];
  };
}

/** Synthetic subjects in three arms; participants.tsv with a plain covariate (ties, n/a) and a pre/post one some lack. */
function study(): { dir: string; weights: string; maps: string[]; tsv: string } {
  const dir = mkdtempSync(join(tmpdir(), 'siglens-assoc-'));
  const rnd = mulberry32(2022);
  const n = DIMS[0] * DIMS[1] * DIMS[2];
  const weights = join(dir, 'weights.nii');
  writeFileSync(
    weights,
    writeNifti1(
      volume(
        'weights.nii',
        Float32Array.from({ length: n }, () => rnd() - 0.3),
      ),
    ),
  );
  const maps: string[] = [];
  const lines = ['participant_id\tgroup\tage\tpain_pre\tpain_post'];
  for (let s = 1; s <= SUBJECTS; s++) {
    const id = `sub-${String(s).padStart(2, '0')}`;
    const arm = ARMS[s % 3]!;
    const effect = arm === 'mbsr' ? -0.4 : arm === 'active' ? -0.1 : 0.05;
    for (const [ses, shift] of [
      ['pre', 0],
      ['post', effect],
    ] as const) {
      const f = join(dir, `${id}_ses-${ses}_task-pain_zstat.nii`);
      writeFileSync(
        f,
        writeNifti1(
          volume(
            f,
            Float32Array.from({ length: n }, () => rnd() * 2 - 1 + shift + (0.2 * s) / SUBJECTS),
          ),
        ),
      );
      maps.push(f);
    }
    const age = s === 4 ? 'n/a' : String(30 + (s % 5));
    const pre = (5 + rnd() * 3).toFixed(2);
    const post = s === 7 || s === 11 ? '' : (4 + rnd() * 3).toFixed(2);
    lines.push(`${id}\t${arm}\t${age}\t${pre}\t${post}`);
  }
  const tsv = join(dir, 'participants.tsv');
  writeFileSync(tsv, `${lines.join('\n')}\n`);
  return { dir, weights, maps, tsv };
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.abs(b) + 1e-12;

describe('study statistics: correlations, groups, spheres at peaks', () => {
  it('ranks ties by their average; the pure functions refuse what is undefined', () => {
    expect(averageRanks([3, 1, 3, 2, 3])).toEqual([4, 1, 4, 2, 4]);
    expect(pearson([1, 2], [3, 4])).toBeNull();
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(
      oneWayAnova([
        [1, 1],
        [2, 2],
        [3, 3],
      ]),
    ).toBeNull();
    expect(pearson([1, 2, 3], [2, 4, 6])).toEqual({ r: 1, p: 0 });
    const t = parseParticipantsTable('participant_id\tpromis_pre\tpromis_post\tage\nsub-1\t3\t5\t40\n2\tn/a\t4\t\n');
    expect([...covariateValues(t, 'promis', ['ses-pre', 'ses-post']).values]).toEqual([
      ['sub-1', 2],
      ['sub-2', null],
    ]);
    expect([...covariateValues(t, 'age', ['ses-pre', 'ses-post']).values]).toEqual([
      ['sub-1', 40],
      ['sub-2', null],
    ]);
    expect(() => covariateValues(t, 'weight', ['ses-pre', 'ses-post'])).toThrow(
      /no column weight, nor weight_post and weight_pre/,
    );
  });

  it("siglens batch --covariate: Spearman, Pearson, ANOVA and each arm's paired test equal scipy (1e-6), subjects lacking a value left out and counted", () => {
    const s = study();
    const doc = siglensJson<Doc>(
      'batch',
      s.weights,
      ...s.maps,
      '--pair',
      'ses-pre,ses-post',
      '--participants',
      s.tsv,
      '--covariate',
      'age',
      '--covariate',
      'pain',
      '--sphere',
      '0,0,0,3,centre',
      '--engine',
      'cpu',
    );
    const input = join(s.dir, 'input.json');
    writeFileSync(
      input,
      JSON.stringify({
        tsv: s.tsv,
        covariates: ['age', 'pain'],
        pair: ['ses-pre', 'ses-post'],
        subjects: doc.subjects,
      }),
    );
    const ref = runPython<{
      correlations: Corr[];
      anova: Doc['groups']['anova'];
      byGroup: { group: string; n: number; t: number; p: number }[];
    }>(join(REPO, 'scripts/scipy_association.py'), [input]);
    expect(doc.correlations.map((c) => [c.measure, c.covariate])).toEqual(
      ref.correlations.map((c) => [c.measure, c.covariate]),
    );
    expect(doc.correlations.map((c) => c.missing)).toEqual([1, 1, 2, 2]);
    doc.correlations.forEach((c, k) => {
      const r = ref.correlations[k]!;
      expect([c.n, c.missing]).toEqual([r.n, r.missing]);
      for (const [a, b] of [
        [c.spearman.rho, r.spearman.rho],
        [c.spearman.p, r.spearman.p],
        [c.pearson.r, r.pearson.r],
        [c.pearson.p, r.pearson.p],
      ] as const) {
        expect(close(a, b), `${c.measure} vs ${c.covariate}: ${a} vs ${b}`).toBe(true);
      }
    });
    expect(doc.groups.groups).toEqual(ARMS);
    expect([doc.groups.anova.df1, doc.groups.anova.df2]).toEqual([ref.anova.df1, ref.anova.df2]);
    expect(close(doc.groups.anova.F, ref.anova.F) && close(doc.groups.anova.p, ref.anova.p)).toBe(true);
    doc.groups.byGroup.forEach((g, k) => {
      const r = ref.byGroup[k]!;
      expect([g.group, g.paired.n]).toEqual([r.group, r.n]);
      expect(close(g.paired.t, r.t) && close(g.paired.p, r.p)).toBe(true);
    });
    expect(() => siglensJson('batch', s.weights, ...s.maps, '--participants', s.tsv, '--covariate', 'weight')).toThrow(
      /no column weight/,
    );
    expect(() => siglensJson('batch', s.weights, ...s.maps, '--covariate', 'age')).toThrow(/needs --participants/);
  }, 120_000);

  it('--spheres-from puts a sphere on each cluster peak of a clusters or group document', () => {
    const s = study();
    const peaks = siglensJson<{ clusters: { index: number; peak: { mm: number[] } }[] }>(
      'clusters',
      s.maps[0]!,
      '--threshold',
      '0.9',
      '--min-voxels',
      '2',
      '--engine',
      'cpu',
    );
    expect(peaks.clusters.length).toBeGreaterThan(1);
    const clustersDoc = join(s.dir, 'clusters.json');
    writeFileSync(clustersDoc, JSON.stringify(peaks));
    const groupDoc = join(s.dir, 'group.json');
    writeFileSync(
      groupDoc,
      JSON.stringify({
        design: 'paired',
        clusters: [
          { index: 1, peak: { t: 5.1, z: 4.2, voxel: [5, 4, 4], mm: [2, 0, 0] } },
          { index: 2, peak: { t: -4, z: -3.5, voxel: [2, 4, 4], mm: [-4, 0, 0] } },
        ],
      }),
    );
    const few = s.maps.slice(0, 6);
    const fromClusters = siglensJson<Doc>('batch', s.weights, ...few, '--spheres-from', clustersDoc, '--engine', 'cpu');
    expect(fromClusters.spheres).toEqual(
      peaks.clusters.map((c) => ({ name: `cluster ${c.index}`, center: c.peak.mm, radiusMm: 2 })),
    );
    expect(fromClusters.subjects[0]!.pre.rois.map((r) => [r.name, r.center])).toEqual(
      peaks.clusters.map((c) => [`cluster ${c.index}`, c.peak.mm]),
    );
    const fromGroup = siglensJson<Doc>(
      'batch',
      s.weights,
      ...few,
      '--spheres-from',
      groupDoc,
      '--radius',
      '4',
      '--engine',
      'cpu',
    );
    expect(fromGroup.spheres).toEqual([
      { name: 'cluster 1', center: [2, 0, 0], radiusMm: 4 },
      { name: 'cluster 2', center: [-4, 0, 0], radiusMm: 4 },
    ]);
    expect(() => spheresFromClusters({ results: [] })).toThrow(/no clusters list/);
    expect(() => spheresFromClusters({ clusters: [{ index: 1, peak: { value: 3 } }] })).toThrow(/peak.mm/);
    expect(() => siglensJson('batch', s.weights, ...few, '--radius', '3')).toThrow(/goes with --spheres-from/);
  }, 120_000);
});
