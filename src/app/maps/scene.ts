import { DEFAULT_CONTRIBUTION_SHARE as DEFAULT_SHARE } from '../../analysis/constants';
import type { SparseLabels } from '../../analysis/sparse-labels';
import type { SparseClusterTable } from '../../analysis/clusters';
import type { Sphere } from '../../analysis/roi';
import { sphereMask } from '../../analysis/sample';
import type { Volume } from '../../nifti';
import {
  beyond,
  labelOutline,
  labelValues,
  maxAbs,
  suprathresholdVolume,
  type Layer,
  type LayerLook,
} from '../../view/layers';
import type { PaneHead, PaneScene } from '../../view/panes';
import type { AnalysisResults } from '../page/analyzer';
import { atlasColours } from './atlas';
import {
  CONTRIBUTION_NEGATIVE,
  CONTRIBUTION_POSITIVE,
  DEFAULT_OVERLAY_ORDER,
  drawnExtras,
  extraColours,
  mapLayer,
  type ExtraOverlay,
  type LayerDisplay,
  type LayerId,
  type OverlayRole,
} from './layer-display';
import { thresholdedKindLabel } from '../../analysis/map-kind';
import type { MapEntry } from './maps';

/** Opacity of the thresholded map, of sub-threshold voxels when shown faintly, of ROI markers and of an atlas over a map. */
const STAT_OPACITY = 1;
const FAINT_OPACITY = 0.35;
const ROI_OPACITY = 1;
const ATLAS_OPACITY = 0.6;

/** How the user set the layers up (the layers panel). */
export interface DisplayInput {
  readonly display: Readonly<Partial<Record<LayerId, LayerDisplay>>>;
  readonly overlayOrder: readonly OverlayRole[];
  /** The atlas drawn over stat maps (when its layer is visible), and as the scene when shown itself. */
  readonly atlas: MapEntry | null;
  /** |post − pre| at or above this shows in the difference pane. */
  readonly differenceThreshold: number;
  /** |w × x| at or above this shows, or null for the default share of its maximum. */
  readonly contributionThreshold: number | null;
  /** Other maps drawn over the shown one in the single view, each at its own threshold. */
  readonly extras?: readonly { readonly entry: MapEntry; readonly threshold: number }[];
}

export interface SceneInput extends DisplayInput {
  readonly background: MapEntry | null;
  /** The stat maps shown, each with its cluster table: one in the single view, pre and post in compare. */
  readonly shown: { entry: MapEntry; table: SparseClusterTable; role: 'single' | 'pre' | 'post' }[];
  readonly threshold: number;
  readonly faint: boolean;
  readonly twoSided: boolean;
  readonly spheres: readonly Sphere[];
  readonly difference: Volume | null;
  /** Each shown map's w x (signature weights x map), by pane; null where there is none. */
  readonly contributions: readonly (Volume | null)[];
}

/** Which panes there are and their titles: cheap, for the page's layout (paneScenes builds the layers). */
export function paneHeads(input: Pick<SceneInput, 'shown' | 'difference' | 'differenceThreshold'>): PaneHead[] {
  const heads: PaneHead[] = input.shown.map(({ entry, role }) => ({
    key: role,
    title: role === 'single' ? entry.volume.name : `${role}: ${entry.volume.name}`,
  }));
  if (input.difference)
    heads.push({ key: 'difference', title: `post − pre, shown where |post − pre| ≥ ${input.differenceThreshold}` });
  return heads;
}

const look = (d: LayerDisplay | undefined): LayerLook | undefined =>
  d && (d.colormap || d.colormapNegative || d.min !== undefined || d.max !== undefined)
    ? { colormap: d.colormap, colormapNegative: d.colormapNegative, min: d.min, max: d.max }
    : undefined;
const visible = (d: LayerDisplay | undefined): boolean => d?.visible !== false;

/** The background layer: the chosen anatomy (with the user's look), or the map itself. */
function backgroundLayer(input: Pick<SceneInput, 'background' | 'display'>, fallback: Volume): Layer {
  const bg = input.background;
  const d = bg ? input.display[mapLayer(bg.id)] : undefined;
  return {
    volume: bg && visible(d) ? bg.volume : fallback,
    style: { kind: 'background', ...(bg && look(d) ? { look: look(d) } : {}) },
    colorbar: false,
  };
}

/** An atlas as a layer: label colours, filled or outlined. */
export function atlasLayer(atlas: MapEntry, d: LayerDisplay | undefined, opacity: number): Layer {
  const v = atlas.volume;
  const data = d?.outline
    ? cached(outlines, v.data, () => labelValues(labelOutline(v.data, v.dims)))
    : cached(int16, v.data, () => labelValues(v.data));
  return {
    volume: { ...v, data },
    style: { kind: 'label', opacity: d?.opacity ?? opacity, colours: atlasColours(atlas) },
    colorbar: false,
    title: `${v.name} (label atlas)`,
  };
}

/** What each pane shows. Compared panes share one colour scale, so equal values look equal. */
export function paneScenes(input: SceneInput): PaneScene[] {
  const scaleMax = Math.max(input.threshold * 1.0001, ...input.shown.map((s) => maxAbs(s.entry.volume.data)));
  const heads = paneHeads(input);
  const atlasD = input.atlas ? input.display[mapLayer(input.atlas.id)] : undefined;
  // Compared panes' w x share one scale too (and its default threshold, a share of the largest).
  const contributionMax = Math.max(0, ...input.contributions.map((c) => (c ? maxAbs(c.data) : 0)));
  const scenes: PaneScene[] = input.shown.map(({ entry, table, role }, k) => {
    const v = entry.volume;
    const d = input.display[mapLayer(entry.id)];
    const layers: Layer[] = [backgroundLayer(input, v)];
    const overlays: Partial<Record<OverlayRole, Layer[]>> = {};
    if (visible(d)) overlays.stat = statLayers(input, entry, table, scaleMax);
    if (role === 'single') overlays.stat = [...(overlays.stat ?? []), ...extraLayers(input)];
    const cd = input.display.contribution;
    const contribution = input.contributions[k];
    if (contribution && visible(cd))
      overlays.contribution = [contributionLayer(contribution, cd, input.contributionThreshold, contributionMax)];
    // The atlas goes over a stat map only when the user turns its layer on.
    if (input.atlas && atlasD?.visible === true) overlays.atlas = [atlasLayer(input.atlas, atlasD, ATLAS_OPACITY)];
    for (const r of input.overlayOrder) layers.push(...(overlays[r] ?? []));
    if (input.spheres.length) layers.push(markers(layers[0]!.volume, input.spheres));
    return { ...heads[k]!, layers };
  });
  if (input.difference) scenes.push({ ...heads[heads.length - 1]!, layers: differenceLayers(input, input.difference) });
  return scenes;
}

/** A shown map's own layers: its sub-threshold voxels faintly when asked, then its thresholded values. */
function statLayers(input: SceneInput, entry: MapEntry, table: SparseClusterTable, scaleMax: number): Layer[] {
  const v = entry.volume;
  const d = input.display[mapLayer(entry.id)];
  const stat: Layer[] = [];
  if (input.faint)
    stat.push({
      volume: v,
      style: { kind: 'signed', max: input.threshold, opacity: FAINT_OPACITY },
      colorbar: false,
    });
  const twoSided = input.twoSided && d?.symmetric !== false;
  stat.push({
    volume: { ...v, data: shownValues(v, table.labels) },
    style: {
      kind: 'stat',
      threshold: input.threshold,
      max: scaleMax,
      opacity: d?.opacity ?? STAT_OPACITY,
      twoSided,
      ...(look(d) ? { look: look(d) } : {}),
    },
    colorbar: true,
    title: `${v.name}: ${thresholdedKindLabel(entry.kind, input.threshold)}`,
  });
  return stat;
}

/** The signature's w × x map where |w × x| reaches its threshold (by default a share of `max`, the largest over the panes). */
function contributionLayer(c: Volume, cd: LayerDisplay | undefined, threshold: number | null, max: number): Layer {
  const thr = threshold ?? max * DEFAULT_SHARE;
  const l = look(cd);
  return {
    volume: { ...c, data: cached(thresholded, c.data, () => beyond(c.data, thr), thr) },
    style: {
      kind: 'signed',
      max,
      min: thr,
      opacity: cd?.opacity ?? STAT_OPACITY,
      look: {
        ...l,
        colormap: l?.colormap ?? CONTRIBUTION_POSITIVE,
        colormapNegative: l?.colormapNegative ?? CONTRIBUTION_NEGATIVE,
      },
    },
    colorbar: true,
    title: `w × x (signature contribution), |w × x| ≥ ${thr.toPrecision(3)}`,
  };
}

/** The difference pane's layers: the background, post − pre where |post − pre| reaches its threshold, the ROI markers. */
function differenceLayers(input: SceneInput, diff: Volume): Layer[] {
  const dd = input.display.difference;
  const thr = input.differenceThreshold;
  const layers: Layer[] = [backgroundLayer(input, diff)];
  if (visible(dd)) {
    layers.push({
      volume: { ...diff, data: cached(thresholded, diff.data, () => beyond(diff.data, thr), thr) },
      style: {
        kind: 'signed',
        max: Math.max(maxAbs(diff.data), thr * 1.0001),
        min: thr,
        opacity: dd?.opacity ?? STAT_OPACITY,
        ...(look(dd) ? { look: look(dd) } : {}),
      },
      colorbar: true,
      title: `post − pre, |d| ≥ ${thr}`,
    });
  }
  if (input.spheres.length) layers.push(markers(layers[0]!.volume, input.spheres));
  return layers;
}

/** The extra overlays (FSLeyes-style several maps at once): |value| ≥ their own threshold, in their own colour maps. */
function extraLayers(input: Pick<SceneInput, 'extras' | 'display'>): Layer[] {
  return (input.extras ?? []).flatMap(({ entry, threshold }, k) => {
    const d = input.display[mapLayer(entry.id)];
    if (!visible(d)) return [];
    const v = entry.volume;
    const max = Math.max(maxAbs(v.data), threshold * 1.0001);
    const colours = {
      colormap: d?.colormap ?? extraColours(k).colormap,
      colormapNegative: d?.colormapNegative ?? extraColours(k).colormapNegative,
      min: d?.min,
      max: d?.max,
    };
    const data = cached(thresholded, v.data, () => beyond(v.data, threshold), threshold);
    return [
      {
        volume: { ...v, data },
        style: { kind: 'signed', max, min: threshold, opacity: d?.opacity ?? STAT_OPACITY, look: colours },
        colorbar: true,
        title: `${v.name}: ${thresholdedKindLabel(entry.kind, threshold)}, |value| ≥ ${+threshold.toPrecision(4)}`,
      },
    ];
  });
}

/** Derived arrays by source array (and threshold): a threshold change elsewhere rebuilds none. */
/** The thresholded values of a map, once per table: a page change that keeps the table keeps the array. */
function shownValues(v: Volume, labels: SparseLabels): Float32Array {
  let d = shown.get(labels);
  if (!d || d.source !== v.data) {
    d = { source: v.data, data: suprathresholdVolume(v, labels).data };
    shown.set(labels, d);
  }
  return d.data;
}
const shown = new WeakMap<SparseLabels, { source: Float32Array; data: Float32Array }>();

type Derived<T> = WeakMap<Float32Array, { key: number; data: T }>;
const outlines: Derived<Int16Array> = new WeakMap();
const int16: Derived<Int16Array> = new WeakMap();
const thresholded: Derived<Float32Array> = new WeakMap();
function cached<T>(m: Derived<T>, src: Float32Array, make: () => T, key = 0): T {
  const hit = m.get(src);
  if (hit && hit.key === key) return hit.data;
  const data = make();
  m.set(src, { key, data });
  return data;
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
export interface ViewState extends Omit<DisplayInput, 'atlas'> {
  readonly results: AnalysisResults | null;
  readonly maps: readonly MapEntry[];
  readonly selectedId: number | null;
  readonly backgroundId: number | null;
  readonly atlasId: number | null;
  readonly settings: { readonly faint: boolean; readonly twoSided: boolean };
  readonly spheres: readonly Sphere[];
  readonly extraOverlays?: readonly ExtraOverlay[];
}

/**
 * The panes' scenes, built once per result (each holds volume-sized arrays; a batch or a crosshair
 * move re-renders the page many times a second). Before a map's first results, the selected map is
 * shown alone over the background: NiiVue draws it while its clusters are computed, and the overlays
 * then go on top without redrawing the background. A selected atlas is shown as an atlas.
 */
export class SceneBuilder {
  private memo: { deps: unknown[]; scenes: PaneScene[] } = { deps: [], scenes: [] };

  /** Which panes there are, with titles (for the layout; no arrays built). */
  heads(s: ViewState): PaneHead[] {
    const early = earlyMap(s);
    if (early)
      return [
        {
          key: 'single',
          title: early.kind.kind === 'label' ? `${early.volume.name} (label atlas)` : early.volume.name,
        },
      ];
    return s.results ? paneHeads({ ...s.results, differenceThreshold: s.differenceThreshold }) : [];
  }

  /** The scenes, and whether they changed since the last call. */
  scenes(s: ViewState): { scenes: PaneScene[]; changed: boolean } {
    const early = earlyMap(s);
    const background = s.maps.find((m) => m.id === s.backgroundId) ?? null;
    const atlas = s.maps.find((m) => m.id === s.atlasId && m.kind.kind === 'label') ?? null;
    const deps = [
      early ?? s.results,
      background,
      atlas,
      s.display,
      s.overlayOrder,
      s.differenceThreshold,
      s.contributionThreshold,
      early ? s.spheres : null,
      s.extraOverlays,
      s.maps,
    ];
    if (deps.length === this.memo.deps.length && deps.every((d, i) => d === this.memo.deps[i]))
      return { scenes: this.memo.scenes, changed: false };
    const shownId = s.results?.shown[0]?.entry.id;
    const extras = drawnExtras(s.maps, s.extraOverlays, shownId);
    const display: DisplayInput = {
      display: s.display,
      overlayOrder: s.overlayOrder.length ? s.overlayOrder : DEFAULT_OVERLAY_ORDER,
      atlas,
      differenceThreshold: s.differenceThreshold,
      contributionThreshold: s.contributionThreshold,
      extras,
    };
    let scenes: PaneScene[] = [];
    if (early) {
      const layers: Layer[] = [backgroundLayer({ background, display: s.display }, early.volume)];
      if (early.kind.kind === 'label') {
        // An atlas shown by itself: in its label colours over the background, never thresholded.
        layers.push(atlasLayer(early, s.display[mapLayer(early.id)], background ? ATLAS_OPACITY : 1));
        if (s.spheres.length) layers.push(markers(layers[0]!.volume, s.spheres));
      }
      scenes = [{ key: 'single', title: this.heads(s)[0]!.title, layers }];
    } else if (s.results) {
      scenes = paneScenes({
        ...display,
        background,
        shown: s.results.shown,
        threshold: s.results.threshold,
        faint: s.settings.faint,
        twoSided: s.settings.twoSided,
        spheres: s.spheres,
        difference: s.results.difference,
        contributions: s.results.contributions,
      });
    }
    this.memo = { deps, scenes };
    return { scenes, changed: true };
  }
}

/** The selected map, while no results show any map yet (its first table is being computed, or it is an atlas). */
function earlyMap(s: Pick<ViewState, 'results' | 'maps' | 'selectedId' | 'backgroundId'>): MapEntry | null {
  if (s.results?.shown.length) return null;
  const selected = s.maps.find((m) => m.id === s.selectedId && !m.anatomy);
  if (selected) return selected;
  // A template opened alone shows itself: the reader sees it loaded, and where maps will go.
  return s.maps.some((m) => !m.anatomy) ? null : (s.maps.find((m) => m.id === s.backgroundId) ?? null);
}
