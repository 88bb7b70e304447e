/** Range and NaN count of a map, over its finite voxels (what `siglens info` reports). */
export interface VolumeStats {
  readonly min: number;
  readonly max: number;
  readonly nanCount: number;
  readonly finiteCount: number;
}

export function volumeStats(data: Float32Array): VolumeStats {
  const s = new StatsAccumulator();
  s.add(data);
  return s.result();
}

/**
 * volumeStats over a map that arrives in pieces, in order (a frame decoded while its file is
 * inflated): the same numbers as volumeStats of the whole, for min and max keep the first of equal
 * values (0 before -0 where 0 came first), as one pass over the whole does.
 */
export class StatsAccumulator {
  private min = Infinity;
  private max = -Infinity;
  private nanCount = 0;
  private finiteCount = 0;

  add(data: Float32Array): void {
    const s = piece(data);
    if (s.min < this.min) this.min = s.min;
    if (s.max > this.max) this.max = s.max;
    this.nanCount += s.nanCount;
    this.finiteCount += s.finiteCount;
  }

  result(): VolumeStats {
    const { nanCount, finiteCount } = this;
    return finiteCount
      ? { min: this.min, max: this.max, nanCount, finiteCount }
      : { min: NaN, max: NaN, nanCount, finiteCount };
  }
}

/** One piece's finite min and max (Infinity and -Infinity where it has no finite value), NaN and finite counts. */
function piece(data: Float32Array): VolumeStats {
  // The usual map has no infinity: one pass, where a value within the range so far (most of them, soon)
  // costs one test of two comparisons; NaN fails both, and is counted below.
  let min = Infinity;
  let max = -Infinity;
  let nanCount = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v >= min && v <= max) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    if (Number.isNaN(v)) nanCount++;
  }
  if (min !== -Infinity && max !== Infinity) return { min, max, nanCount, finiteCount: data.length - nanCount };
  return pieceSkippingInfinities(data);
}

/** min and max over the finite values alone, when the piece holds an infinity. */
function pieceSkippingInfinities(data: Float32Array): VolumeStats {
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
  return { min, max, nanCount, finiteCount };
}
