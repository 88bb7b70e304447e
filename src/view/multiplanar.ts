/**
 * How a pane without a 3D tile lays out its three slices (pure geometry: tested in Node).
 */

/** NiiVue's SLICE_TYPE values (AXIAL, CORONAL, SAGITTAL), here without importing NiiVue. */
const AXIAL = 0;
const CORONAL = 1;
const SAGITTAL = 2;

/** A tile of the canvas (fractions: left, top, width, height); `sliceMM` fixes the slice it shows (a lightbox's). */
export type Tile = { sliceType: 0 | 1 | 2; position: [number, number, number, number]; sliceMM?: number };
export type Layout = { kind: 'row' | 'column'; scale: number } | { kind: 'custom'; scale: number; tiles: Tile[] };

/**
 * The layout of three slices (axial X x Y, coronal X x Z, sagittal Y x Z mm) that draws the smallest
 * of them largest on a w x h canvas: a row, a column, the axial slice large on the left with the
 * other two stacked on the right, or large on top with the other two side by side below.
 */
export function chooseLayout([x, y, z]: [number, number, number], w: number, h: number): Layout {
  const row: Layout = { kind: 'row', scale: Math.min(w / (2 * x + y), h / Math.max(y, z)) };
  const column: Layout = { kind: 'column', scale: Math.min(w / Math.max(x, y), h / (y + 2 * z)) };
  // Large on the left: split the width where both sides draw at one scale, or, when the pair on the
  // right is held by its height, give the large slice what the pair cannot use.
  const pairScale = h / 2 / z;
  const m = Math.max(x, y);
  const f = Math.min(0.7, Math.max(0.3, x / (x + m), 1 - (pairScale * m) / w));
  const left: Layout = {
    kind: 'custom',
    scale: Math.min(Math.min((f * w) / x, h / y), Math.min(((1 - f) * w) / Math.max(x, y), pairScale)),
    tiles: [
      { sliceType: AXIAL, position: [0, 0, f, 1] },
      { sliceType: CORONAL, position: [f, 0, 1 - f, 0.5] },
      { sliceType: SAGITTAL, position: [f, 0.5, 1 - f, 0.5] },
    ],
  };
  // Large on top: the pair below, half the width each.
  const pairTop = w / 2 / Math.max(x, y);
  const g = Math.min(0.7, Math.max(0.3, y / (y + z), 1 - (pairTop * z) / h));
  const top: Layout = {
    kind: 'custom',
    scale: Math.min(Math.min(w / x, (g * h) / y), Math.min(((1 - g) * h) / z, pairTop)),
    tiles: [
      { sliceType: AXIAL, position: [0, 0, 1, g] },
      { sliceType: CORONAL, position: [0, g, 0.5, 1 - g] },
      { sliceType: SAGITTAL, position: [0.5, g, 0.5, 1 - g] },
    ],
  };
  return [row, column, left, top].reduce((a, b) => (b.scale > a.scale * 1.02 ? b : a));
}

/**
 * The layout as tiles (fractions of the canvas, left, top, width, height): NiiVue's own row and
 * column fill the whole canvas, colour bars included, so every layout is handed over as tiles that
 * stay within the top `usable` share of the canvas. Given the canvas's size (w x h px), each tile is
 * the slice's own size at the layout's one scale, centred in its cell: NiiVue fits a slice to its
 * tile, so a roomier cell would draw that slice larger than the others (a millimetre is one size in
 * all three, as in FSLeyes).
 */
export function layoutTiles(
  layout: Layout,
  [x, y, z]: [number, number, number],
  usable: number,
  size?: { w: number; h: number },
): Tile[] {
  const tiles: Tile[] =
    layout.kind === 'custom'
      ? layout.tiles
      : layout.kind === 'row'
        ? [
            { sliceType: AXIAL, position: [0, 0, x / (2 * x + y), 1] },
            { sliceType: CORONAL, position: [x / (2 * x + y), 0, x / (2 * x + y), 1] },
            { sliceType: SAGITTAL, position: [(2 * x) / (2 * x + y), 0, y / (2 * x + y), 1] },
          ]
        : [
            { sliceType: AXIAL, position: [0, 0, 1, y / (y + 2 * z)] },
            { sliceType: CORONAL, position: [0, y / (y + 2 * z), 1, z / (y + 2 * z)] },
            { sliceType: SAGITTAL, position: [0, (y + z) / (y + 2 * z), 1, z / (y + 2 * z)] },
          ];
  const mm: Record<0 | 1 | 2, [number, number]> = { [AXIAL]: [x, y], [CORONAL]: [x, z], [SAGITTAL]: [y, z] };
  return tiles.map((t) => {
    const [l, top, cw, ch] = [t.position[0], t.position[1] * usable, t.position[2], t.position[3] * usable];
    if (!size) return { sliceType: t.sliceType, position: [l, top, cw, ch] };
    const [sw, sh] = mm[t.sliceType];
    const tw = Math.min(cw, (sw * layout.scale) / size.w);
    const th = Math.min(ch, (sh * layout.scale) / size.h);
    return { sliceType: t.sliceType, position: [l + (cw - tw) / 2, top + (ch - th) / 2, tw, th] };
  });
}

/** A lightbox: this many axial slices (rows times columns of NiiVue's mosaic, which it replaces). */
export const LIGHTBOX_ROWS = 3;
export const LIGHTBOX_COLUMNS = 5;
/**
 * The share of the background's height (an MNI box runs from the neck to above the scalp) left out
 * below and above: slices of neck or scalp alone show nothing of the map.
 */
const LIGHTBOX_SKIP_BELOW = 0.25;
const LIGHTBOX_SKIP_ABOVE = 0.2;

/** Evenly spaced axial slices (whole mm) through the background's z extent, leaving out neck and scalp. */
export function lightboxSlices(zMin: number, zMax: number, n = LIGHTBOX_ROWS * LIGHTBOX_COLUMNS): number[] {
  const lo = zMin + (zMax - zMin) * LIGHTBOX_SKIP_BELOW;
  const hi = zMax - (zMax - zMin) * LIGHTBOX_SKIP_ABOVE;
  return Array.from({ length: n }, (_, k) => Math.round(lo + ((hi - lo) * k) / (n - 1)));
}

/**
 * A lightbox as tiles: the axial slices `z` (mm) in the grid (columns x rows) that draws them
 * largest on a w x h canvas whose top `usable` share is free of colour bars, centred across, from
 * the top. NiiVue's mosaic would fill the whole canvas and run its last row under the colour bars.
 */
export function lightboxTiles(
  z: readonly number[],
  [x, y]: [number, number, number],
  w: number,
  h: number,
  usable: number,
): Tile[] {
  const n = z.length;
  const room = h * usable;
  let best = { columns: 1, scale: 0 };
  for (let c = 1; c <= n; c++) {
    const scale = Math.min(w / (c * x), room / (Math.ceil(n / c) * y));
    if (scale > best.scale * 1.0001) best = { columns: c, scale };
  }
  const { columns, scale } = best;
  const cw = (x * scale) / w;
  const ch = (y * scale) / h;
  const left = (1 - columns * cw) / 2;
  return z.map((mm, k) => ({
    sliceType: AXIAL,
    position: [left + (k % columns) * cw, Math.floor(k / columns) * ch, cw, ch],
    sliceMM: mm,
  }));
}
