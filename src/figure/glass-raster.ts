import type { GlassView, ProjectionAxis } from '../analysis/glass-brain';
import type { Grid } from '../analysis/grid';
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

/** A glass-brain pane of a figure, in points. */
export interface GlassPane {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly axis: ProjectionAxis;
}

/**
 * The figure's glass-brain row: the three projections side by side (sagittal, coronal, axial) across
 * `width` points with `gap` between them, each in the brain's proportions (mm), tops at `y`.
 */
export function glassRow(
  map: Grid,
  x: number,
  y: number,
  width: number,
  gap: number,
): { panes: GlassPane[]; height: number } {
  const size = [0, 1, 2].map((c) => Math.hypot(map.affine[c]!, map.affine[4 + c]!, map.affine[8 + c]!));
  const mm = ([0, 1, 2] as const).map((axis) => {
    const [u, v] = axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1];
    return [map.dims[u]! * size[u]!, map.dims[v]! * size[v]!] as const;
  });
  const s = (width - 2 * gap) / mm.reduce((a, m) => a + m[0], 0);
  let at = x;
  const panes = mm.map(([w, h], axis): GlassPane => {
    const p = { x: at, y, w: w * s, h: h * s, axis: axis as ProjectionAxis };
    at += w * s + gap;
    return p;
  });
  return { panes, height: Math.max(...panes.map((p) => p.h)) };
}

/**
 * A glass-brain view scaled to a figure pane's pixels (nearest pixel), on the figure's paper: the
 * outline in the figure's ink grey, the projection in the figure's colours (threshold to `max`).
 */
export function glassPaneRaster(
  view: GlassView,
  threshold: number,
  max: number,
  width: number,
  height: number,
): { width: number; height: number; rgba: Uint8ClampedArray } {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let r = 0; r < height; r++) {
    const sy = Math.min(view.height - 1, Math.floor(((r + 0.5) / height) * view.height));
    for (let c = 0; c < width; c++) {
      const sx = Math.min(view.width - 1, Math.floor(((c + 0.5) / width) * view.width));
      const i = sx + view.width * sy;
      const v = view.values[i]!;
      const o = 4 * (c + width * r);
      if (!Number.isNaN(v)) {
        const lut = LUTS[v >= 0 ? 'warm' : 'winter'];
        const k = 3 * lutIndex(Math.abs(v), threshold, max);
        rgba.set([lut[k]!, lut[k + 1]!, lut[k + 2]!, 255], o);
      } else if (view.outline[i] === 2) rgba.set([OUTLINE_GREY, OUTLINE_GREY, OUTLINE_GREY, 255], o);
    }
  }
  return { width, height, rgba };
}
