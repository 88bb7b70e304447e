import { describe, expect, it } from 'vitest';
import { clusterP, expectedClusters, minimumClusterSize } from '../../src/analysis/grf';
import { normalCdf, normalSf } from '../../src/analysis/normal';
import { estimateSmoothness } from '../../src/analysis/smoothness';
import { mulberry32 } from '../helpers/volumes';

describe('GRF cluster p-values (Friston et al. 1994, as FSL)', () => {
  const params = { threshold: 2.3, dlh: 0.700797, volume: 38344 };

  it("reproduces the SPEC's checked values", () => {
    expect(clusterP(521, params) / 6.02e-20).toBeCloseTo(1, 2);
    expect(clusterP(167, params) / 1.7e-8).toBeCloseTo(1, 1);
    expect(clusterP(43, params)).toBeCloseTo(0.017, 3);
  });

  it('keeps tiny p-values that 1 - exp(-y) would round to 0', () => {
    expect(clusterP(521, params)).toBeGreaterThan(0);
    expect(1 - Math.exp(-expectedClusters(params) * 1e-30)).toBe(0);
  });

  it('finds the smallest cluster size below alpha', () => {
    const k = minimumClusterSize(0.05, params);
    expect(clusterP(k, params)).toBeLessThan(0.05);
    expect(clusterP(k - 1, params)).toBeGreaterThanOrEqual(0.05);
  });
});

describe('the normal distribution in float64', () => {
  // Values from scipy.stats.norm.sf (python3-scipy 1.10).
  const SF: [number, number][] = [
    [0, 0.5],
    [1.9, 0.028716559816001803],
    [2.3, 0.010724110021675809],
    [3.090232306167813, 0.001],
    [5, 2.866515718791933e-7],
    [8, 6.22096057427174e-16],
    [10, 7.61985302416047e-24],
  ];
  for (const [x, p] of SF) {
    it(`sf(${x}) = ${p}`, () => {
      expect(Math.abs(normalSf(x) - p)).toBeLessThanOrEqual(p * 1e-12);
      expect(Math.abs(normalCdf(-x) - p)).toBeLessThanOrEqual(p * 1e-12);
    });
  }
});

describe('smoothness estimated from the map (as FSL smoothest does for a z-map)', () => {
  it('recovers the FWHM of white noise smoothed with a known Gaussian', () => {
    const dims: [number, number, number] = [64, 64, 64];
    const n = dims[0] * dims[1] * dims[2];
    const rnd = mulberry32(3);
    let data = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      // Box-Muller
      data[i] = Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
    }
    const sigma = 2;
    const radius = 8;
    const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) =>
      Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)),
    );
    const norm = Math.sqrt(kernel.reduce((a, b) => a + b * b, 0));
    const steps = [1, dims[0], dims[0] * dims[1]];
    for (let axis = 0; axis < 3; axis++) {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const c = Math.floor(i / steps[axis]!) % dims[axis]!;
        let s = 0;
        for (let k = -radius; k <= radius; k++) {
          const cc = (c + k + dims[axis]!) % dims[axis]!; // periodic: no edge effects
          s += kernel[k + radius]! * data[i + (cc - c) * steps[axis]!]!;
        }
        out[i] = s / norm;
      }
      data = out;
    }
    const est = estimateSmoothness({
      data,
      dims,
      pixdim: [2, 2, 2],
      affine: [-2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1],
    });
    const fwhm = sigma * Math.sqrt(8 * Math.LN2);
    for (const f of est.fwhmVoxels) expect(Math.abs(f - fwhm) / fwhm).toBeLessThan(0.05);
    expect(est.fwhmMm[0]).toBeCloseTo(est.fwhmVoxels[0] * 2, 10);
    expect(est.volume).toBe(n);
    expect(est.dlh).toBeCloseTo(
      (4 * Math.LN2) ** 1.5 / (est.fwhmVoxels[0] * est.fwhmVoxels[1] * est.fwhmVoxels[2]),
      12,
    );
  });
});
