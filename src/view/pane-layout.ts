import type { Niivue } from '@niivue/niivue';
import { chooseLayout, layoutTiles, lightboxTiles, type Tile } from './multiplanar';

/** The share of a pane's height its colour bars take, before NiiVue has drawn them once. */
const COLORBAR_GUESS = 0.1;
/**
 * The bottom of a pane kept free of slices for the colour bars and the titles over them (rem): the
 * titles sit 4.2rem above the canvas's bottom (src/ui/view-styles.ts) and are about a line high.
 */
const BAR_TITLE_RESERVE_REM = 5.5;
const rootFontPx = (): number => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

/**
 * Where a pane without a 3D tile draws its three slices (or a lightbox its axial slices `lightboxZ`, mm),
 * as NiiVue custom-layout tiles: the layout (src/view/multiplanar.ts) of the background's extent over
 * the canvas less the room its colour bars and their titles take at the bottom.
 */
export function fitTiles(
  nv: Niivue,
  canvas: HTMLCanvasElement,
  withBars: boolean,
  lightboxZ: readonly number[] | null = null,
): Tile[] {
  const back = nv.back;
  const d = back?.dimsRAS;
  const p = back?.pixDimsRAS;
  // Extents in mm (x, y, z); an unloaded pane assumes MNI's 182 x 218 x 182.
  const ext: [number, number, number] = d && p ? [d[1]! * p[1]!, d[2]! * p[2]!, d[3]! * p[3]!] : [182, 218, 182];
  // The colour bars and their titles (HTML over the canvas, src/ui/view-styles.ts) take the bottom of the canvas:
  // the bars' height as last drawn (a tenth before the first draw), at least the titles' reserve.
  const h0 = canvas.clientHeight || 1;
  const barsDrawn = nv.opts.isColorbar
    ? nv.colorbarHeight > 0 && nv.gl
      ? nv.colorbarHeight / nv.gl.canvas.height
      : COLORBAR_GUESS
    : 0;
  const titles = nv.opts.isColorbar && withBars ? (BAR_TITLE_RESERVE_REM * rootFontPx()) / h0 : 0;
  const bars = Math.min(0.5, Math.max(barsDrawn, titles));
  const w = canvas.clientWidth || 1;
  if (lightboxZ) return lightboxTiles(lightboxZ, ext, w, h0, 1 - bars);
  return layoutTiles(chooseLayout(ext, w, h0 * (1 - bars)), ext, 1 - bars, { w, h: h0 });
}
