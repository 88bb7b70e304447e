import type { GlassView } from '../analysis/glass-brain';
import { LUTS, lutIndex } from './figure-colors';

/** The glass brain's inside and outline greys (RGB): a light silhouette with a darker edge, as nilearn draws it. */
const INSIDE_GREY = 236;
const OUTLINE_GREY = 110;
const OUTSIDE = 255;

/**
 * One glass-brain view as RGBA pixels (row 0 at the top), DOM-free so the page and the figure paint
 * the same image: white outside, a light grey brain with a darker outline, and the projection in the
 * page's colours (warm above 0, winter below), scaled from the threshold to the largest |value|.
 */
export function glassRaster(view: GlassView, threshold: number, maxAbs: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(view.width * view.height * 4);
  for (let i = 0; i < view.width * view.height; i++) {
    const v = view.values[i]!;
    const o = view.outline[i]!;
    let rgb: [number, number, number];
    if (!Number.isNaN(v)) {
      const lut = LUTS[v >= 0 ? 'warm' : 'winter'];
      const k = lutIndex(Math.abs(v), threshold, maxAbs);
      rgb = [lut[3 * k]!, lut[3 * k + 1]!, lut[3 * k + 2]!];
    } else {
      const g = o === 2 ? OUTLINE_GREY : o === 1 ? INSIDE_GREY : OUTSIDE;
      rgb = [g, g, g];
    }
    out.set([...rgb, 255], 4 * i);
  }
  return out;
}
