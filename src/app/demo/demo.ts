import { BERRY_2021_SPHERES, type Sphere } from '../../analysis/roi';
import { colourWords, NEGATIVE_COLORMAP, POSITIVE_COLORMAP } from '../../view/colormaps';
import type { ModelChoices } from '../group/group-model';
import { DEFAULT_SETTINGS, type ThresholdSettings } from '../../analysis/threshold-settings';

/** The generated sample data (scripts/sample-data/), relative to the page: `npm start` serves it, `npm run build` copies it in. */
export const SAMPLE_BASE = 'sample-data';
export const SAMPLE = {
  standIn: `${SAMPLE_BASE}/template_standin_SYNTHETIC.nii.gz`,
  /** Written by `npm run fetch-template` when a real template can be downloaded; not committed. */
  realTemplate: `${SAMPLE_BASE}/template/MNI152_T1_2mm.nii.gz`,
  painPre: `${SAMPLE_BASE}/group_pain_pre_zstat.nii.gz`,
  painPost: `${SAMPLE_BASE}/group_pain_post_zstat.nii.gz`,
  anticipationPre: `${SAMPLE_BASE}/group_anticipation_pre_zstat.nii.gz`,
  anticipationPost: `${SAMPLE_BASE}/group_anticipation_post_zstat.nii.gz`,
  signature: `${SAMPLE_BASE}/demo_signature_SYNTHETIC.nii.gz`,
} as const;

export type SampleKey = Exclude<keyof typeof SAMPLE, 'standIn' | 'realTemplate'>;

const [TPJ, DLPFC, VPCC] = BERRY_2021_SPHERES as [Sphere, Sphere, Sphere];

/** What one step of the demo shows. Maps are named by their sample key. */
export interface DemoStep {
  readonly title: string;
  readonly caption: string;
  readonly show: SampleKey;
  readonly compare: { pre: SampleKey; post: SampleKey; difference: boolean } | null;
  readonly settings: ThresholdSettings;
  readonly spheres: Sphere[];
  readonly signature: boolean;
  /** Where the crosshair goes: a point, or the largest cluster's peak. */
  readonly crosshair: readonly [number, number, number] | 'peak' | null;
  /** Whether the step's facts say how many clusters survive. */
  readonly countClusters?: boolean;
  /** A group analysis of the sample subjects this step runs (the Group panel shows it), if any: their paired test, or a model of their changes. */
  readonly group?: {
    readonly permutations: number;
    readonly seed: number;
    readonly twoSided?: boolean;
    readonly model?: ModelChoices;
  };
  /**
   * The panels the caption speaks of, brought into view when the step shows (and the drawer opened
   * where the panels are one): the group step's panel while it runs, then its cluster table.
   */
  readonly focus?: readonly DemoFocus[];
}

export type DemoFocus = 'clusters' | 'rois' | 'signature' | 'group';

/** The 14 synthetic subjects' pre and post maps and their participants.tsv (scripts/sample-data/). */
export const SAMPLE_SUBJECT_FILES: readonly string[] = [
  ...Array.from({ length: 14 }, (_, k) => `sub-${String(k + 1).padStart(2, '0')}`).flatMap((s) =>
    ['pre', 'post'].map((ses) => `${SAMPLE_BASE}/subjects/${s}_ses-${ses}_task-pain_zstat.nii.gz`),
  ),
  `${SAMPLE_BASE}/subjects/participants.tsv`,
];
/** The demo's permutation count: p down to 0.001 in about half a minute on a laptop's CPU. */
export const DEMO_GROUP_PERMUTATIONS = 1000;
/** The three-arm model's, per test (six contrasts and the F-test, seven nulls): p down to 0.005 at a similar wait. */
export const DEMO_MODEL_PERMUTATIONS = 200;
/** Wielgosz et al. 2022's design on the sample subjects: the change by arm, adjusted for age. */
export const DEMO_THREE_ARMS: ModelChoices = {
  covariates: ['age'],
  effect: null,
  groupColumn: 'arm',
  groups: ['mbsr', 'active', 'waitlist'],
};

/** The colours the panes draw, in words (from the colour maps themselves). */
const WARM = colourWords(POSITIVE_COLORMAP);
const COOL = colourWords(NEGATIVE_COLORMAP);
const [TPJ_X, TPJ_Y, TPJ_Z] = BERRY_2021_SPHERES[0]!.center;
const TPJ_R = BERRY_2021_SPHERES[0]!.radiusMm;

const CORRECTED: ThresholdSettings = {
  ...DEFAULT_SETTINGS,
  value: 2.3,
  twoSided: true,
  extent: 'grf',
  extentValue: 0.05,
};

export const DEMO_STEPS: readonly DemoStep[] = [
  {
    title: 'The pain contrast, before training',
    caption: `Each coloured voxel shows how much more the brain responded 40 seconds into a painful stimulus than at its start (a z-score), for the group before training. ${cap(WARM)} is positive, ${COOL} negative; faint colours are weak effects.`,
    show: 'painPre',
    compare: null,
    settings: { ...DEFAULT_SETTINGS, value: 1, twoSided: true, faint: true },
    spheres: [],
    signature: false,
    crosshair: null,
  },
  {
    title: 'Threshold at z 2.3, cluster-corrected',
    caption:
      'Keep only voxels with |z| of at least 2.3, then only clusters big enough to be unlikely by chance (p < 0.05 by Gaussian random field theory, as FSL does). Small specks of noise disappear; the crosshair sits on the strongest peak.',
    show: 'painPre',
    compare: null,
    settings: CORRECTED,
    spheres: [],
    signature: false,
    crosshair: 'peak',
    countClusters: true,
  },
  {
    title: 'The cluster table',
    caption:
      'Each surviving cluster is a row: its size, its p-value, its peak and centre. Clicking a row moves the crosshair to the peak; here it sits on the largest cluster, in the right temporo-parietal junction (TPJ).',
    show: 'painPre',
    compare: null,
    settings: CORRECTED,
    spheres: [],
    signature: false,
    crosshair: 'peak',
    focus: ['clusters'],
  },
  {
    title: 'A sphere in the right TPJ',
    caption: `A sphere ${2 * TPJ_R} mm across (radius ${TPJ_R} mm) at the right TPJ peak reported by Berry et al. 2021 (${TPJ_X}, ${TPJ_Y}, ${TPJ_Z}). The ROI table gives the mean z inside it.`,
    show: 'painPre',
    compare: null,
    settings: CORRECTED,
    spheres: [TPJ],
    signature: false,
    crosshair: TPJ.center,
    focus: ['rois'],
  },
  {
    title: 'Before and after training, side by side',
    caption:
      'The same contrast after training, with the same threshold and colours. The right TPJ response is weaker after: see the sphere means and their difference in the ROI table.',
    show: 'painPre',
    compare: { pre: 'painPre', post: 'painPost', difference: false },
    settings: CORRECTED,
    spheres: [TPJ],
    signature: false,
    crosshair: TPJ.center,
    focus: ['rois'],
  },
  {
    title: 'The difference map (after minus before)',
    caption: `${cap(COOL)} where the response fell, ${WARM} where it rose. At the crosshair, the right TPJ falls.`,
    show: 'painPre',
    compare: { pre: 'painPre', post: 'painPost', difference: true },
    settings: CORRECTED,
    spheres: [TPJ],
    signature: false,
    crosshair: TPJ.center,
  },
  {
    title: 'Anticipating pain: dlPFC and vPCC',
    caption:
      'While waiting for pain, the right dorsolateral prefrontal cortex and the ventral posterior cingulate already respond before training, and more after it: both sphere means rise.',
    show: 'anticipationPre',
    compare: { pre: 'anticipationPre', post: 'anticipationPost', difference: false },
    settings: CORRECTED,
    spheres: [DLPFC, VPCC],
    signature: false,
    // Both spheres on the slices shown: the sagittal slice through the vPCC, the axial and coronal through the dlPFC.
    crosshair: [VPCC.center[0], DLPFC.center[1], DLPFC.center[2]],
    focus: ['rois'],
  },
  {
    title: 'A signature response, before and after',
    caption:
      'A signature is a weight map: its response to a map is the sum of weights times values, one number per map. This synthetic demo signature (not the NPS) responds less to pain after training.',
    show: 'painPre',
    compare: { pre: 'painPre', post: 'painPost', difference: false },
    settings: CORRECTED,
    spheres: [TPJ],
    signature: true,
    crosshair: TPJ.center,
    focus: ['signature'],
  },
  {
    title: "The 14 subjects' paired test: GRF vs permutation",
    caption:
      "The maps so far were group summaries. Here each of the 14 synthetic subjects' post − pre map enters a paired t-test, two-sided (falls and rises), cluster-corrected at z 2.3 twice: by random field theory (GRF p) and by sign-flip permutations (p FWE), which hold their error rate where GRF may not (Eklund et al. 2016). The Group panel shows the progress; then the map keeps only the clusters with p FWE < 0.05, the crosshair goes to the largest one's peak, and the cluster table lists both p side by side.",
    show: 'painPre',
    compare: null,
    settings: { ...DEFAULT_SETTINGS, value: 2.3, twoSided: true },
    spheres: [],
    signature: false,
    // Set once the run's corrected map shows (the largest surviving cluster's peak).
    crosshair: null,
    group: { permutations: DEMO_GROUP_PERMUTATIONS, seed: 0, twoSided: true },
    focus: ['group', 'clusters'],
  },
  {
    title: 'Three arms: an F-test on the change, adjusted for age',
    caption: `As Wielgosz et al. 2022 compared MBSR, an active control and a waitlist: each synthetic subject's post − pre map enters one model with a column per arm and age as a covariate (the Group panel draws its design matrix). The F-test asks whether the arms differ anywhere; the pairwise contrasts then say which do. Each test has its own ${DEMO_MODEL_PERMUTATIONS} Freedman-Lane permutations and clusters at z 2.3, as FSL randomise runs them; the panel's table gives every test's FWE p.`,
    show: 'painPre',
    compare: null,
    settings: { ...DEFAULT_SETTINGS, value: 2.3 },
    spheres: [],
    signature: false,
    crosshair: null,
    group: { permutations: DEMO_MODEL_PERMUTATIONS, seed: 0, model: DEMO_THREE_ARMS },
  },
];

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
