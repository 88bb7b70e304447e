import type { SparseLabels } from '../analysis/sparse-labels';
import type { Volume } from '../nifti';

/** How a layer is coloured in a pane. */
export type LayerStyle =
  /** anatomy underneath */
  | { readonly kind: 'background' }
  /** a statistical map: warm above +threshold, winter below -threshold, up to +-max */
  | { readonly kind: 'stat'; readonly threshold: number; readonly max: number; readonly opacity: number; readonly twoSided: boolean }
  /** a map with both signs and no threshold (difference, contribution), symmetric about 0 */
  | { readonly kind: 'signed'; readonly max: number; readonly opacity: number }
  /** a 0/1 mask drawn in one colour (ROI markers) */
  | { readonly kind: 'mask'; readonly opacity: number };

/** A layer's volume: a map's values, or a byte mask (ROI markers, a quarter of the memory). */
export type LayerVolume = Omit<Volume, 'data'> & { readonly data: Float32Array | Uint8Array };

export interface Layer {
  readonly volume: LayerVolume;
  readonly style: LayerStyle;
  /** Shown in the colour bar. */
  readonly colorbar: boolean;
}

/** The displayed stat map: values of voxels in listed clusters, 0 elsewhere (so extent thresholds show). */
export function suprathresholdVolume(map: Volume, labels: SparseLabels): Volume {
  const data = new Float32Array(map.data.length);
  for (const i of labels.voxels) data[i] = map.data[i]!;
  return { ...map, data };
}

/** Largest finite |value|, for colour scales; 1 when the map has none. */
export function maxAbs(data: Float32Array): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Math.abs(data[i]!);
    if (v > m && v !== Infinity) m = v;
  }
  return m > 0 ? m : 1;
}
