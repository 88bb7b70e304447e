import type { ClusterTable } from '../analysis/clusters';
import type { Sphere } from '../analysis/roi';
import { sphereMask } from '../analysis/sample';
import type { Volume } from '../nifti';
import { maxAbs, suprathresholdVolume, type Layer } from '../view/layers';
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
  readonly shown: { entry: MapEntry; table: ClusterTable; role: 'single' | 'pre' | 'post' }[];
  readonly threshold: number;
  readonly faint: boolean;
  readonly twoSided: boolean;
  readonly spheres: readonly Sphere[];
  readonly difference: Volume | null;
  readonly contribution: Volume | null;
}

/** What each pane shows. Compared panes share one colour scale, so equal values look equal. */
export function paneScenes(input: SceneInput): PaneScene[] {
  const scaleMax = Math.max(input.threshold * 1.0001, ...input.shown.map((s) => maxAbs(s.entry.volume.data)));
  const scenes: PaneScene[] = input.shown.map(({ entry, table, role }) => {
    const v = entry.volume;
    const layers: Layer[] = [{ volume: input.background?.volume ?? v, style: { kind: 'background' }, colorbar: false }];
    if (input.faint) layers.push({ volume: v, style: { kind: 'signed', max: input.threshold, opacity: FAINT_OPACITY }, colorbar: false });
    layers.push({ volume: suprathresholdVolume(v, table.labels), style: { kind: 'stat', threshold: input.threshold, max: scaleMax, opacity: STAT_OPACITY, twoSided: input.twoSided }, colorbar: true });
    if (role === 'single' && input.contribution) {
      layers.push({ volume: input.contribution, style: { kind: 'signed', max: maxAbs(input.contribution.data), opacity: STAT_OPACITY }, colorbar: true });
    }
    if (input.spheres.length) layers.push(markers(v, input.spheres));
    const title = role === 'single' ? v.name : `${role}: ${v.name}`;
    return { key: role, title, layers };
  });
  if (input.difference) {
    const d = input.difference;
    const layers: Layer[] = [{ volume: input.background?.volume ?? d, style: { kind: 'background' }, colorbar: false }];
    layers.push({ volume: d, style: { kind: 'signed', max: maxAbs(d.data), opacity: STAT_OPACITY }, colorbar: true });
    if (input.spheres.length) layers.push(markers(d, input.spheres));
    scenes.push({ key: 'difference', title: 'post − pre', layers });
  }
  return scenes;
}

function markers(on: Volume, spheres: readonly Sphere[]): Layer {
  return { volume: { ...on, name: 'rois', data: sphereMask(on, spheres) }, style: { kind: 'mask', opacity: ROI_OPACITY }, colorbar: false };
}
