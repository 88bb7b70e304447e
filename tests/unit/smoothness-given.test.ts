import { describe, expect, it } from 'vitest';
import { givenSmoothness, parseFwhm, parseResels } from '../../src/analysis/cluster-grf';
import {
  DEFAULT_SETTINGS,
  clusterOptions,
  drawableWithoutGrf,
  thresholdProblem,
} from '../../src/analysis/threshold-settings';
import { formatUrlState, parseUrlState } from '../../src/app/page/url-state';
import { siglensJson } from '../helpers/cli';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';

interface Doc {
  dlh: number;
  volume: number;
  smoothness: { fwhmMm: number[]; resels: number };
  clusters: { p: number }[];
}

describe("SPM's FWHM or resels instead of the estimate", () => {
  it('FWHM in mm over the voxel size, and resels over V, give DLH = (4 ln 2)^1.5 / resel size', () => {
    const fwhm = givenSmoothness({ pixdim: [2, 2, 2.4] }, { kind: 'fwhm', mm: [8, 8, 9.6] }, 1000);
    expect(fwhm.fwhmVoxels).toEqual([4, 4, 4]);
    expect(fwhm.reselSize).toBe(64);
    expect(fwhm.dlh).toBeCloseTo((4 * Math.LN2) ** 1.5 / 64, 15);
    const resels = givenSmoothness({ pixdim: [2, 2, 2] }, { kind: 'resels', resels: 1000 / 64 }, 1000);
    expect(resels.dlh).toBeCloseTo(fwhm.dlh, 15);
    expect(resels.fwhmMm[0]).toBeCloseTo(8, 12);
  });

  it('a wrong value is refused with its reason, and the page keeps it in the link', () => {
    expect(parseFwhm('8')).toEqual([8, 8, 8]);
    expect(parseFwhm('8, 9 10')).toEqual([8, 9, 10]);
    expect(parseFwhm('8,8')).toMatch(/one number .* or three/);
    expect(parseFwhm('8,-1,8')).toMatch(/above 0/);
    expect(parseResels('0')).toMatch(/above 0/);
    expect(parseResels('')).toMatch(/above 0/);
    const bad = { ...DEFAULT_SETTINGS, smoothness: 'fwhm' as const, smoothnessText: '8,8' };
    expect(thresholdProblem(bad, { kind: 'z', source: 'intent' })).toMatch(/FWHM is one number/);
    const good = { ...DEFAULT_SETTINGS, smoothness: 'resels' as const, smoothnessText: '704' };
    expect(thresholdProblem(good, { kind: 'z', source: 'intent' })).toBeNull();
    expect(clusterOptions(good, { kind: 'z', source: 'intent' }).smoothness).toEqual({ kind: 'resels', resels: 704 });
    for (const settings of [bad, good]) {
      const url = formatUrlState({ ...parseUrlState(''), settings });
      const back = parseUrlState(url.slice(url.indexOf('?')));
      expect([back.settings.smoothness, back.settings.smoothnessText]).toEqual([
        settings.smoothness,
        settings.smoothnessText,
      ]);
    }
  });
  it('a refused value leaves the map drawable at its height, with no GRF p and no GRF extent (issue 21 item 4)', () => {
    const z = { kind: 'z', source: 'intent' } as const;
    const bad = { ...DEFAULT_SETTINGS, smoothness: 'fwhm' as const, smoothnessText: '8,8' };
    const drawn = drawableWithoutGrf(bad, z);
    expect(drawn).not.toBeNull();
    expect(drawn!.value).toBe(bad.value);
    expect(clusterOptions(drawn!, z).smoothness).toEqual({ kind: 'none' });
    const grf = drawableWithoutGrf({ ...bad, extent: 'grf' }, z);
    expect(grf?.extent).toBe('none');
    expect(drawableWithoutGrf({ ...bad, extent: 'voxels', extentValue: 10 }, z)?.extent).toBe('voxels');
    // Something else wrong too, or nothing wrong with the smoothness: not this case.
    expect(drawableWithoutGrf({ ...bad, value: -1 }, z)).toBeNull();
    expect(drawableWithoutGrf(DEFAULT_SETTINGS, z)).toBeNull();
  });
});

describe.skipIf(!HAS_SHARED)(
  `--fwhm and --resels give the estimate's p when given the estimate's numbers (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    it('spmMotor (t 262, z-equivalent) at 3.1', () => {
      const est = siglensJson<Doc>('clusters', real('spmMotor.nii.gz'), '--threshold', '3.1', '--estimate-smoothness');
      const fwhm = siglensJson<Doc>(
        'clusters',
        real('spmMotor.nii.gz'),
        '--threshold',
        '3.1',
        '--fwhm',
        est.smoothness.fwhmMm.join(','),
      );
      const resels = siglensJson<Doc>(
        'clusters',
        real('spmMotor.nii.gz'),
        '--threshold',
        '3.1',
        '--resels',
        String(est.smoothness.resels),
      );
      for (const d of [fwhm, resels]) {
        expect(d.volume).toBe(est.volume);
        expect(Math.abs(d.dlh - est.dlh) / est.dlh).toBeLessThan(1e-12);
        expect(Math.abs(d.clusters[0]!.p - est.clusters[0]!.p) / est.clusters[0]!.p).toBeLessThan(1e-9);
      }
    });
  },
);
