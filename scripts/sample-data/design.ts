import type { Blob } from './field';

/**
 * The synthetic effects, modelled on Berry et al. 2021 (Pain Medicine): group z-maps before and
 * after training. Heights are z at the blob centres before noise. Coordinates are MNI mm.
 */
const RIGHT_TPJ = [56, -44, 30] as const;
const RIGHT_DLPFC = [46, 8, 36] as const;
const RIGHT_VPCC = [2, -48, 16] as const;
const RIGHT_ANTERIOR_INSULA = [38, 16, 0] as const;
const RIGHT_PUTAMEN = [24, 4, 4] as const;
const LEFT_SENSORIMOTOR = [-38, -24, 56] as const;
const RIGHT_SENSORIMOTOR = [38, -24, 56] as const;
const OCCIPITAL = [0, -86, 6] as const;

const W = 9; // blob sigma, mm: wide enough to survive cluster correction, as the paper's clusters did

/** Pain (P40 - P0): right TPJ weaker after training; insula and putamen up; sensorimotor and occipital deactivations. */
export const PAIN_PRE: Blob[] = [
  { at: RIGHT_TPJ, height: 6.6, sigmaMm: W },
  // Strong enough to survive correction before training too: the demo's thresholded step shows more than one cluster.
  { at: RIGHT_ANTERIOR_INSULA, height: 3.9, sigmaMm: W },
  { at: RIGHT_PUTAMEN, height: 2.4, sigmaMm: 6 },
  { at: LEFT_SENSORIMOTOR, height: -3.0, sigmaMm: W },
  { at: RIGHT_SENSORIMOTOR, height: -3.0, sigmaMm: W },
  { at: OCCIPITAL, height: -3.0, sigmaMm: 10 },
];
export const PAIN_POST: Blob[] = [
  { at: RIGHT_TPJ, height: 2.6, sigmaMm: W },
  { at: RIGHT_ANTERIOR_INSULA, height: 5.8, sigmaMm: W },
  { at: RIGHT_PUTAMEN, height: 4.0, sigmaMm: 6 },
  { at: LEFT_SENSORIMOTOR, height: -4.6, sigmaMm: W },
  { at: RIGHT_SENSORIMOTOR, height: -4.6, sigmaMm: W },
  { at: OCCIPITAL, height: -4.4, sigmaMm: 10 },
];

/** Pain anticipation: right dlPFC and right vPCC stronger after training (both already clusters before). */
export const ANTICIPATION_PRE: Blob[] = [
  { at: RIGHT_DLPFC, height: 5.2, sigmaMm: W },
  { at: RIGHT_VPCC, height: 5.0, sigmaMm: W },
];
export const ANTICIPATION_POST: Blob[] = [
  { at: RIGHT_DLPFC, height: 7.6, sigmaMm: W },
  { at: RIGHT_VPCC, height: 7.2, sigmaMm: W },
];

/** The demo signature: positive weight over the right TPJ and the occipital pole, so its response falls after training. */
export const DEMO_SIGNATURE: Blob[] = [
  { at: RIGHT_TPJ, height: 0.02, sigmaMm: 9 },
  { at: OCCIPITAL, height: -0.006, sigmaMm: 10 },
];

/** SD of the smooth noise on the group maps and on single subjects' maps, and its smoothness (voxels). */
export const GROUP_NOISE_SD = 0.6;
export const SUBJECT_NOISE_SD = 1.0;
export const NOISE_SIGMA_VOXELS = 2;
export const SUBJECTS = 14;

/**
 * Three arms, as Wielgosz et al. 2022 (MBSR, an active control, a waitlist), in subject order: the
 * first five MBSR, the next four the active control, the last five the waitlist. participants.tsv's
 * `group` column pools the two trained arms as `training` against `waitlist`.
 */
export const ARMS: readonly (readonly [arm: 'mbsr' | 'active' | 'waitlist', subjects: number])[] = [
  ['mbsr', 5],
  ['active', 4],
  ['waitlist', 5],
];
/** The active control's post maps move this share of the way from PAIN_PRE to PAIN_POST (MBSR all of it, the waitlist none). */
export const ACTIVE_SHARE = 0.4;

/** The pain maps' blobs a share of the way from `pre` to `post` (same centres and widths, heights mixed). */
export function towards(pre: readonly Blob[], post: readonly Blob[], share: number): Blob[] {
  // The ends exactly: MBSR's maps are PAIN_POST's, the waitlist's PAIN_PRE's, to the bit.
  if (share === 0 || share === 1) return [...(share === 0 ? pre : post)];
  return pre.map((b, k) => ({ ...b, height: b.height + share * (post[k]!.height - b.height) }));
}

/**
 * The clinical score (participants.tsv's pain_pre and pain_post, a 0-100 rating): its change drives
 * one region's change. The dorsal anterior cingulate responds to pain at DACC_HEIGHT before; after,
 * at DACC_HEIGHT + DACC_PER_POINT x (pain_post - pain_pre), not scaled by the subject's gain.
 */
export const DACC = [2, 20, 36] as const;
export const DACC_SIGMA_MM = 7;
export const DACC_HEIGHT = 3;
export const DACC_PER_POINT = 0.25;
/** Mean change of the pain rating by arm (points), and the spread of each subject's own change around it. */
export const PAIN_CHANGE: Readonly<Record<'mbsr' | 'active' | 'waitlist', number>> = {
  mbsr: -14,
  active: -6,
  waitlist: 0,
};
export const PAIN_CHANGE_SPREAD = 12;
