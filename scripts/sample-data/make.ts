// Generates sample-data/: synthetic maps on the MNI152 2 mm grid. Deterministic: the same bytes every run.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeNifti1, type Volume } from '../../src/nifti';
import { addBlobs, AFFINE, DIMS, mulberry32, N, smoothNoise, type Blob } from './field';
import { standInTemplate } from './template';
import {
  ACTIVE_SHARE,
  ANTICIPATION_POST,
  ANTICIPATION_PRE,
  ARMS,
  DACC,
  DACC_HEIGHT,
  DACC_PER_POINT,
  DACC_SIGMA_MM,
  DEMO_SIGNATURE,
  GROUP_NOISE_SD,
  NOISE_SIGMA_VOXELS,
  PAIN_CHANGE,
  PAIN_CHANGE_SPREAD,
  PAIN_POST,
  PAIN_PRE,
  SUBJECT_NOISE_SD,
  SUBJECTS,
  towards,
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
save(
  'template_standin_SYNTHETIC.nii.gz',
  volume('template_standin_SYNTHETIC.nii.gz', template, 0, 'SYNTHETIC brain-shaped stand-in, NOT MNI152'),
  1,
);

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
save(
  'demo_signature_SYNTHETIC.nii.gz',
  volume('demo_signature_SYNTHETIC.nii.gz', weights, 0, 'SYNTHETIC demo signature, NOT the NPS'),
  1e-6,
);

// Each column draws from its own generator, so adding one leaves the others' values as they were.
const rnd = mulberry32(2021);
const ageRnd = mulberry32(2022);
const painRnd = mulberry32(2023);
const arms = ARMS.flatMap(([arm, n]) => Array.from({ length: n }, () => arm));
if (arms.length !== SUBJECTS) throw new Error(`ARMS hold ${arms.length} subjects, not ${SUBJECTS}`);
const participants = ['participant_id\tgroup\tarm\tage\tgain\tpain_pre\tpain_post'];
for (let s = 1; s <= SUBJECTS; s++) {
  const id = `sub-${String(s).padStart(2, '0')}`;
  const arm = arms[s - 1]!;
  const gain = 0.6 + 0.8 * rnd();
  const age = 22 + Math.floor(40 * ageRnd());
  const painPre = Number((40 + 30 * painRnd()).toFixed(1));
  const painPost = Number((painPre + PAIN_CHANGE[arm] + PAIN_CHANGE_SPREAD * (painRnd() - 0.5)).toFixed(1));
  participants.push(
    `${id}\t${arm === 'waitlist' ? 'waitlist' : 'training'}\t${arm}\t${age}\t${gain.toFixed(3)}\t${painPre.toFixed(1)}\t${painPost.toFixed(1)}`,
  );
  const post = towards(PAIN_PRE, PAIN_POST, arm === 'mbsr' ? 1 : arm === 'active' ? ACTIVE_SHARE : 0);
  for (const [ses, blobs, k, dacc] of [
    ['pre', PAIN_PRE, 0, DACC_HEIGHT],
    ['post', post, 1, DACC_HEIGHT + DACC_PER_POINT * (painPost - painPre)],
  ] as const) {
    const name = `${id}_ses-${ses}_task-pain_zstat.nii.gz`;
    const data = zmap(blobs, 1000 + 10 * s + k, SUBJECT_NOISE_SD, brain, gain);
    addBlobs(data, [{ at: DACC, height: dacc, sigmaMm: DACC_SIGMA_MM }], brain);
    save(join('subjects', name), volume(name, data, 5, `SYNTHETIC subject map (${id}, ${ses})`), SUBJECT_Z_STEP);
  }
}
writeFileSync(join(out, 'subjects', 'participants.tsv'), `${participants.join('\n')}\n`);
writeFileSync(join(out, 'README.md'), README);
console.log(`sample data written to ${out}`);
