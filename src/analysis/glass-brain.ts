import { voxelToVoxel, type Grid, type GridMap } from './grid';

/**
 * A glass brain (nilearn's plot_glass_brain, SPM's MIP): maximum-intensity projections of the
 * thresholded map along each axis, over the projection of a brain mask as its outline. Computed here,
 * free of the DOM; the UI only paints the images.
 */

/** Which voxel axis a projection collapses: 0 (x: a sagittal view), 1 (y: coronal), 2 (z: axial). */
export type ProjectionAxis = 0 | 1 | 2;

/**
 * The maximum-intensity projection along `axis`, in voxel order: the remaining axes with the lower
 * one fastest (x then y for axis 2; x then z for axis 1; y then z for axis 0). A voxel counts when it
 * passes the threshold (v >= t; two-sided also v <= -t); the projection keeps the largest value (two-
 * sided: the largest |value|, its sign kept; ties: the first along the axis). NaN where none passes.
 * Equal to numpy's max along the axis of the map with failing voxels masked out.
 */
export function maxProjection(
  data: Float32Array,
  dims: readonly [number, number, number],
  axis: ProjectionAxis,
  threshold: number,
  twoSided: boolean,
): Float32Array {
  const [nx, ny, nz] = dims;
  const [w, h] = axis === 0 ? [ny, nz] : axis === 1 ? [nx, nz] : [nx, ny];
  const best = new Float32Array(w * h).fill(NaN);
  const bestAbs = new Float64Array(w * h).fill(-1);
  const t = Math.fround(threshold);
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const v = data[i]!;
        if (!(v >= t || (twoSided && v <= -t))) continue;
        const a = twoSided ? Math.abs(v) : v;
        const p = axis === 0 ? y + ny * z : axis === 1 ? x + nx * z : x + nx * y;
        if (bestAbs[p]! < 0 || a > bestAbs[p]!) {
          bestAbs[p] = a;
          best[p] = v;
        }
      }
    }
  }
  return best;
}

/** The projection of a mask (> 0: inside) along `axis`, in the same order: 1 where any voxel is inside. */
export function maskProjection(
  mask: Float32Array | Uint8Array,
  dims: readonly [number, number, number],
  axis: ProjectionAxis,
): Uint8Array {
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(axis === 0 ? ny * nz : axis === 1 ? nx * nz : nx * ny);
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (mask[i]! > 0) out[axis === 0 ? y + ny * z : axis === 1 ? x + nx * z : x + nx * y] = 1;
      }
    }
  }
  return out;
}

/** One view of the glass brain, oriented for the eye: row 0 at the top, column 0 at the left. */
export interface GlassView {
  readonly axis: ProjectionAxis;
  /** 'sagittal' (anterior to the right), 'coronal' (the subject's left on the left), 'axial' (anterior up, left on the left). */
  readonly name: 'sagittal' | 'coronal' | 'axial';
  readonly width: number;
  readonly height: number;
  /** Pixel size in mm (horizontal, vertical), so the views keep the brain's proportions. */
  readonly mm: [number, number];
  /** The projection's values, NaN where nothing passes the threshold. */
  readonly values: Float32Array;
  /** 0 outside the brain, 1 inside, 2 on its outline (an inside pixel with an outside 4-neighbour). */
  readonly outline: Uint8Array;
}

/**
 * The anatomical direction at each edge of a view (left, right, top, bottom of the image), as the
 * views are oriented (mm increase rightwards and upwards: neurological, the subject's left on the left).
 */
export const GLASS_EDGES: Readonly<Record<GlassView['name'], readonly [string, string, string, string]>> = {
  sagittal: ['P', 'A', 'S', 'I'],
  coronal: ['L', 'R', 'S', 'I'],
  axial: ['L', 'R', 'A', 'P'],
};

export interface GlassBrain {
  readonly views: GlassView[];
  /** The largest |value| shown (for the colour scale), 0 when nothing passes. */
  readonly maxAbs: number;
}

/**
 * The three views of a thresholded map. `mask` (same grid) outlines the brain: a template's brain
 * (values > 0) or, without one, the map's own finite non-zero voxels. Axes are taken as the affine's
 * (an oblique map is shown along its voxel axes); each view is flipped so that mm increase rightwards
 * and upwards, except the sagittal's horizontal axis (anterior to the right) which is the same rule.
 */
export function glassBrain(map: GridMap<Grid>, threshold: number, twoSided: boolean, mask?: Float32Array): GlassBrain {
  const { data, dims, affine } = map;
  const inside = mask ?? Uint8Array.from(data, (v) => (v !== 0 && Number.isFinite(v) ? 1 : 0));
  // Which way each voxel axis runs in mm (the sign of the affine's entry on its dominant row).
  const sign = [0, 1, 2].map((c) => {
    const col = [affine[c]!, affine[4 + c]!, affine[8 + c]!];
    const row = col.map(Math.abs).indexOf(Math.max(...col.map(Math.abs)));
    return col[row]! < 0 ? -1 : 1;
  });
  const size = [0, 1, 2].map((c) => Math.hypot(affine[c]!, affine[4 + c]!, affine[8 + c]!));
  let maxAbs = 0;
  const views = ([0, 1, 2] as const).map((axis): GlassView => {
    const [u, v] = axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1];
    const w = dims[u]!;
    const h = dims[v]!;
    const raw = maxProjection(data, dims, axis, threshold, twoSided);
    const rawMask = maskProjection(inside, dims, axis);
    const values = new Float32Array(w * h);
    const filled = new Uint8Array(w * h);
    for (let b = 0; b < h; b++) {
      for (let a = 0; a < w; a++) {
        const col = sign[u]! > 0 ? a : w - 1 - a;
        const row = sign[v]! > 0 ? h - 1 - b : b;
        const src = a + w * b;
        values[col + w * row] = raw[src]!;
        filled[col + w * row] = rawMask[src]!;
        const x = Math.abs(raw[src]!);
        if (x > maxAbs) maxAbs = x;
      }
    }
    return {
      axis,
      name: axis === 0 ? 'sagittal' : axis === 1 ? 'coronal' : 'axial',
      width: w,
      height: h,
      mm: [size[u]!, size[v]!],
      values,
      outline: outlineOf(filled, w, h),
    };
  });
  return { views, maxAbs };
}

/** Inside pixels become 1, or 2 where a 4-neighbour is outside (or off the image). */
function outlineOf(filled: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = x + w * y;
      if (!filled[i]) continue;
      const edge =
        x === 0 ||
        y === 0 ||
        x === w - 1 ||
        y === h - 1 ||
        !filled[i - 1] ||
        !filled[i + 1] ||
        !filled[i - w] ||
        !filled[i + w];
      out[i] = edge ? 2 : 1;
    }
  }
  return out;
}

/**
 * A mask on `grid` from a background on another grid: 1 where the background's nearest voxel to the
 * grid voxel's centre (through both affines) is above 0. The figure outlines the brain with it.
 */
export function backgroundMask(grid: Grid, background: GridMap<Grid>): Float32Array {
  const m = voxelToVoxel(background.affine, grid.affine);
  const [nx, ny, nz] = grid.dims;
  const [bx, by, bz] = background.dims;
  const out = new Float32Array(nx * ny * nz);
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const u = Math.round(m[0]! * x + m[1]! * y + m[2]! * z + m[3]!);
        const v = Math.round(m[4]! * x + m[5]! * y + m[6]! * z + m[7]!);
        const w = Math.round(m[8]! * x + m[9]! * y + m[10]! * z + m[11]!);
        if (u >= 0 && v >= 0 && w >= 0 && u < bx && v < by && w < bz && background.data[u + bx * (v + by * w)]! > 0)
          out[i] = 1;
      }
    }
  }
  return out;
}
