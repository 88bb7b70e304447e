import { NVImage } from '@niivue/niivue';
// Colour scheme of every pane, so side-by-side panes read the same (and captions name the same colours).
import { MASK_COLORMAP, MASK_LABELS, NEGATIVE_COLORMAP, POSITIVE_COLORMAP, SIGNED_COLORMAP } from './colormaps';
import type { Layer } from './layers';

/**
 * A layer as NiiVue draws it: its image over our own array, and its colour map, range and opacity.
 * The keys say which layers can share a grid's header or be updated in place.
 */

export function gridKey(l: Layer): string {
  return `${l.volume.dims.join('x')}|${l.volume.affine.join(',')}`;
}

export function layerKey(l: Layer): string {
  return `${l.style.kind}|${gridKey(l)}`;
}

interface StyleOptions {
  colormap: string;
  colormapNegative: string;
  cal_min: number;
  cal_max: number;
  opacity: number;
}

/** Colour map, range and opacity of a layer, as NiiVue options (the user's look over the defaults). */
function styleOptions(layer: Layer): StyleOptions {
  const s = layer.style;
  switch (s.kind) {
    case 'background':
      return {
        colormap: s.look?.colormap ?? 'gray',
        colormapNegative: '',
        cal_min: s.look?.min ?? NaN,
        cal_max: s.look?.max ?? NaN,
        opacity: 1,
      };
    case 'stat': {
      const lo = s.look?.min ?? s.threshold;
      return {
        colormap: s.look?.colormap ?? POSITIVE_COLORMAP,
        colormapNegative: s.twoSided ? (s.look?.colormapNegative ?? NEGATIVE_COLORMAP) : '',
        cal_min: lo,
        cal_max: Math.max(s.look?.max ?? s.max, lo * 1.0001),
        opacity: s.opacity,
      };
    }
    case 'mask':
      // ROI markers stay an overlay, on top: NiiVue's drawing layer would be cheaper, but it is drawn
      // beneath the overlays, which hides a sphere placed on a cluster's peak.
      return { colormap: MASK_COLORMAP, colormapNegative: '', cal_min: 0.5, cal_max: 1, opacity: s.opacity };
    case 'signed': {
      const lo = s.look?.min ?? s.min ?? s.max * 1e-3;
      return {
        colormap: s.look?.colormap ?? SIGNED_COLORMAP,
        colormapNegative: s.look?.colormapNegative ?? NEGATIVE_COLORMAP,
        cal_min: lo,
        cal_max: Math.max(s.look?.max ?? s.max, lo * 1.0001),
        opacity: s.opacity,
      };
    }
    case 'label':
      return { colormap: 'gray', colormapNegative: '', cal_min: 0, cal_max: 1, opacity: s.opacity };
  }
}

export function applyStyle(img: NVImage, layer: Layer): void {
  const o = styleOptions(layer);
  if (layer.style.kind === 'background') {
    if (img.colormap !== o.colormap) img.colormap = o.colormap;
    if (Number.isFinite(o.cal_min)) img.cal_min = o.cal_min;
    if (Number.isFinite(o.cal_max)) img.cal_max = o.cal_max;
    return;
  }
  if (layer.style.kind === 'label' || layer.style.kind === 'mask') {
    img.setColormapLabel(layer.style.kind === 'label' ? layer.style.colours : MASK_LABELS);
    img.opacity = o.opacity;
    return;
  }
  // NiiVue rescans the whole volume's range whenever a colour map is set, even to the same one.
  if (img.colormap !== o.colormap) img.colormap = o.colormap;
  img.colormapNegative = o.colormapNegative;
  img.cal_min = o.cal_min;
  img.cal_max = o.cal_max;
  img.opacity = o.opacity;
}

/**
 * An image with the header of `grid` (a one-voxel image of the same affine) and the layer's array.
 * The fields set are those NiiVue's own parse sets for a 3D float32 (or uint8) volume. A background's grey
 * scale comes from NiiVue's range scan, as for any file it opens; an overlay's range from its style.
 */
export function derivedImage(grid: NVImage, layer: Layer): NVImage {
  const v = layer.volume;
  const o = styleOptions(layer);
  const background = layer.style.kind === 'background';
  const img = new NVImage(
    null,
    v.name,
    o.colormap,
    o.opacity,
    null,
    NaN,
    NaN,
    true,
    0.02,
    false,
    false,
    o.colormapNegative,
    0,
    undefined,
    NaN,
    NaN,
    layer.colorbar,
  );
  const hdr = grid.hdr!;
  const [code, bits] = v.data instanceof Uint8Array ? [2, 8] : v.data instanceof Int16Array ? [4, 16] : [16, 32];
  // NiiVue draws integer images with intent "label" through their label colour map.
  const labels = layer.style.kind === 'label' || layer.style.kind === 'mask';
  img.hdr = {
    ...hdr,
    dims: [3, v.dims[0], v.dims[1], v.dims[2], 1, 1, 1, 1],
    datatypeCode: code,
    numBitsPerVoxel: bits,
    scl_slope: 1,
    scl_inter: 0,
    intent_code: labels ? 1002 : 0,
    cal_min: 0,
    cal_max: 0,
  } as typeof hdr;
  img.img = v.data;
  img.frame4D = 0;
  img.nFrame4D = 1;
  img.nTotalFrame4D = 1;
  img.nVox3D = v.data.length;
  img.calculateRAS();
  if (background) {
    img.calMinMax();
    if (layer.style.kind === 'background' && layer.style.look) applyStyle(img, layer);
    return img;
  }
  if (layer.style.kind === 'label' || layer.style.kind === 'mask') {
    applyStyle(img, layer);
    return img;
  }
  img.global_min = img.robust_min = Math.min(0, o.cal_min, -o.cal_max);
  img.global_max = img.robust_max = Math.max(0, o.cal_max);
  img.cal_min = o.cal_min;
  img.cal_max = o.cal_max;
  return img;
}
