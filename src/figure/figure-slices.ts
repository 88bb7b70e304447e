import type { Grid, GridMap } from '../analysis/grid';
import { invertAffine } from '../nifti/affine';
import { LUTS, lutIndex } from './figure-colors';

/**
 * The slices of a figure and their pixels, without a DOM. Panes are drawn in world (mm) space in the
 * neurological convention, as nilearn's plot_stat_map: the subject's left on the left, anterior up
 * (axial) or to the right (sagittal), superior up.
 */
export type FigureView = 'axial' | 'coronal' | 'sagittal';

/** The world axis a view cuts across (x: sagittal, y: coronal, z: axial). */
export const VIEW_AXIS: Record<FigureView, 0 | 1 | 2> = { sagittal: 0, coronal: 1, axial: 2 };
/** The world axes of a pane: [left to right, bottom to top]. */
export const PLANE_AXES: Record<FigureView, readonly [0 | 1 | 2, 0 | 1 | 2]> = {
  axial: [0, 1],
  coronal: [0, 2],
  sagittal: [1, 2],
};
export const AXIS_LETTER = ['x', 'y', 'z'] as const;

export class FigureError extends Error {
  override readonly name = 'FigureError';
}

/** The voxel axis that runs most nearly along a world axis (k for axial in a plain RAS or LAS grid). */
export function voxelAxis(affine: readonly number[], worldAxis: 0 | 1 | 2): 0 | 1 | 2 {
  let best: 0 | 1 | 2 = 0;
  let bestShare = -1;
  for (const c of [0, 1, 2] as const) {
    const col = [affine[c]!, affine[4 + c]!, affine[8 + c]!];
    const share = Math.abs(col[worldAxis]!) / Math.hypot(...col);
    if (share > bestShare) [best, bestShare] = [c, share];
  }
  return best;
}

/** A slice: its voxel index along the view's voxel axis, and where it lies in mm along the view's world axis. */
export interface Slice {
  readonly index: number;
  readonly mm: number;
}

/** The world coordinate (mm) of slice `index`: its centre voxel's, through the affine. */
export function sliceMm(grid: Grid, view: FigureView, index: number): number {
  const w = VIEW_AXIS[view];
  const c = voxelAxis(grid.affine, w);
  const v = [(grid.dims[0] - 1) / 2, (grid.dims[1] - 1) / 2, (grid.dims[2] - 1) / 2];
  v[c] = index;
  const a = grid.affine;
  return a[4 * w]! * v[0]! + a[4 * w + 1]! * v[1]! + a[4 * w + 2]! * v[2]! + a[4 * w + 3]!;
}

/** Slices ordered by mm, low to high (inferior to superior, posterior to anterior, left to right). */
function ordered(grid: Grid, view: FigureView, indices: number[]): Slice[] {
  const unique = [...new Set(indices)];
  return unique.map((index) => ({ index, mm: sliceMm(grid, view, index) })).sort((a, b) => a.mm - b.mm);
}

/** The range of voxel indices along `axis` holding a finite non-zero value (the brain's extent). */
function extentAlong(grid: GridMap, axis: 0 | 1 | 2): [number, number] | null {
  const [nx, ny, nz] = grid.dims;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0, i = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let x = 0; x < nx; x++, i++) {
        const v = grid.data[i]!;
        if (v === 0 || !Number.isFinite(v)) continue;
        const t = axis === 0 ? x : axis === 1 ? j : k;
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * `count` slices evenly spaced through the background's brain, its first and last slice left out (as
 * nilearn spaces a mosaic's cuts within the image's bounds), each on a voxel of the background.
 * `within` (the map's search volume: its finite non-zero voxels) narrows the span to where it lies,
 * so a head template's scalp-only slices above and below the brain are left out.
 */
export function evenSlices(background: GridMap, view: FigureView, count: number, within?: GridMap): Slice[] {
  if (!(Number.isInteger(count) && count >= 1))
    throw new FigureError(`The number of slices must be a whole number of at least 1, not ${count}.`);
  const axis = voxelAxis(background.affine, VIEW_AXIS[view]);
  let [lo, hi] = extentAlong(background, axis) ?? [0, background.dims[axis] - 1];
  const span = within && mmExtent(within, view);
  if (span) {
    // The span in the background's slice indices (its axis may run either way), kept within its own.
    const first = sliceMm(background, view, 0);
    const step = sliceMm(background, view, 1) - first;
    const [a, b] = span.map((m) => (m - first) / step).sort((p, q) => p - q) as [number, number];
    const [nlo, nhi] = [Math.max(lo, Math.ceil(a - 1e-6)), Math.min(hi, Math.floor(b + 1e-6))];
    if (nlo <= nhi) [lo, hi] = [nlo, nhi];
  }
  const indices = Array.from({ length: count }, (_, k) => Math.round(lo + ((hi - lo) * (k + 1)) / (count + 1)));
  return ordered(background, view, indices);
}

/** The mm range along the view's axis where a map holds finite non-zero values, or null when it holds none. */
function mmExtent(map: GridMap, view: FigureView): [number, number] | null {
  const e = extentAlong(map, voxelAxis(map.affine, VIEW_AXIS[view]));
  return e && [sliceMm(map, view, e[0]), sliceMm(map, view, e[1])];
}

/** The background's slices nearest to the coordinates asked for (mm along the view's axis). */
export function slicesAtMm(background: Grid, view: FigureView, mm: readonly number[]): Slice[] {
  if (!mm.length) throw new FigureError('List at least one slice coordinate (mm).');
  const axis = voxelAxis(background.affine, VIEW_AXIS[view]);
  const first = sliceMm(background, view, 0);
  const step = sliceMm(background, view, 1) - first;
  const last = background.dims[axis] - 1;
  const indices = mm.map((c) => {
    const index = Math.round((c - first) / step);
    if (!Number.isFinite(c) || index < 0 || index > last) {
      const [a, b] = [first, sliceMm(background, view, last)].sort((p, q) => p - q);
      throw new FigureError(
        `${AXIS_LETTER[VIEW_AXIS[view]]} = ${c} mm is outside the background (${a!.toFixed(1)} to ${b!.toFixed(1)} mm).`,
      );
    }
    return index;
  });
  return ordered(background, view, indices);
}

/** A pane's world box: [min, max] mm along its horizontal and vertical axes. */
export interface PlaneBox {
  readonly h: readonly [number, number];
  readonly v: readonly [number, number];
}

/** The world box of the background's brain (its finite non-zero voxels, each half a voxel out) in a view's plane. */
export function planeBox(background: GridMap, view: FigureView): PlaneBox {
  const [ha, va] = PLANE_AXES[view];
  const a = background.affine;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  const box = [0, 1, 2].map(
    (ax): readonly [number, number] => extentAlong(background, ax as 0 | 1 | 2) ?? [0, background.dims[ax]! - 1],
  );
  // The corners of the voxel box of the brain, through the affine.
  for (let corner = 0; corner < 8; corner++) {
    const v = [0, 1, 2].map((ax) => ((corner >> ax) & 1 ? box[ax]![1] + 0.5 : box[ax]![0] - 0.5));
    for (let w = 0; w < 3; w++) {
      const m = a[4 * w]! * v[0]! + a[4 * w + 1]! * v[1]! + a[4 * w + 2]! * v[2]! + a[4 * w + 3]!;
      lo[w] = Math.min(lo[w]!, m);
      hi[w] = Math.max(hi[w]!, m);
    }
  }
  return { h: [lo[ha]!, hi[ha]!], v: [lo[va]!, hi[va]!] };
}

/** What a pane draws: the background's grey, and the thresholded map coloured as the page colours it. */
export interface PaneSource {
  readonly background: GridMap;
  /** The map as shown: 0 outside the listed clusters (so extent thresholds show). */
  readonly map: GridMap;
  readonly threshold: number;
  /** The colour scale's top (|value|). */
  readonly max: number;
  readonly twoSided: boolean;
  /** The background's grey scale: values at or below [0] are black, at or above [1] white. */
  readonly greyRange: readonly [number, number];
}

export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray;
}

/**
 * A pane's pixels (width x height, rows from the top) covering `box` in the plane at `mm` along the
 * view's axis. Each pixel samples its centre: the background trilinearly (its own grid, through its
 * affine), the map at its nearest voxel (so what is coloured is the voxels that passed, not a blur of
 * them). Pixels outside the background or where it is 0 stay transparent (the figure's colour shows).
 */
export function paneRaster(
  src: PaneSource,
  view: FigureView,
  mm: number,
  box: PlaneBox,
  width: number,
  height: number,
): Raster {
  const rgba = new Uint8ClampedArray(width * height * 4);
  const [ha, va] = PLANE_AXES[view];
  const wa = VIEW_AXIS[view];
  const bgInv = invertAffine(src.background.affine);
  const mapInv = invertAffine(src.map.affine);
  const [g0, g1] = src.greyRange;
  const gSpan = g1 > g0 ? g1 - g0 : 1;
  const p = [0, 0, 0];
  p[wa] = mm;
  for (let r = 0; r < height; r++) {
    p[va] = box.v[1] - ((r + 0.5) / height) * (box.v[1] - box.v[0]);
    for (let c = 0; c < width; c++) {
      p[ha] = box.h[0] + ((c + 0.5) / width) * (box.h[1] - box.h[0]);
      const o = 4 * (r * width + c);
      const b = trilinear(src.background, bgInv, p);
      if (b === null || b === 0) continue;
      const v = nearest(src.map, mapInv, p);
      if (v !== null && (v >= src.threshold || (src.twoSided && v <= -src.threshold))) {
        const t = LUTS[v > 0 ? 'warm' : 'winter'];
        const e = 3 * lutIndex(Math.abs(v), src.threshold, src.max);
        rgba.set([t[e]!, t[e + 1]!, t[e + 2]!, 255], o);
      } else {
        const grey = Math.round(255 * Math.min(1, Math.max(0, (b - g0) / gSpan)));
        rgba.set([grey, grey, grey, 255], o);
      }
    }
  }
  return { width, height, rgba };
}

function toVoxel(inv: Float64Array, p: readonly number[]): [number, number, number] {
  return [0, 1, 2].map(
    (r) => inv[4 * r]! * p[0]! + inv[4 * r + 1]! * p[1]! + inv[4 * r + 2]! * p[2]! + inv[4 * r + 3]!,
  ) as [number, number, number];
}

function nearest(g: GridMap, inv: Float64Array, p: readonly number[]): number | null {
  const [x, y, z] = toVoxel(inv, p).map(Math.round) as [number, number, number];
  const [nx, ny, nz] = g.dims;
  if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) return null;
  return g.data[x + nx * (y + ny * z)]!;
}

/** Trilinear within the grid (half a voxel beyond the edge voxels' centres counts as inside); null outside. */
function trilinear(g: GridMap, inv: Float64Array, p: readonly number[]): number | null {
  const v = toVoxel(inv, p);
  const [nx, ny, nz] = g.dims;
  if (v[0] < -0.5 || v[1] < -0.5 || v[2] < -0.5 || v[0] > nx - 0.5 || v[1] > ny - 0.5 || v[2] > nz - 0.5) return null;
  const x = Math.min(Math.max(v[0], 0), nx - 1);
  const y = Math.min(Math.max(v[1], 0), ny - 1);
  const z = Math.min(Math.max(v[2], 0), nz - 1);
  const x0 = Math.min(Math.floor(x), Math.max(nx - 2, 0));
  const y0 = Math.min(Math.floor(y), Math.max(ny - 2, 0));
  const z0 = Math.min(Math.floor(z), Math.max(nz - 2, 0));
  const fx = nx > 1 ? x - x0 : 0;
  const fy = ny > 1 ? y - y0 : 0;
  const fz = nz > 1 ? z - z0 : 0;
  const x1 = Math.min(x0 + 1, nx - 1);
  const y1 = Math.min(y0 + 1, ny - 1);
  const z1 = Math.min(z0 + 1, nz - 1);
  const at = (i: number, j: number, k: number): number => {
    const d = g.data[i + nx * (j + ny * k)]!;
    return Number.isFinite(d) ? d : 0;
  };
  const c00 = at(x0, y0, z0) * (1 - fx) + at(x1, y0, z0) * fx;
  const c10 = at(x0, y1, z0) * (1 - fx) + at(x1, y1, z0) * fx;
  const c01 = at(x0, y0, z1) * (1 - fx) + at(x1, y0, z1) * fx;
  const c11 = at(x0, y1, z1) * (1 - fx) + at(x1, y1, z1) * fx;
  return (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
}

/** The background's grey scale: from 0 (or its minimum, if negative) to the 99.5th percentile of its non-zero voxels. */
export function greyRange(background: GridMap): [number, number] {
  const vals: number[] = [];
  const d = background.data;
  // A sample of at most ~200k voxels is plenty for a percentile.
  const stride = Math.max(1, Math.floor(d.length / 200_000));
  let min = 0;
  for (let i = 0; i < d.length; i += stride) {
    const v = d[i]!;
    if (v !== 0 && Number.isFinite(v)) {
      vals.push(v);
      if (v < min) min = v;
    }
  }
  if (!vals.length) return [0, 1];
  vals.sort((a, b) => a - b);
  const top = vals[Math.min(vals.length - 1, Math.floor(GREY_TOP_PERCENTILE * vals.length))]!;
  return [min, top > min ? top : min + 1];
}

/** The background's brightest voxels (above this share of its non-zero voxels) are all white, as robust ranges do. */
const GREY_TOP_PERCENTILE = 0.995;
