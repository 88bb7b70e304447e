/** Range and NaN count of a map, over its finite voxels (what `siglens info` reports). */
export interface VolumeStats {
  readonly min: number;
  readonly max: number;
  readonly nanCount: number;
  readonly finiteCount: number;
}

export function volumeStats(data: Float32Array): VolumeStats {
  // The usual map has no infinity: one pass with two comparisons (NaN fails both) and a NaN test.
  let min = Infinity;
  let max = -Infinity;
  let nanCount = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (Number.isNaN(v)) nanCount++;
  }
  if (min !== -Infinity && max !== Infinity) {
    const finiteCount = data.length - nanCount;
    return finiteCount ? { min, max, nanCount, finiteCount } : { min: NaN, max: NaN, nanCount, finiteCount };
  }
  return statsSkippingInfinities(data);
}

/** min and max over the finite values alone, when the map holds an infinity. */
function statsSkippingInfinities(data: Float32Array): VolumeStats {
  let min = Infinity;
  let max = -Infinity;
  let nanCount = 0;
  let finiteCount = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isNaN(v)) nanCount++;
    else if (v !== Infinity && v !== -Infinity) {
      finiteCount++;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return finiteCount ? { min, max, nanCount, finiteCount } : { min: NaN, max: NaN, nanCount, finiteCount };
}
