import type { SparseClusterTable } from '../analysis/sparse-labels';
import type { Sphere } from '../analysis/roi';
import { sphereMask } from '../analysis/sample';
import type { Volume } from '../nifti';
import { maxAbs, suprathresholdVolume, type Layer } from '../view/layers';
import type { AnalysisResults } from './analyzer';
import type { MapEntry } from './maps';

/** Opacity of the thresholded map, of sub-threshold voxels when shown faintly, and of ROI markers. */
const STAT_OPACITY = 1;
const FAINT_OPACITY = 0.35;
const ROI_OPACITY = 0.7;

export interface PaneScene {
  /** Stable key: the canvas for a key is reused across renders. */
  readonly key: 'single' | 'pre' | 'post' | 'difference';
  readonly title: string;
  readonly layers: Layer[];
}

export interface SceneInput {
  readonly background: MapEntry | null;
  /** The stat maps shown, each with its cluster table: one in the single view, pre and post in compare. */
  readonly shown: { entry: MapEntry; table: SparseClusterTable; role: 'single' | 'pre' | 'post' }[];
  readonly threshold: number;
  readonly faint: boolean;
  readonly twoSided: boolean;
  readonly spheres: readonly Sphere[];
  readonly difference: Volume | null;
  readonly contribution: Volume | null;
}

export type PaneHead = Pick<PaneScene, 'key' | 'title'>;

/** Which panes there are and their titles: cheap, for the page's layout (paneScenes builds the layers). */
export function paneHeads(input: Pick<SceneInput, 'shown' | 'difference'>): PaneHead[] {
  const heads: PaneHead[] = input.shown.map(({ entry, role }) => ({ key: role, title: role === 'single' ? entry.volume.name : `${role}: ${entry.volume.name}` }));
  if (input.difference) heads.push({ key: 'difference', title: 'post − pre' });
  return heads;
}

/** What each pane shows. Compared panes share one colour scale, so equal values look equal. */
export function paneScenes(input: SceneInput): PaneScene[] {
  const scaleMax = Math.max(input.threshold * 1.0001, ...input.shown.map((s) => maxAbs(s.entry.volume.data)));
  const heads = paneHeads(input);
  const scenes: PaneScene[] = input.shown.map(({ entry, table, role }, k) => {
    const v = entry.volume;
    const layers: Layer[] = [{ volume: input.background?.volume ?? v, style: { kind: 'background' }, colorbar: false }];
    if (input.faint) layers.push({ volume: v, style: { kind: 'signed', max: input.threshold, opacity: FAINT_OPACITY }, colorbar: false });
    layers.push({ volume: suprathresholdVolume(v, table.labels), style: { kind: 'stat', threshold: input.threshold, max: scaleMax, opacity: STAT_OPACITY, twoSided: input.twoSided }, colorbar: true });
    if (role === 'single' && input.contribution) {
      layers.push({ volume: input.contribution, style: { kind: 'signed', max: maxAbs(input.contribution.data), opacity: STAT_OPACITY }, colorbar: true });
    }
    if (input.spheres.length) layers.push(markers(layers[0]!.volume, input.spheres));
    return { ...heads[k]!, layers };
  });
  if (input.difference) {
    const d = input.difference;
    const layers: Layer[] = [{ volume: input.background?.volume ?? d, style: { kind: 'background' }, colorbar: false }];
    layers.push({ volume: d, style: { kind: 'signed', max: maxAbs(d.data), opacity: STAT_OPACITY }, colorbar: true });
    if (input.spheres.length) layers.push(markers(layers[0]!.volume, input.spheres));
    scenes.push({ ...heads[heads.length - 1]!, layers });
  }
  return scenes;
}

/** ROI markers on the background's grid, so the pane builds them on its header without a parse. */
function markers(on: Omit<Volume, 'data'>, spheres: readonly Sphere[]): Layer {
  // The same spheres on the same grid give the same array: panes see nothing new on a threshold change.
  const key = `${on.dims.join('x')}|${on.affine.join(',')}|${JSON.stringify(spheres)}`;
  let data = masks.get(key);
  if (!data) {
    if (masks.size >= MASKS_KEPT) masks.delete(masks.keys().next().value!);
    data = sphereMask(on, spheres);
    masks.set(key, data);
  }
  return { volume: { ...on, name: 'rois', data }, style: { kind: 'mask', opacity: ROI_OPACITY }, colorbar: false };
}

/** Recent ROI masks by grid and spheres (a few: one per grid shown at once). */
const masks = new Map<string, Uint8Array>();
const MASKS_KEPT = 4;

/** What the page shows, from its state: the scenes are built once per distinct input. */
export interface ViewState {
  readonly results: AnalysisResults | null;
  readonly maps: readonly MapEntry[];
  readonly selectedId: number | null;
  readonly backgroundId: number | null;
  readonly settings: { readonly faint: boolean; readonly twoSided: boolean };
  readonly spheres: readonly Sphere[];
}

/**
 * The panes' scenes, built once per result (each holds volume-sized arrays; a batch or a crosshair
 * move re-renders the page many times a second). Before a map's first results, the selected map is
 * shown alone over the background: NiiVue draws it while its clusters are computed, and the overlays
 * then go on top without redrawing the background.
 */
export class SceneBuilder {
  private memo: { source: AnalysisResults | number | null; background: number | null; scenes: PaneScene[] } = { source: null, background: null, scenes: [] };

  /** Which panes there are, with titles (for the layout; no arrays built). */
  heads(s: ViewState): PaneHead[] {
    const early = earlyMap(s);
    if (early) return [{ key: 'single', title: early.volume.name }];
    return s.results ? paneHeads(s.results) : [];
  }

  /** The scenes, and whether they changed since the last call. */
  scenes(s: ViewState): { scenes: PaneScene[]; changed: boolean } {
    const early = earlyMap(s);
    const source = early ? early.id : s.results;
    const memo = this.memo;
    if (memo.source === source && memo.background === s.backgroundId) return { scenes: memo.scenes, changed: false };
    const background = s.maps.find((m) => m.id === s.backgroundId) ?? null;
    const scenes: PaneScene[] = early
      ? [{ key: 'single', title: early.volume.name, layers: [{ volume: (background ?? early).volume, style: { kind: 'background' }, colorbar: false }] }]
      : s.results
        ? paneScenes({ background, shown: s.results.shown, threshold: s.results.threshold, faint: s.settings.faint, twoSided: s.settings.twoSided, spheres: s.spheres, difference: s.results.difference, contribution: s.results.contribution })
        : [];
    this.memo = { source, background: s.backgroundId, scenes };
    return { scenes, changed: true };
  }
}

/** The selected stat map, while no results show any map yet (its first table is being computed). */
function earlyMap(s: ViewState): MapEntry | null {
  if (s.results?.shown.length) return null;
  return s.maps.find((m) => m.id === s.selectedId && !m.anatomy) ?? null;
}
