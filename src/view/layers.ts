import type { SparseLabels } from '../analysis/sparse-labels';
import type { Volume } from '../nifti';

/** The user's choice of colour maps and range for a layer (absent: the defaults). */
export interface LayerLook {
  readonly colormap?: string;
  readonly colormapNegative?: string;
  /** Display range; min defaults to the threshold, max to the largest |value|. */
  readonly min?: number;
  readonly max?: number;
}

/** A label atlas's colours (NiiVue's label colour map: values I with colours R, G, B and names). */
export interface LabelColours {
  readonly I: number[];
  readonly R: number[];
  readonly G: number[];
  readonly B: number[];
  readonly A: number[];
  readonly labels: string[];
}

/** How a layer is coloured in a pane. */
export type LayerStyle =
  /** anatomy underneath */
  | { readonly kind: 'background'; readonly look?: LayerLook }
  /** a statistical map: warm above +threshold, cool below -threshold (two-sided), up to +-max */
  | {
      readonly kind: 'stat';
      readonly threshold: number;
      readonly max: number;
      readonly opacity: number;
      readonly twoSided: boolean;
      readonly look?: LayerLook;
    }
  /** a map with both signs (difference, contribution) shown from +-min (its threshold) to +-max */
  | {
      readonly kind: 'signed';
      readonly max: number;
      readonly opacity: number;
      readonly min?: number;
      readonly look?: LayerLook;
    }
  /** a 0/1 mask drawn in one colour (ROI markers) */
  | { readonly kind: 'mask'; readonly opacity: number }
  /** a label atlas in its label colours, never thresholded */
  | { readonly kind: 'label'; readonly opacity: number; readonly colours: LabelColours };

/** A layer's volume: a map's values, or a byte mask (ROI markers, a quarter of the memory). */
export type LayerVolume = Omit<Volume, 'data'> & { readonly data: Float32Array | Uint8Array | Int16Array };

export interface Layer {
  readonly volume: LayerVolume;
  readonly style: LayerStyle;
  /** Shown in the colour bar. */
  readonly colorbar: boolean;
  /** The colour bar's title: the layer's name and kind. */
  readonly title?: string;
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

/** Only the values at or beyond +-threshold (the rest 0): what a thresholded signed overlay shows. */
export function beyond(data: Float32Array, threshold: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v >= threshold || v <= -threshold) out[i] = v;
  }
  return out;
}

/** An atlas's values as int16, which NiiVue draws with its label shader (float images it cannot). */
export function labelValues(data: Float32Array): Int16Array {
  const out = new Int16Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    out[i] = !Number.isNaN(v) && v > -32768 && v < 32768 ? v : 0;
  }
  return out;
}

/**
 * The outlines of an atlas's regions: a voxel keeps its label where a neighbour in its slice (x or y)
 * has another label, and is 0 inside a region, so the map beneath shows through.
 */
export function labelOutline(data: Float32Array, dims: readonly [number, number, number]): Float32Array {
  const [nx, ny, nz] = dims;
  const out = new Float32Array(data.length);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = x + nx * (y + ny * z);
        const v = data[i]!;
        if (!v) continue;
        const edge =
          x === 0 ||
          x === nx - 1 ||
          y === 0 ||
          y === ny - 1 ||
          data[i - 1] !== v ||
          data[i + 1] !== v ||
          data[i - nx] !== v ||
          data[i + nx] !== v ||
          (z > 0 && data[i - nx * ny] !== v) ||
          (z < nz - 1 && data[i + nx * ny] !== v);
        if (edge) out[i] = v;
      }
  return out;
}
