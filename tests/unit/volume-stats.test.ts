import { describe, expect, it } from 'vitest';
import { volumeStats } from '../../src/analysis/stats';

describe('volumeStats', () => {
  it('min, max and counts over the finite voxels, with or without NaN and infinities', () => {
    expect(volumeStats(Float32Array.from([3, -2, NaN, 7, 0]))).toEqual({
      min: -2,
      max: 7,
      nanCount: 1,
      finiteCount: 4,
    });
    expect(volumeStats(Float32Array.from([3, Infinity, NaN, -Infinity, -1]))).toEqual({
      min: -1,
      max: 3,
      nanCount: 1,
      finiteCount: 2,
    });
    expect(volumeStats(Float32Array.from([Infinity, 2]))).toEqual({ min: 2, max: 2, nanCount: 0, finiteCount: 1 });
    expect(volumeStats(Float32Array.from([-Infinity, 2]))).toEqual({ min: 2, max: 2, nanCount: 0, finiteCount: 1 });
    expect(volumeStats(Float32Array.from([NaN, NaN]))).toEqual({ min: NaN, max: NaN, nanCount: 2, finiteCount: 0 });
    expect(volumeStats(Float32Array.from([Infinity, NaN]))).toEqual({
      min: NaN,
      max: NaN,
      nanCount: 1,
      finiteCount: 0,
    });
    expect(volumeStats(new Float32Array(0))).toEqual({ min: NaN, max: NaN, nanCount: 0, finiteCount: 0 });
  });
});
