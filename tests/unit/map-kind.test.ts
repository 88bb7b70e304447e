import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { volumeStats } from '../../src/analysis/stats';
import { parseLabelTable, regionName } from '../../src/app/maps/label-table';
import { excessNote } from '../../src/app/page/map-actions';
import { guessKind, thresholdedKindLabel, type MapKindInfo } from '../../src/analysis/map-kind';
import {
  mapThreshold,
  settingsForShown,
  thresholdProblem,
  DEFAULT_SETTINGS,
} from '../../src/analysis/threshold-settings';
import { mapSpace } from '../../src/app/maps/space';
import { readNifti, type Volume } from '../../src/nifti';
import { HAS_SHARED, conformance, real, signatures } from '../helpers/shared';

async function load(path: string): Promise<Volume> {
  const img = await readNifti(new Uint8Array(readFileSync(path)), { name: path.split('/').pop()! });
  return img.volume(0);
}

const kindOf = (v: Volume): MapKindInfo => guessKind(v, volumeStats(v.data));

describe.skipIf(!HAS_SHARED)('what a file is, on the shared real maps', () => {
  it.each([
    ['spmMotor.nii.gz', { kind: 't', source: 'descrip', df: 262 }, 'mni'],
    ['tstat1.nii.gz', { kind: 't', source: 'intent', df: undefined }, 'native'],
    ['mean_func.nii.gz', { kind: 'anatomy', source: 'name' }, 'native'],
    ['MNI152_T1_2mm.nii.gz', { kind: 'anatomy', source: 'name' }, 'mni'],
    ['aal.nii.gz', { kind: 'label', source: 'intent' }, 'mni'],
    ['narps-4735_50GV-hypo1_unthresh.nii.gz', { kind: 'z', source: 'intent' }, 'mni'],
    ['narps-4965_9U7M-hypo1_unthresh.nii.gz', { kind: 'z', source: 'values' }, 'mni'],
    // AFNI's header extension names frame 0 a coefficient (none: an effect) and frame 1 Ttest(134).
    ['stats.nv_demo_mskd.nii.gz', { kind: 'effect', source: 'afni' }, 'mni'],
  ] as const)('%s is %o in %s space', async (file, kind, space) => {
    const v = await load(real(file));
    expect(kindOf(v)).toEqual(kind);
    expect(mapSpace(v)).toBe(space);
  });

  it.each(['nonnoc_v11_4_137subjmap_weighted_mean.nii.gz', 'Rating_Weights_LOSO_2.nii.gz'])(
    'the signature %s is signature weights (signed, but no statistic), not z',
    async (file) => {
      const v = await load(signatures(file));
      expect(kindOf(v)).toEqual({ kind: 'weights', source: 'name' });
    },
  );

  it('a gzip bomb says it is far larger than its declared data; a normal .nii.gz does not', async () => {
    const bomb = conformance('gzip_bomb.nii.gz');
    const v = await load(bomb);
    expect(excessNote(v, readFileSync(bomb).length)).toMatch(/declares only/);
    const ok = real('spmMotor.nii.gz');
    expect(excessNote(await load(ok), readFileSync(ok).length)).toBeNull();
  });
});

describe.skipIf(!HAS_SHARED)('a standard grid cropped along one axis is still MNI (issue 21 item 7)', () => {
  it("SIIPS1 (sform code 2, SPM's 2 mm box cut to z −50..84) is MNI; the same grid off the lattice, or cut on two axes, is not", async () => {
    const v = await load(signatures('nonnoc_v11_4_137subjmap_weighted_mean.nii.gz'));
    expect(v.dims).toEqual([79, 95, 68]);
    expect(mapSpace(v)).toBe('mni');
    const shifted = [...v.affine];
    shifted[11] = shifted[11]! + 1;
    expect(mapSpace({ ...v, affine: shifted })).toBe('native');
    expect(mapSpace({ ...v, dims: [60, 95, 68] })).toBe('native');
  });
});

describe('kinds from FSL, SPM and BIDS file names', () => {
  const named = (name: string, min = -1): MapKindInfo =>
    guessKind(
      {
        name,
        intent: { code: 0, kind: 'none', name: '', p1: 0, p2: 0, p3: 0 },
        datatype: { code: 16, name: 'float32', bytes: 4 },
        data: new Float32Array([min, 1, 2.5]),
      },
      volumeStats(new Float32Array([min, 1, 2.5])),
    );
  it.each([
    ['zstat1.nii.gz', 'z'],
    ['thresh_zstat2.nii.gz', 'z'],
    ['tstat3.nii.gz', 't'],
    ['spmT_0001.nii', 't'],
    ['spmF_0002.nii', 'f'],
    ['fstat1.nii.gz', 'f'],
    ['tfce_corrp_tstat1.nii.gz', 'one-minus-p'],
    ['randomise_vox_corrp_tstat1.nii.gz', 'one-minus-p'],
    ['x_tfce_tstat1.nii.gz', 'tfce'],
    ['group_tfce_tstat.nii', 'tfce'],
    ['group_tfce_corrp.nii', 'one-minus-p'],
    ['group_tstat.nii', 't'],
    ['cope1.nii.gz', 'effect'],
    ['con_0003.nii', 'effect'],
    ['pe4.nii.gz', 'effect'],
    ['beta_0001.nii', 'effect'],
    ['varcope1.nii.gz', 'other'],
    ['sub-01_task-motor_stat-t_statmap.nii.gz', 't'],
    ['sub-01_task-motor_stat-z_statmap.nii.gz', 'z'],
    ['sub-01_task-motor_stat-effect_statmap.nii.gz', 'effect'],
    ['sub-01_space-MNI_desc-aseg_dseg.nii.gz', 'label'],
    ['sub-01_T1w.nii.gz', 'anatomy'],
    ['example_func.nii.gz', 'anatomy'],
    ['mystery.nii', 'z'],
  ] as const)('%s -> %s', (name, kind) => {
    expect(named(name).kind).toBe(kind);
  });
  it('a non-negative map with no name hint is "other"', () => {
    expect(named('mystery.nii', 0).kind).toBe('other');
  });
});

describe('thresholds by kind', () => {
  const p001 = { ...DEFAULT_SETTINGS, mode: 'p' as const, value: 0.001 };
  it('p < 0.001 one-sided is t 3.122 through t(262) and z 3.090 on a z-map (scipy: 3.1216, 3.0902)', () => {
    expect(mapThreshold(p001, { kind: 't', source: 'descrip', df: 262 })).toBeCloseTo(3.121628568486971, 6);
    expect(mapThreshold(p001, { kind: 'z', source: 'intent' })).toBeCloseTo(3.090232306167813, 6);
    expect(mapThreshold(p001, { kind: 'one-minus-p', source: 'name' })).toBeCloseTo(0.999, 12);
  });
  it('refuses what cannot be used, saying why', () => {
    expect(thresholdProblem(p001, { kind: 't', source: 'intent' }, 'tstat1.nii.gz')).toMatch(
      /tstat1\.nii\.gz is a t-map that does not say its degrees of freedom/,
    );
    expect(thresholdProblem({ ...p001, value: 1.5 }, { kind: 'z', source: 'intent' })).toMatch(/between 0 and 1/);
    expect(thresholdProblem({ ...DEFAULT_SETTINGS, value: 0 }, undefined)).toMatch(/above 0/);
    expect(thresholdProblem({ ...DEFAULT_SETTINGS, value: NaN }, undefined)).toMatch(/empty/);
    expect(thresholdProblem({ ...DEFAULT_SETTINGS, extent: 'grf', extentValue: 1 }, undefined)).toMatch(
      /α must be between 0 and 1/,
    );
    expect(thresholdProblem(p001, { kind: 'effect', source: 'name' })).toMatch(/no distribution/);
    expect(thresholdProblem(DEFAULT_SETTINGS, { kind: 't', source: 'intent' })).toBeNull();
  });
});

describe('the threshold when another map is shown', () => {
  const t26 = { ...DEFAULT_SETTINGS, value: 2.6135, twoSided: true };
  it('a 1 − p map starts at 0.95 one-sided; a TFCE score at a tenth of its largest; back on a statistic, z 2.3', () => {
    expect(settingsForShown(t26, 't', 'one-minus-p', 1)).toMatchObject({ mode: 'z', value: 0.95, twoSided: false });
    expect(settingsForShown(t26, undefined, 'one-minus-p', 1)).toMatchObject({ value: 0.95 });
    expect(settingsForShown(t26, 't', 'tfce', 4321)).toMatchObject({ mode: 'z', value: 432 });
    expect(settingsForShown({ ...t26, value: 0.99 }, 'one-minus-p', 'z', 5)).toMatchObject({ mode: 'z', value: 2.3 });
  });
  it('keeps the threshold within a scale (z to t, one 1 − p map to another)', () => {
    expect(settingsForShown(t26, 'z', 't', 9)).toBe(t26);
    const corrp = { ...DEFAULT_SETTINGS, value: 0.99 };
    expect(settingsForShown(corrp, 'one-minus-p', 'one-minus-p', 1)).toBe(corrp);
  });
  it('labels a thresholded 1 − p map with the p it means', () => {
    expect(thresholdedKindLabel({ kind: 'one-minus-p', source: 'name' }, 0.95)).toBe('1 − p (p < 0.05)');
    expect(thresholdedKindLabel({ kind: 't', source: 'name', df: 12 }, 0.95)).toBe('t (df 12)');
  });
});

describe('label tables', () => {
  it('reads FSL atlas XML (value = index + 1), BIDS dseg.tsv, FreeSurfer LUT, ITK-SNAP and NiiVue JSON', () => {
    const xml = parseLabelTable(
      'HarvardOxford.xml',
      '<atlas><data><label index="0" x="1" y="2" z="3">Frontal Pole</label><label index="1">Insular &amp; Cortex</label></data></atlas>',
    );
    expect([regionName(xml, 1), regionName(xml, 2)]).toEqual(['Frontal Pole', 'Insular & Cortex']);
    const tsv = parseLabelTable(
      'x_dseg.tsv',
      'index\tname\tabbreviation\tcolor\n0\tbackground\tbg\t#000000\n17\tLeft-Hippocampus\tLH\t#dcd814\n',
    );
    expect(tsv.regions.get(17)).toEqual({ name: 'Left-Hippocampus', rgb: [220, 216, 20] });
    expect(tsv.regions.has(0)).toBe(false);
    const fs = parseLabelTable(
      'FreeSurferColorLUT.txt',
      '# comment\n0  Unknown 0 0 0 0\n17  Left-Hippocampus  220 216 20 0\n',
    );
    expect(fs.regions.get(17)).toEqual({ name: 'Left-Hippocampus', rgb: [220, 216, 20] });
    const aal = parseLabelTable('aal.nii.txt', '1 Precentral_L 2001\n2 Precentral_R 2002\n');
    expect(regionName(aal, 2)).toBe('Precentral_R');
    const itk = parseLabelTable(
      'labels.txt',
      '    0     0    0    0        0  0  0    "Clear Label"\n    1   255    0    0        1  1  1    "Label 1"\n',
    );
    expect(itk.format).toBe('itksnap');
    expect(itk.regions.get(1)).toEqual({ name: 'Label 1', rgb: [255, 0, 0] });
    const nv = parseLabelTable(
      'atlas.json',
      JSON.stringify({ R: [0, 255], G: [0, 0], B: [0, 0], I: [0, 5], labels: ['', 'five'] }),
    );
    expect(regionName(nv, 5)).toBe('five');
    expect(regionName(nv, 7)).toBe('label 7');
    expect(() => parseLabelTable('empty.tsv', 'index\tname\n')).toThrow(/no labels found/);
    // The page names the file before the reason (once): the reason itself does not.
    expect(() => parseLabelTable('notes.txt', 'a note\n')).toThrow(/^neither a NIfTI map .* nor a label table/);
  });
});
