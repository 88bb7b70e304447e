// Generates sample-data/: synthetic maps on the MNI152 2 mm grid. Deterministic: the same bytes every run.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeNifti1, type Volume } from '../../src/nifti';
import { addBlobs, AFFINE, DIMS, mulberry32, N, smoothNoise, type Blob } from './field';
import { standInTemplate } from './template';
import {
  ANTICIPATION_POST, ANTICIPATION_PRE, DEMO_SIGNATURE, GROUP_NOISE_SD, NOISE_SIGMA_VOXELS, PAIN_POST, PAIN_PRE, SUBJECT_NOISE_SD, SUBJECTS, TRAINED,
} from './design';
import { README } from './readme';

const out = resolve(process.argv[2] ?? 'sample-data');
/** z step of the int16 storage: far below any difference a reader looks at (subjects coarser, to stay small). */
const Z_STEP = 0.01;
const SUBJECT_Z_STEP = 0.02;

function volume(name: string, data: Float32Array, intentCode: number, description: string): Volume {
  return {
    name,
    dims: DIMS,
    frames: 1,
    frame: 0,
    pixdim: [2, 2, 2],
    affine: AFFINE,
    affineSource: 'sform',
    datatype: { code: 16, name: 'float32', bytes: 4 },
    intent: { code: intentCode, kind: intentCode === 5 ? 'zscore' : 'none', name: '', p1: 0, p2: 0, p3: 0 },
    description,
    data,
  };
}

function save(path: string, v: Volume, int16Slope?: number): void {
  const bytes = writeNifti1(v, int16Slope ? { int16Slope } : {});
  writeFileSync(join(out, path), gzipSync(bytes, { level: 9 }));
}

function zmap(blobs: Blob[], seed: number, sd: number, brain: Uint8Array, gain = 1): Float32Array {
  const data = smoothNoise(seed, NOISE_SIGMA_VOXELS, brain);
  for (let i = 0; i < N; i++) data[i] = data[i]! * sd;
  addBlobs(data, blobs, brain, gain);
  return data;
}

rmSync(out, { recursive: true, force: true, maxRetries: 2 });
mkdirSync(join(out, 'subjects'), { recursive: true });

const { data: template, brain } = standInTemplate();
save('template_standin_SYNTHETIC.nii.gz', volume('template_standin_SYNTHETIC.nii.gz', template, 0, 'SYNTHETIC brain-shaped stand-in, NOT MNI152'), 1);

const groups: [string, Blob[], number][] = [
  ['group_pain_pre_zstat.nii.gz', PAIN_PRE, 101],
  ['group_pain_post_zstat.nii.gz', PAIN_POST, 102],
  ['group_anticipation_pre_zstat.nii.gz', ANTICIPATION_PRE, 103],
  ['group_anticipation_post_zstat.nii.gz', ANTICIPATION_POST, 104],
];
for (const [name, blobs, seed] of groups) {
  save(name, volume(name, zmap(blobs, seed, GROUP_NOISE_SD, brain), 5, `SYNTHETIC group z-map (${name})`), Z_STEP);
}

const weights = new Float32Array(N);
addBlobs(weights, DEMO_SIGNATURE, brain);
const wNoise = smoothNoise(105, 1.5, brain);
for (let i = 0; i < N; i++) weights[i] = brain[i] ? weights[i]! + 0.0008 * wNoise[i]! : 0;
save('demo_signature_SYNTHETIC.nii.gz', volume('demo_signature_SYNTHETIC.nii.gz', weights, 0, 'SYNTHETIC demo signature, NOT the NPS'), 1e-6);

const rnd = mulberry32(2021);
const participants = ['participant_id\tgroup\tgain'];
for (let s = 1; s <= SUBJECTS; s++) {
  const id = `sub-${String(s).padStart(2, '0')}`;
  const trained = s <= TRAINED;
  const gain = 0.6 + 0.8 * rnd();
  participants.push(`${id}\t${trained ? 'training' : 'waitlist'}\t${gain.toFixed(3)}`);
  for (const [ses, blobs, k] of [['pre', PAIN_PRE, 0], ['post', trained ? PAIN_POST : PAIN_PRE, 1]] as const) {
    const name = `${id}_ses-${ses}_task-pain_zstat.nii.gz`;
    const data = zmap(blobs, 1000 + 10 * s + k, SUBJECT_NOISE_SD, brain, gain);
    save(join('subjects', name), volume(name, data, 5, `SYNTHETIC subject map (${id}, ${ses})`), SUBJECT_Z_STEP);
  }
}
writeFileSync(join(out, 'subjects', 'participants.tsv'), `${participants.join('\n')}\n`);
writeFileSync(join(out, 'README.md'), README);
console.log(`sample data written to ${out}`);
