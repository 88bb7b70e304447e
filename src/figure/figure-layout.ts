import type { GridMap } from '../analysis/grid';
import { valueAtMm } from '../analysis/sample';
import {
  AXIS_LETTER,
  evenSlices,
  FigureError,
  greyRange,
  paneRaster,
  PLANE_AXES,
  planeBox,
  sliceMm,
  slicesAtMm,
  VIEW_AXIS,
  type FigureView,
  type PaneSource,
  type PlaneBox,
  type Raster,
  type Slice,
} from './figure-slices';
import type { ColourMapName } from './figure-colors';
import { glassPaneRaster, glassRow, type GlassPane } from './glass-raster';
import { backgroundMask, glassBrain } from '../analysis/glass-brain';
import { sameGrid } from '../analysis/grid';

/**
 * A publication figure of a map as the page shows it: a mosaic of slices over the background, the
 * colour bar with its title and units, the threshold, slice coordinates and (optionally) cluster
 * numbers, as nilearn's plot_stat_map(display_mode="mosaic") and MRIcroGL's mosaic. Laid out in
 * points (1/72 inch); the pixels follow from the DPI.
 */

/** Journals ask for 300 dpi for figures with images. */

export const FIGURE_DPI = 300;
/** A full-width (two-column) journal figure: about 180 mm. */
export const FIGURE_WIDTH_IN = 7;
/** Slices in an evenly spaced mosaic, by default (nilearn's mosaic shows 7 per view; a grid of 12 reads better in one view). */
export const FIGURE_SLICES = 12;
/** Automatic columns aim at a mosaic this many times as wide as it is high. */
const MOSAIC_ASPECT = 2.4;
const MARGIN_PT = 8;
const GAP_PT = 2;
const TITLE_PT = 10;
const LABEL_PT = 7;
const COLOURBAR_COLUMN_PT = 56;
const COLOURBAR_WIDTH_PT = 9;
const COLOURBAR_SPLIT_PT = 3;
const NOTE_PT = 7;
/** Cluster numbers drawn, at most: the largest clusters (a map at a low threshold has hundreds of specks). */
export const MAX_CLUSTER_LABELS = 10;

export interface FigureOptions {
  readonly view: FigureView;
  readonly slices:
    | { readonly kind: 'even'; readonly count: number }
    | { readonly kind: 'mm'; readonly mm: readonly number[] };
  /** Columns of the mosaic; null: chosen for a wide figure. */
  readonly columns: number | null;
  readonly widthIn: number;
  readonly dpi: number;
  readonly clusterLabels: boolean;
  /** White text on black (as nilearn's black_bg), or black on white. */
  readonly dark: boolean;
  readonly title: string;
  readonly colourbarTitle: string;
  readonly units: string;
  /** A row of the glass brain (maximum-intensity projections, src/analysis/glass-brain.ts) under the slices. */
  readonly glass?: boolean;
}

export function defaultFigureOptions(title: string, units: string): FigureOptions {
  return {
    view: 'axial',
    slices: { kind: 'even', count: FIGURE_SLICES },
    columns: null,
    widthIn: FIGURE_WIDTH_IN,
    dpi: FIGURE_DPI,
    clusterLabels: true,
    dark: true,
    title,
    colourbarTitle: title,
    units,
  };
}

/** What the page shows of a map. */
export interface FigureInput {
  readonly background: GridMap;
  /** The map as shown (0 outside the listed clusters). */
  readonly map: GridMap;
  readonly threshold: number;
  readonly max: number;
  readonly twoSided: boolean;
  /** The listed clusters' numbers and peaks (mm). */
  readonly clusters: readonly {
    readonly index: number;
    readonly sign: 1 | -1;
    readonly peak: readonly [number, number, number];
  }[];
  /** The threshold in words ("z ≥ 2.3, clusters p < 0.05 (GRF)"). */
  readonly thresholdNote: string;
  /** On the map's grid: voxels > 0 (or finite non-zero) outline the glass brain; absent, the background outlines it. */
  readonly outline?: Float32Array;
}

export interface FigureText {
  readonly x: number;
  readonly y: number;
  readonly text: string;
  readonly size: number;
  readonly anchor: 'start' | 'middle' | 'end';
  readonly bold?: boolean;
  /** Degrees clockwise about (x, y). */
  readonly rotate?: number;
  /** Drawn with a dark outline, to read over any colour (cluster numbers). */
  readonly outlined?: boolean;
}

export interface FigurePane {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly slice: Slice;
  readonly box: PlaneBox;
}

/** A colour bar segment: its LUT from entry 0 at `zeroAt` ('bottom' or 'top') to 255 at the other end. */
export interface ColourbarSegment {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly map: ColourMapName;
  readonly zeroAt: 'bottom' | 'top';
}

export interface FigureLayout {
  readonly widthPt: number;
  readonly heightPt: number;
  readonly view: FigureView;
  readonly paper: string;
  readonly ink: string;
  readonly panes: readonly FigurePane[];
  readonly texts: readonly FigureText[];
  readonly bar: readonly ColourbarSegment[];
  readonly ticks: readonly { readonly x1: number; readonly x2: number; readonly y: number }[];
  /** The glass-brain row's panes (none unless asked for); their pixels follow the slices' in figurePixels. */
  readonly glass: readonly GlassPane[];
}

/** A colour bar tick's or threshold's value, in three significant digits. */
export function formatValue(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/** A slice coordinate: whole mm, or one decimal where the grid is not on whole mm. */
export function formatMm(mm: number): string {
  const r = Math.round(mm * 10) / 10;
  return String(Object.is(r, -0) ? 0 : r);
}

function slicesFor(input: FigureInput, o: FigureOptions): Slice[] {
  return o.slices.kind === 'even'
    ? evenSlices(input.background, o.view, o.slices.count)
    : slicesAtMm(input.background, o.view, o.slices.mm);
}

/** The sizes a figure can be drawn at: a FigureError (shown to the user) for any other. */
function checkFigureOptions(o: FigureOptions): void {
  if (!(o.widthIn > 0 && o.widthIn <= 40))
    throw new FigureError(`The figure's width must be between 0 and 40 inches, not ${o.widthIn}.`);
  if (!(o.dpi >= 36 && o.dpi <= 1200)) throw new FigureError(`The DPI must be between 36 and 1200, not ${o.dpi}.`);
  if (o.columns !== null && !(Number.isInteger(o.columns) && o.columns >= 1))
    throw new FigureError(`The number of columns must be a whole number of at least 1, not ${o.columns}.`);
}

/** The title, each slice's coordinate and the orientation letters on the first slice. */
function mosaicTexts(o: FigureOptions, panes: readonly FigurePane[]): FigureText[] {
  const letter = AXIS_LETTER[VIEW_AXIS[o.view]];
  const texts: FigureText[] = [];
  if (o.title)
    texts.push({ x: MARGIN_PT, y: MARGIN_PT + TITLE_PT, text: o.title, size: TITLE_PT, anchor: 'start', bold: true });
  for (const p of panes)
    texts.push({
      x: p.x + 2,
      y: p.y + p.h - 2.5,
      text: `${letter} = ${formatMm(p.slice.mm)}`,
      size: LABEL_PT,
      anchor: 'start',
    });
  const first = panes[0]!;
  // Neurological convention: the subject's left on the left (anterior on the right in a sagittal view).
  const [lo, hi] = o.view === 'sagittal' ? ['P', 'A'] : ['L', 'R'];
  texts.push(
    { x: first.x + 2, y: first.y + LABEL_PT + 1, text: lo, size: LABEL_PT, anchor: 'start' },
    { x: first.x + first.w - 2, y: first.y + LABEL_PT + 1, text: hi, size: LABEL_PT, anchor: 'end' },
  );
  return texts;
}

/** Lays the figure out (no pixels yet: `figurePixels` draws its panes). */
export function figureLayout(input: FigureInput, o: FigureOptions): FigureLayout {
  checkFigureOptions(o);
  const slices = slicesFor(input, o);
  const box = planeBox(input.background, o.view);
  const aspect = (box.h[1] - box.h[0]) / (box.v[1] - box.v[0]);
  const n = slices.length;
  const cols = Math.min(n, o.columns ?? Math.max(1, Math.round(Math.sqrt((MOSAIC_ASPECT * n) / aspect))));
  const rows = Math.ceil(n / cols);
  const widthPt = o.widthIn * 72;
  const titleH = o.title ? TITLE_PT * 1.6 : 0;
  const mosaicW = widthPt - 2 * MARGIN_PT - COLOURBAR_COLUMN_PT;
  const pw = (mosaicW - (cols - 1) * GAP_PT) / cols;
  const ph = pw / aspect;
  const top = MARGIN_PT + titleH;
  const slicesH = rows * ph + (rows - 1) * GAP_PT;
  const row = o.glass ? glassRow(input.map, MARGIN_PT, top + slicesH + GAP_PT * 4, mosaicW, GAP_PT * 4) : null;
  const mosaicH = slicesH + (row ? GAP_PT * 4 + row.height : 0);
  const heightPt = top + mosaicH + NOTE_PT * 2.2 + MARGIN_PT;
  const ink = o.dark ? '#ffffff' : '#000000';
  const [ha, va] = PLANE_AXES[o.view];

  const panes: FigurePane[] = slices.map((slice, k) => ({
    x: MARGIN_PT + (k % cols) * (pw + GAP_PT),
    y: top + Math.floor(k / cols) * (ph + GAP_PT),
    w: pw,
    h: ph,
    slice,
    box,
  }));
  const texts = mosaicTexts(o, panes);
  if (o.clusterLabels) texts.push(...clusterTexts(input, panes, ha, va, o.view));
  texts.push({
    x: MARGIN_PT,
    y: top + mosaicH + NOTE_PT * 1.6,
    text: input.thresholdNote,
    size: NOTE_PT,
    anchor: 'start',
  });

  const { bar, ticks, labels } = colourbar(input, o, widthPt - MARGIN_PT - COLOURBAR_COLUMN_PT + 8, top, mosaicH);
  texts.push(...labels);
  for (const g of row?.panes ?? [])
    texts.push({
      x: g.x + 2,
      y: g.y + g.h - 2.5,
      text: ['sagittal', 'coronal', 'axial'][g.axis]!,
      size: LABEL_PT,
      anchor: 'start',
    });
  return {
    widthPt,
    heightPt,
    view: o.view,
    paper: o.dark ? '#000000' : '#ffffff',
    ink,
    panes,
    texts,
    bar,
    ticks,
    glass: row?.panes ?? [],
  };
}

/** The largest clusters' numbers at their peaks, on the shown slice nearest each when the peak lies within half the slices' spacing and the cluster shows there. */
function clusterTexts(input: FigureInput, panes: FigurePane[], ha: number, va: number, view: FigureView): FigureText[] {
  const wa = VIEW_AXIS[view];
  const mm = panes.map((p) => p.slice.mm);
  const gaps = mm.slice(1).map((m, k) => m - mm[k]!);
  const step = Math.abs(sliceMm(input.background, view, 1) - sliceMm(input.background, view, 0));
  const reach = Math.max(step / 2, (gaps.length ? Math.min(...gaps) : step) / 2);
  const out: FigureText[] = [];
  for (const c of input.clusters.slice(0, MAX_CLUSTER_LABELS)) {
    let best = -1;
    for (let k = 0; k < panes.length; k++)
      if (best < 0 || Math.abs(mm[k]! - c.peak[wa]!) < Math.abs(mm[best]! - c.peak[wa]!)) best = k;
    const p = panes[best];
    if (!p || Math.abs(p.slice.mm - c.peak[wa]!) > reach) continue;
    // Only where the cluster shows: the map, in that pane's plane at the peak's place, passes the threshold with the peak's sign.
    const at: [number, number, number] = [c.peak[0], c.peak[1], c.peak[2]];
    at[wa] = p.slice.mm;
    const v = mapValueAt(input.map, at);
    if (!(c.sign > 0 ? v >= input.threshold : v <= -input.threshold)) continue;
    const fx = (c.peak[ha]! - p.box.h[0]) / (p.box.h[1] - p.box.h[0]);
    const fy = (p.box.v[1] - c.peak[va]!) / (p.box.v[1] - p.box.v[0]);
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) continue;
    out.push({
      x: p.x + fx * p.w,
      y: p.y + fy * p.h + LABEL_PT / 3,
      text: String(c.index),
      size: LABEL_PT,
      anchor: 'middle',
      bold: true,
      outlined: true,
    });
  }
  return out;
}

function mapValueAt(map: GridMap, mm: [number, number, number]): number {
  return valueAtMm(map, mm)?.value ?? 0;
}

function colourbar(input: FigureInput, o: FigureOptions, x: number, top: number, mosaicH: number) {
  const h = Math.max(Math.min(mosaicH, 72 * 2.5) * 0.85, 40);
  const y = top + (mosaicH - h) / 2;
  const bar: ColourbarSegment[] = [];
  const ticks: { x1: number; x2: number; y: number }[] = [];
  const labels: FigureText[] = [];
  const w = COLOURBAR_WIDTH_PT;
  const tick = (ty: number, v: number | string, labelY = ty): void => {
    ticks.push({ x1: x + w, x2: x + w + 2.5, y: ty });
    if (v !== '')
      labels.push({
        x: x + w + 4,
        y: labelY + LABEL_PT / 3,
        text: typeof v === 'number' ? formatValue(v) : v,
        size: LABEL_PT,
        anchor: 'start',
      });
  };
  const { threshold: t, max } = input;
  if (input.twoSided) {
    const half = (h - COLOURBAR_SPLIT_PT) / 2;
    bar.push(
      { x, y, w, h: half, map: 'warm', zeroAt: 'bottom' },
      { x, y: y + half + COLOURBAR_SPLIT_PT, w, h: half, map: 'winter', zeroAt: 'top' },
    );
    tick(y, max);
    // Both thresholds meet at the split: one label, ±t, between their ticks.
    tick(y + half, `±${formatValue(t)}`, y + half + COLOURBAR_SPLIT_PT / 2);
    tick(y + half + COLOURBAR_SPLIT_PT, '');
    tick(y + h, -max);
  } else {
    bar.push({ x, y, w, h, map: 'warm', zeroAt: 'bottom' });
    tick(y, max);
    tick(y + h, t);
  }
  const title = [o.colourbarTitle, o.units ? `(${o.units})` : ''].filter(Boolean).join(' ');
  if (title)
    labels.push({
      x: x + COLOURBAR_COLUMN_PT - 12,
      y: y + h / 2,
      text: title,
      size: LABEL_PT,
      anchor: 'middle',
      rotate: 90,
    });
  return { bar, ticks, labels };
}

/** The figure's size in pixels at its DPI. */
export function figurePixelSize(layout: FigureLayout, dpi: number): { width: number; height: number; scale: number } {
  const scale = dpi / 72;
  return { width: Math.round(layout.widthPt * scale), height: Math.round(layout.heightPt * scale), scale };
}

/** Each pane's pixels at `dpi` (the pane's box in whole pixels, from its rounded corners). */
export function figurePixels(
  input: FigureInput,
  layout: FigureLayout,
  dpi: number,
): { x: number; y: number; raster: Raster }[] {
  const scale = dpi / 72;
  const src: PaneSource = {
    background: input.background,
    map: input.map,
    threshold: input.threshold,
    max: input.max,
    twoSided: input.twoSided,
    greyRange: greyRange(input.background),
  };
  const box = (p: { x: number; y: number; w: number; h: number }) => {
    const x = Math.round(p.x * scale);
    const y = Math.round(p.y * scale);
    return {
      x,
      y,
      w: Math.max(1, Math.round((p.x + p.w) * scale) - x),
      h: Math.max(1, Math.round((p.y + p.h) * scale) - y),
    };
  };
  const slices = layout.panes.map((p) => {
    const b = box(p);
    return { x: b.x, y: b.y, raster: paneRaster(src, layout.view, p.slice.mm, p.box, b.w, b.h) };
  });
  if (!layout.glass.length) return slices;
  // The glass brain of the map as shown (extent thresholds applied: it holds 0 outside the listed
  // clusters, so its own voxels cannot outline a brain), outlined by the map's search volume when
  // given, else by the background.
  const own = input.outline && Float32Array.from(input.outline, (v) => (v !== 0 && Number.isFinite(v) ? 1 : 0));
  const brain = glassBrain(
    input.map,
    input.threshold,
    input.twoSided,
    own ??
      (sameGrid(input.background, input.map) ? input.background.data : backgroundMask(input.map, input.background)),
  );
  const glass = layout.glass.map((g) => {
    const b = box(g);
    return { x: b.x, y: b.y, raster: glassPaneRaster(brain.views[g.axis]!, input.threshold, input.max, b.w, b.h) };
  });
  return [...slices, ...glass];
}
