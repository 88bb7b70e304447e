import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siglens } from '../helpers/cli';
import { BERRY_2021_SPHERES } from '../../src/analysis/roi';
import { runPython } from '../helpers/python';
import { conformance, HAS_SHARED, real, REPO, SHARED_MISSING, signatures } from '../helpers/shared';

function json(...args: string[]): Record<string, unknown> {
  const r = siglens(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe.skipIf(!HAS_SHARED)(`siglens clusters, signature, roi (${HAS_SHARED ? 'present' : SHARED_MISSING})`, () => {
  it('clusters: the SPEC document, GRF p from a given DLH, the same table on both engines', () => {
    const args = [
      'clusters',
      real('spmMotor.nii.gz'),
      '--threshold',
      '3.1',
      '--two-sided',
      '--dlh',
      '0.700797',
      '--volume',
      '38344',
      '--min-voxels',
      '10',
    ];
    const cpu = json(...args, '--engine', 'cpu');
    const gpu = json(...args, '--engine', 'gpu');
    expect(cpu).toMatchObject({ threshold: 3.1, connectivity: 26, twoSided: true, dlh: 0.700797, volume: 38344 });
    const clusters = cpu.clusters as {
      index: number;
      voxels: number;
      p: number;
      sign: number;
      peak: { mm: number[] };
      subpeaks: unknown[];
    }[];
    expect(clusters[0]).toMatchObject({ index: 1, sign: 1, voxels: 3555, peak: { mm: [48, -14, 56] } });
    expect(clusters.every((c) => c.voxels >= 10 && c.p > 0 && c.p < 1 && c.subpeaks.length <= 3)).toBe(true);
    expect(clusters.some((c) => c.sign === -1)).toBe(true);
    expect(gpu.clusters).toEqual(cpu.clusters);
    expect((cpu.engine as { kind: string }).kind).toBe('cpu');
    expect((gpu.engine as { kind: string; description: string }).description).toMatch(/WebGPU/);
  });

  it('clusters: auto says which engine ran and why', () => {
    const doc = json('clusters', real('spmMotor.nii.gz'), '--threshold', '3.1');
    expect((doc.engine as { reason: string }).reason.length).toBeGreaterThan(10);
  });

  it('clusters: --cluster-p estimates the smoothness and keeps clusters with p < alpha', () => {
    const doc = json(
      'clusters',
      real('narps-4965_9U7M-hypo1_unthresh.nii.gz'),
      '--threshold',
      '2.3',
      '--cluster-p',
      '0.05',
    );
    const clusters = doc.clusters as { p: number }[];
    expect(doc.dlh).toBeGreaterThan(0);
    expect((doc.smoothness as { fwhmMm: number[] }).fwhmMm).toHaveLength(3);
    expect(clusters.length).toBeGreaterThan(0);
    expect(clusters.every((c) => c.p < 0.05)).toBe(true);
  });

  it('signature: SIIPS1 against several maps, with resampling notes', () => {
    const doc = json(
      'signature',
      signatures('nonnoc_v11_4_137subjmap_weighted_mean.nii.gz'),
      real('spmMotor.nii.gz'),
      real('narps-4735_50GV-hypo1_unthresh.nii.gz'),
      '--metric',
      'correlation',
    );
    const results = doc.results as { file: string; value: number; voxels: number; notes: string[] }[];
    expect(doc.metric).toBe('correlation');
    expect(results.map((r) => r.file)).toEqual(['spmMotor.nii.gz', 'narps-4735_50GV-hypo1_unthresh.nii.gz']);
    expect(results.every((r) => r.voxels > 100000 && Math.abs(r.value) < 1 && r.notes[0]!.includes('resampled'))).toBe(
      true,
    );
  });

  it('roi: the built-in Berry et al. 2021 spheres equal numpy; custom spheres too', () => {
    const doc = json(
      'roi',
      real('spmMotor.nii.gz'),
      real('narps-4965_9U7M-hypo1_unthresh.nii.gz'),
      '--sphere',
      '48,-14,56,6,motor peak',
    );
    const custom = doc.results as { file: string; rois: { name: string; voxels: number; mean: number }[] }[];
    expect(custom[0]!.rois[0]!.name).toBe('motor peak');
    const builtIn = json('roi', real('spmMotor.nii.gz')).results as {
      rois: { name: string; voxels: number; mean: number }[];
    }[];
    expect(builtIn[0]!.rois.map((r) => r.name)).toEqual(BERRY_2021_SPHERES.map((s) => s.name));
    const ref = runPython<{ rois: { voxels: number; mean: number }[] }>(join(REPO, 'scripts/numpy_roi.py'), [
      real('spmMotor.nii.gz'),
      ...BERRY_2021_SPHERES.map((s) => [...s.center, s.radiusMm].join(',')),
      '48,-14,56,6',
    ]);
    [...builtIn[0]!.rois, custom[0]!.rois[0]!].forEach((r, k) => {
      expect(r.voxels).toBe(ref.rois[k]!.voxels);
      expect(Math.abs(r.mean - ref.rois[k]!.mean)).toBeLessThan(1e-9 * Math.max(1, Math.abs(ref.rois[k]!.mean)));
    });
    expect(builtIn[0]!.rois.every((r) => r.voxels === 7)).toBe(true);
  });

  it('bad input: one line on stderr and a non-zero exit', () => {
    for (const args of [
      ['clusters', conformance('truncated_data.nii'), '--threshold', '2.3'],
      ['clusters', real('spmMotor.nii.gz')],
      ['clusters', real('spmMotor.nii.gz'), '--threshold', '2.3', '--connectivity', '7'],
      ['clusters', real('spmMotor.nii.gz'), '--threshold', '2.3', '--min-voxels', '5', '--min-mm3', '40'],
      ['signature', signatures('Rating_Weights_LOSO_2.nii.gz')],
      ['signature', signatures('Rating_Weights_LOSO_2.nii.gz'), conformance('bad_magic.nii')],
      ['roi', real('spmMotor.nii.gz'), '--sphere', '1,2,three,4'],
      ['clusters', real('spmMotor.nii.gz'), '--threshold', '2.3', '--engine', 'quantum'],
    ]) {
      const r = siglens(...args, '--json');
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    }
  });
});
