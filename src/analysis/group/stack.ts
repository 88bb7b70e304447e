import type { GroupStack, MaskGeometry } from '../../compute/permutation';
import type { SizedGrid } from '../grid';
import { GroupError } from './design';

/** How far two maps' affines may differ (mm) and still be one grid. */
const GRID_TOLERANCE_MM = 1e-4;

/** A subject's map, as the stack takes it. */
export interface MapInput extends SizedGrid {
  readonly name: string;
  readonly data: Float32Array;
  /**
   * Its values at the listed grid voxels alone (out[k] = voxel at[k]), where a map can give them
   * without `data` (a file's map decoded there alone: the stack wants a later map only where the
   * first subject's are valid). With it, `voxels` gives the map's size and `data` is not read.
   */
  readonly valuesAt?: (at: Uint32Array, out: Float32Array) => void;
  readonly voxels?: number;
}

/**
 * Collects the subjects' maps one at a time: checks each is on the first map's grid, narrows SPM's
 * implicit mask (finite and non-zero in every map), and keeps each subject's values (a paired
 * subject's post - pre) at the voxels the first subject's maps leave (`at`: no later map can widen the
 * mask, so a subject's values are a fifth of the grid's, not the whole grid's fresh pages). `finish`
 * compacts them to the analysed voxels.
 */
export class StackBuilder {
  private grid: (SizedGrid & { name: string }) | null = null;
  /** The grid voxels kept for (the first subject's valid ones), and whether each is still in the mask. */
  private at: Uint32Array | null = null;
  private inMask: Uint8Array | null = null;
  private readonly values: (Float32Array | null)[] = [];

  /** The next subject, one map (one-sample, two-sample): its values where the mask may still be. */
  add(map: MapInput): void {
    this.take(map, null);
  }

  /** The next paired subject: both maps narrow the mask, and post - pre (float32, as the maps are) is kept. */
  addPair(pre: MapInput, post: MapInput): void {
    this.take(pre, post);
  }

  /** One subject's maps: each narrows the mask, and its value (the map, or post - pre) is kept at `at`. */
  private take(first: MapInput, post: MapInput | null): void {
    this.checkGrid(first);
    if (post) this.checkGrid(post);
    const at = (this.at ??= validVoxels(first.data, (post ?? first).data));
    const m = (this.inMask ??= new Uint8Array(at.length).fill(1));
    const a = this.gather(first, 0);
    const b = post ? this.gather(post, 1) : a;
    const out = new Float32Array(at.length);
    for (let k = 0; k < at.length; k++) {
      const x = a[k]!;
      const y = b[k]!;
      if (!(x !== 0 && x - x === 0 && y !== 0 && y - y === 0)) m[k] = 0;
      out[k] = post ? y - x : x;
    }
    this.values.push(out);
  }

  /** Two places per kept voxel, for a subject's maps' values there (reused subject to subject). */
  private scratch: [Float32Array, Float32Array] | null = null;

  /** A map's values at `at`, into scratch place `i`. */
  private gather(map: MapInput, i: 0 | 1): Float32Array {
    const at = this.at!;
    this.scratch ??= [new Float32Array(at.length), new Float32Array(at.length)];
    const out = this.scratch[i];
    if (map.valuesAt) map.valuesAt(at, out);
    else {
      const data = map.data;
      for (let k = 0; k < at.length; k++) out[k] = data[at[k]!]!;
    }
    return out;
  }

  get subjects(): number {
    return this.values.length;
  }

  get gridOf(): SizedGrid & { name: string } {
    if (!this.grid) throw new GroupError('TOO_FEW', 'no map was read');
    return this.grid;
  }

  private checkGrid(map: MapInput): void {
    const size = map.dims[0] * map.dims[1] * map.dims[2];
    const length = map.valuesAt ? map.voxels : map.data.length;
    if (length !== size) throw new RangeError(`${map.name}: ${length} values for a ${map.dims.join('x')} grid`);
    if (!this.grid) {
      this.grid = { name: map.name, dims: [...map.dims], affine: [...map.affine], pixdim: [...map.pixdim] };
      return;
    }
    const g = this.grid;
    const sameDims = g.dims.every((n, k) => n === map.dims[k]);
    const sameAffine = g.affine.every((a, k) => Math.abs(a - map.affine[k]!) <= GRID_TOLERANCE_MM);
    if (!sameDims || !sameAffine) {
      throw new GroupError(
        'GRID_MISMATCH',
        `${map.name} is not on the grid of ${g.name} (${map.dims.join('x')} vs ${g.dims.join('x')}${sameDims ? ', different voxel-to-mm affines' : ''}); resample the maps to one grid first`,
      );
    }
  }

  /**
   * The analysed voxels: the implicit mask, within `mask` when given (its non-zero finite voxels, on
   * the same grid), less the voxels whose observed variance is 0 (no t). Two-sample: `labels` gives
   * the groups, and the variance is the pooled one.
   */
  finish(
    mask: MapInput | null,
    labels: Uint8Array | null,
  ): { stack: GroupStack; geometry: MaskGeometry; zeroVariance: number } {
    const grid = this.gridOf;
    const at = this.at!;
    const inMask = this.inMask!;
    const n = this.subjects;
    const vals = this.values.map((v, i) => {
      if (!v || v.length !== at.length) throw new RangeError(`subject ${i} has no values`);
      return v;
    });
    if (mask) {
      this.checkGrid(mask);
      for (let k = 0; k < at.length; k++)
        if (!(mask.data[at[k]!] !== 0 && Number.isFinite(mask.data[at[k]!]!))) inMask[k] = 0;
    }
    // Kept voxels' places in `at`, the variance decided voxel by voxel as withinVariance says.
    const keep = new Int32Array(at.length);
    let m = 0;
    const groups = labels ?? new Uint8Array(n);
    for (let k = 0; k < at.length; k++)
      if (inMask[k] && withinVariance(vals, groups, labels !== null, k) > 0) keep[m++] = k;
    let inside = 0;
    for (let k = 0; k < at.length; k++) inside += inMask[k]!;
    const zeroVariance = inside - m;
    if (m === 0)
      throw new GroupError(
        'NO_VOXELS',
        'no voxel is finite and non-zero in every map (and in the mask) with a variance above 0',
      );
    const voxelIndex = new Uint32Array(m);
    for (let j = 0; j < m; j++) voxelIndex[j] = at[keep[j]!]!;
    const values = new Float32Array(n * m);
    for (let i = 0; i < n; i++) {
      const src = vals[i]!;
      const row = values.subarray(i * m, (i + 1) * m);
      for (let j = 0; j < m; j++) row[j] = src[keep[j]!]!;
      this.values[i] = null;
    }
    return { stack: { subjects: n, voxels: m, values }, geometry: { dims: grid.dims, voxelIndex }, zeroVariance };
  }
}

/** The grid voxels where both maps (or the one, given twice) are finite and non-zero. */
function validVoxels(a: Float32Array, b: Float32Array): Uint32Array {
  const valid = (v: number): boolean => {
    const x = a[v]!;
    const y = b[v]!;
    return x !== 0 && x - x === 0 && y !== 0 && y - y === 0;
  };
  // Counted, then listed: no growing array of a fifth of the grid.
  let count = 0;
  for (let v = 0; v < a.length; v++) if (valid(v)) count++;
  const out = new Uint32Array(count);
  for (let v = 0, j = 0; v < a.length; v++) if (valid(v)) out[j++] = v;
  return out;
}

/**
 * Sum of squares about each group's mean (one group: about the mean), two-pass in float64. One
 * group (no labels) is summed without the groups' tests, in the same order and arithmetic.
 */
function withinVariance(vals: readonly Float32Array[], groups: Uint8Array, two: boolean, v: number): number {
  if (!two) {
    let s = 0;
    for (let i = 0; i < vals.length; i++) s += vals[i]![v]!;
    const mean = s / vals.length;
    let ss = 0;
    for (let i = 0; i < vals.length; i++) ss += (vals[i]![v]! - mean) ** 2;
    return ss;
  }
  let ss = 0;
  for (let g = 0; g <= 1; g++) {
    let s = 0;
    let k = 0;
    for (let i = 0; i < vals.length; i++) if (groups[i] === g) (s += vals[i]![v]!), k++;
    if (k === 0) continue;
    const mean = s / k;
    for (let i = 0; i < vals.length; i++) if (groups[i] === g) ss += (vals[i]![v]! - mean) ** 2;
  }
  return ss;
}
