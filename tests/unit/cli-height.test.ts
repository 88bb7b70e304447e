import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNifti1 } from '../../src/nifti';
import { mulberry32 } from '../helpers/volumes';
import { describe, expect, it } from 'vitest';
import { heightControl, parseHeight } from '../../src/analysis/height';
import { siglensJson } from '../helpers/cli';
import { runPython } from '../helpers/python';
import { HAS_SHARED, real, REPO, SHARED_MISSING } from '../helpers/shared';

interface Case {
  file: string;
  stat: string;
  method: 'fdr' | 'bonferroni' | 'fpr';
  alpha: number;
  twoSided: boolean;
  threshold?: number | null;
  voxels?: number;
  survivors?: number;
}

interface Doc {
  threshold: number | null;
  twoSided: boolean;
  heightControl: {
    method: string;
    alpha: number;
    threshold: number | null;
    voxels: number;
    survivors: number;
    statistic: string;
  };
  clusters: { voxels: number; peak: { value: number } }[];
}

const MAPS = [
  { file: 'narps-4735_50GV-hypo1_unthresh.nii.gz', stat: 'z' },
  { file: 'narps-4965_9U7M-hypo1_unthresh.nii.gz', stat: 'z' },
  { file: 'spmMotor.nii.gz', stat: 't:262' },
];
const VARIANTS: Pick<Case, 'method' | 'alpha' | 'twoSided'>[] = [
  { method: 'fdr', alpha: 0.05, twoSided: false },
  { method: 'fdr', alpha: 0.01, twoSided: true },
  { method: 'bonferroni', alpha: 0.05, twoSided: true },
  { method: 'fpr', alpha: 0.001, twoSided: false },
];

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.abs(b);

describe('height control', () => {
  it('parses fdr:Q, bonferroni:A, fpr:P and nothing else', () => {
    expect(parseHeight('fdr:0.05')).toEqual({ method: 'fdr', alpha: 0.05 });
    expect(parseHeight('bonferroni:0.05')).toEqual({ method: 'bonferroni', alpha: 0.05 });
    for (const bad of ['fdr', 'fdr:0', 'fdr:1', 'fdr:x', 'holm:0.05', 'fpr:-1'])
      expect(parseHeight(bad)).toBeUndefined();
  });

  it('FDR takes the largest k, not the first failure; ties and an empty map', () => {
    // p of z = 3, 2.5, 2.4: 0.00135, 0.0062, 0.0082; m = 4, q = 0.04: q k / m = 0.01, 0.02, 0.03, 0.04.
    const h = heightControl([3, 2.5, 2.4, 0.1, 0, NaN], { kind: 'z', assumed: false }, 'fdr', 0.04, false);
    expect(h).toMatchObject({ voxels: 4, threshold: 2.4, survivors: 3 });
    expect(heightControl([0, NaN], { kind: 'z', assumed: true }, 'fdr', 0.05, false)).toMatchObject({
      voxels: 0,
      threshold: null,
    });
    expect(heightControl([1, 0.5, -1], { kind: 'z', assumed: true }, 'fdr', 0.05, true)).toMatchObject({
      voxels: 3,
      threshold: null,
      survivors: 0,
    });
  });
});

describe.skipIf(!HAS_SHARED)(
  `siglens clusters --height on the real maps (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    it('FDR, Bonferroni and fpr heights equal numpy Benjamini-Hochberg (z-maps; spmMotor t, 262 df), one- and two-sided, 1e-6', () => {
      const cases: Case[] = MAPS.flatMap((m) => VARIANTS.map((v) => ({ ...v, file: real(m.file), stat: m.stat })));
      const ref = runPython<Case[]>(join(REPO, 'scripts/numpy_height.py'), [JSON.stringify(cases)]);
      for (const r of ref) {
        const label = `${r.file} ${r.method}:${r.alpha}${r.twoSided ? ' two-sided' : ''}`;
        const doc = siglensJson<Doc>(
          'clusters',
          r.file,
          '--height',
          `${r.method}:${r.alpha}`,
          ...(r.twoSided ? ['--two-sided'] : []),
          '--engine',
          'cpu',
        );
        const h = doc.heightControl;
        expect(h, label).toMatchObject({ method: r.method, alpha: r.alpha, voxels: r.voxels, survivors: r.survivors });
        expect(r.threshold, label).not.toBeNull();
        expect(close(h.threshold!, r.threshold!), `${label}: ${h.threshold} vs ${r.threshold}`).toBe(true);
        expect(doc.threshold).toBe(h.threshold);
        expect(h.statistic).toBe(r.stat === 'z' ? (r.file.includes('9U7M') ? 'z (assumed)' : 'z') : 't, df 262');
        // The height is used: every cluster's peak is at or beyond it, and the table is --threshold's own.
        expect(doc.clusters.every((c) => Math.abs(c.peak.value) >= h.threshold!)).toBe(true);
      }
      const spm = ref.find((r) => r.file.includes('spmMotor') && r.method === 'fpr')!;
      const byHeight = siglensJson<Doc>('clusters', spm.file, '--height', 'fpr:0.001', '--engine', 'cpu');
      const byValue = siglensJson<Doc>(
        'clusters',
        spm.file,
        '--threshold',
        String(byHeight.threshold),
        '--engine',
        'cpu',
      );
      expect(byHeight.clusters).toEqual(byValue.clusters);
      expect(byHeight.threshold!.toFixed(3)).toBe('3.122');
      // The GPU engine labels at the same height into the same table.
      const gpu = siglensJson<Doc>('clusters', spm.file, '--height', 'fpr:0.001', '--engine', 'gpu');
      expect(gpu.heightControl).toEqual(byHeight.heightControl);
      expect(gpu.clusters).toEqual(byHeight.clusters);
    }, 240_000);

    it('no surviving voxel: threshold null and no clusters; unknown df refused until --df', () => {
      const none = siglensJson<Doc>(
        'clusters',
        real('spmMotor.nii.gz'),
        '--height',
        'bonferroni:1e-300',
        '--engine',
        'cpu',
      );
      expect(none.threshold).toBeNull();
      expect(none.clusters).toEqual([]);
      expect(none.heightControl.survivors).toBe(0);
      expect(() => siglensJson('clusters', real('tstat1.nii.gz'), '--height', 'fdr:0.05')).toThrow(
        /degrees of freedom.*--df N/,
      );
      const withDf = siglensJson<Doc>(
        'clusters',
        real('tstat1.nii.gz'),
        '--height',
        'fdr:0.05',
        '--df',
        '100',
        '--engine',
        'cpu',
      );
      expect(withDf.heightControl.statistic).toBe('t, df 100');
      expect(() =>
        siglensJson('clusters', real('spmMotor.nii.gz'), '--height', 'fdr:0.05', '--threshold', '3'),
      ).toThrow(/not both/);
      expect(() => siglensJson('clusters', real('spmMotor.nii.gz'), '--height', 'fdr:2')).toThrow(/between 0 and 1/);
    }, 120_000);
  },
);

describe('siglens clusters --height on an F-map (SPM descrip, no intent)', () => {
  it('reads F(2, 30) from descrip and thresholds through it, equal to numpy/scipy; two-sided is refused', () => {
    const rnd = mulberry32(4);
    const dims: [number, number, number] = [20, 20, 20];
    // F-like values: squares of normals plus a block of signal; zeros outside a sphere (the mask).
    const data = Float32Array.from({ length: 8000 }, (_, i) => {
      const [x, y, z] = [i % 20, Math.floor(i / 20) % 20, Math.floor(i / 400)];
      if ((x - 10) ** 2 + (y - 10) ** 2 + (z - 10) ** 2 > 81) return 0;
      const g = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
      return g * g + (x > 12 && y > 12 ? 15 + 10 * rnd() : 0);
    });
    const file = join(mkdtempSync(join(tmpdir(), 'siglens-f-')), 'spmF_0001.nii');
    writeFileSync(
      file,
      writeNifti1({
        name: 'spmF_0001.nii',
        dims,
        frames: 1,
        frame: 0,
        pixdim: [2, 2, 2],
        affine: [2, 0, 0, -20, 0, 2, 0, -20, 0, 0, 2, -20, 0, 0, 0, 1],
        affineSource: 'sform',
        datatype: { code: 16, name: 'float32', bytes: 4 },
        intent: { code: 0, kind: 'none', name: '', p1: 0, p2: 0, p3: 0 },
        description: 'SPM{F_[2.0,30.0]} - contrast 1: effects',
        data,
      }),
    );
    expect(siglensJson<{ intent: unknown }>('info', file).intent).toMatchObject({
      code: 4,
      kind: 'f',
      p1: 2,
      p2: 30,
      df: [2, 30],
      source: 'descrip',
    });
    const cases: Case[] = (['fdr', 'bonferroni', 'fpr'] as const).map((method) => ({
      file,
      stat: 'f:2,30',
      method,
      alpha: 0.01,
      twoSided: false,
    }));
    for (const r of runPython<Case[]>(join(REPO, 'scripts/numpy_height.py'), [JSON.stringify(cases)])) {
      const doc = siglensJson<Doc>('clusters', file, '--height', `${r.method}:${r.alpha}`, '--engine', 'cpu');
      expect(doc.heightControl, r.method).toMatchObject({
        voxels: r.voxels,
        survivors: r.survivors,
        statistic: 'F(2, 30)',
      });
      expect(
        close(doc.heightControl.threshold!, r.threshold!),
        `${r.method}: ${doc.heightControl.threshold} vs ${r.threshold}`,
      ).toBe(true);
      expect(doc.clusters.length).toBeGreaterThan(0);
    }
    expect(() => siglensJson('clusters', file, '--height', 'fdr:0.05', '--two-sided')).toThrow(/one tail/);
  }, 60_000);
});
