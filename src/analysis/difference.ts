import { resampleTrilinear } from '../compute/cpu/resample';
import { describeGrid, sameGrid, voxelToVoxel, type GridMap } from './grid';

export interface Difference {
  /** b - a on a's grid; NaN where either map has no value. */
  readonly data: Float32Array;
  readonly resampled: boolean;
  readonly note: string | null;
}

/** post - pre (b - a) on a's grid, resampling b (trilinear, NaN kept, NaN outside its grid) when the grids differ. */
export function differenceMap(a: GridMap, b: GridMap): Difference {
  const same = sameGrid(a, b);
  const bOnA = same
    ? b.data
    : resampleTrilinear(
        { source: b.data, sourceDims: b.dims, targetDims: a.dims, targetToSource: voxelToVoxel(b.affine, a.affine) },
        'propagate',
        NaN,
      );
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = bOnA[i]! - a.data[i]!;
  return {
    data: out,
    resampled: !same,
    note: same
      ? null
      : `the second map was resampled (trilinear) from ${describeGrid(b)} into the first map's grid, ${describeGrid(a)}`,
  };
}
