import { DEFAULT_DIFFERENCE_THRESHOLD } from '../../analysis/constants';
import { BERRY_2021_SPHERES, type Sphere } from '../../analysis/roi';
import {
  DEFAULT_OVERLAY_ORDER,
  type ExtraOverlay,
  type LayerDisplay,
  type LayerId,
  type OverlayRole,
} from '../maps/layer-display';
import type { Mm } from '../../view/pane';
import type { EngineInfo } from '../../worker/analysis-api';
import type { AnalysisResults } from './analyzer';
import { IDLE_BATCH, type BatchState } from '../batch/batch-session';
import { IDLE_GROUP, type GroupMapsRef, type GroupState } from '../group/group-session';
import type { MapEntry } from '../maps/maps';
import type { ThresholdSettings } from '../../analysis/threshold-settings';
import { DEFAULT_COMPARE, DEFAULT_SIGNATURE, type CompareSettings, type SignatureSettings } from './settings';
import type { UrlState } from './url-state';

/**
 * Where the crosshair goes once the panes show the results (not page state: a request the panes take
 * once): a point, or the shown map's largest cluster's peak (a demo step's, a group run's, a first map's).
 */
export type PendingCrosshair = readonly [number, number, number] | 'peak' | null;

/** One file being read or read: what the load list shows. */
export interface LoadEntry {
  readonly key: number;
  readonly name: string;
  readonly state: 'loading' | 'ready' | 'error';
  readonly done: number;
  readonly total: number | undefined;
  readonly summary?: string;
  readonly error?: string;
  /** Something to know about a file that loaded (e.g. it is much larger than its data). */
  readonly warning?: string;
  /** A message rather than a failure (the same file opened again, a label table read). */
  readonly note?: boolean;
}

/** A batch the batch panel asks for. */
export interface BatchRequest {
  readonly files: File[];
  readonly pair: [string, string];
  readonly pattern: string;
  /** participants.tsv columns (or COL for COL_post - COL_pre) to correlate with each change. */
  readonly covariates?: readonly string[];
}

/**
 * Everything the page shows, in one object (the store holds it; src/ui only reads it). A new panel
 * adds its fields here, its actions to an action class in src/app, and one element to app.ts.
 */
export interface PageState {
  readonly entries: readonly LoadEntry[];
  readonly maps: readonly MapEntry[];
  readonly selectedId: number | null;
  readonly backgroundId: number | null;
  /** The label atlas that names regions in the readout and the cluster table. */
  readonly atlasId: number | null;
  readonly settings: ThresholdSettings;
  readonly compare: CompareSettings;
  readonly signature: SignatureSettings;
  readonly spheres: readonly Sphere[];
  readonly results: AnalysisResults | null;
  readonly busy: boolean;
  readonly engine: EngineInfo | null;
  readonly crosshair: Mm | null;
  readonly error: string | null;
  /** The demo step shown, or null outside the demo. */
  readonly demoStep: number | null;
  readonly batch: BatchState;
  /** Whether the publication figure's dialog is open. */
  readonly figureOpen: boolean;
  /** Whether the glass brain (maximum-intensity projections of the shown map) is drawn under the panes. */
  readonly glassBrain?: boolean;
  /** How the user set each layer up (colour map, range, opacity, visibility). */
  readonly display: Readonly<Partial<Record<LayerId, LayerDisplay>>>;
  /** The overlays' order over the background, bottom first. */
  readonly overlayOrder: readonly OverlayRole[];
  /** The difference pane's own threshold on |post − pre|. */
  readonly differenceThreshold: number;
  /** The w × x overlay's own threshold on |w × x|, or null for a share of its maximum. */
  readonly contributionThreshold: number | null;
  /** A link made with local files: the files it still needs (by name) and those opened for it. */
  readonly link: { readonly missing: readonly string[]; readonly opened: readonly string[] } | null;
  readonly group: GroupState;
  /** The last group analysis's maps in the viewer, with its clusters' permutation p. */
  readonly groupMaps: GroupMapsRef | null;
  /** The panes show a lightbox of axial slices instead of three planes. */
  readonly lightbox: boolean;
  /** Other stat maps drawn over the shown one, each at its own threshold and in its own colours. */
  readonly extraOverlays: readonly ExtraOverlay[];
  /** The model run's test whose maps are shown, with its clusters' permutation p. */
  readonly glmMaps: GroupMapsRef | null;
}

/** The fields whose change starts a new analysis. */
export const ANALYSIS_INPUTS: readonly (keyof PageState)[] = [
  'maps',
  'selectedId',
  'settings',
  'compare',
  'signature',
  'spheres',
];
/** The fields a shared link carries. */
export const URL_INPUTS: readonly (keyof PageState)[] = [...ANALYSIS_INPUTS, 'backgroundId', 'crosshair', 'glassBrain'];

export function initialPageState(url: UrlState): PageState {
  return {
    entries: [],
    maps: [],
    selectedId: null,
    backgroundId: null,
    atlasId: null,
    settings: url.settings,
    compare: DEFAULT_COMPARE,
    signature: DEFAULT_SIGNATURE,
    spheres: url.spheres ?? [...BERRY_2021_SPHERES],
    results: null,
    busy: false,
    engine: null,
    crosshair: url.crosshair,
    error: null,
    demoStep: null,
    batch: IDLE_BATCH,
    figureOpen: false,
    display: {},
    overlayOrder: DEFAULT_OVERLAY_ORDER,
    differenceThreshold: DEFAULT_DIFFERENCE_THRESHOLD,
    contributionThreshold: null,
    link: null,
    group: IDLE_GROUP,
    groupMaps: null,
    lightbox: false,
    glassBrain: !!url.glass,
    extraOverlays: [],
    glmMaps: null,
  };
}
