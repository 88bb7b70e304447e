/** sqrt(8 ln 2): FWHM = sigma * this. */
const FWHM_PER_SIGMA = Math.sqrt(8 * Math.LN2);

export interface Smoothness {
  /** DLH = (4 ln 2)^1.5 / (FWHMx FWHMy FWHMz in voxels), FSL's smoothness figure. */
  readonly dlh: number;
  /** Search volume: voxels in the mask (finite, non-zero). */
  readonly volume: number;
  /** FWHM per axis, in voxels and in mm. */
  readonly fwhmVoxels: [number, number, number];
  readonly fwhmMm: [number, number, number];
  /** Size of one resel in voxels (FWHMx FWHMy FWHMz), and the search volume in resels. */
  readonly reselSize: number;
  readonly resels: number;
}

/**
 * Smoothness of a z-map from its lag-1 spatial autocorrelation along each axis, within its non-zero
 * mask, as FSL's smoothest does for a z-statistic: rho = sum z(v) z(v-e) / sum (z(v)^2 + z(v-e)^2)/2
 * over neighbouring pairs in the mask, sigma^2 = -1 / (4 ln rho), FWHM = sqrt(8 ln 2) sigma.
 * (For a Gaussian field, 1 - rho is half the variance of the first difference: the derivative method.)
 */
export function estimateSmoothness(data: Float32Array, dims: readonly [number, number, number], pixdim: readonly number[]): Smoothness {
  // It depends on the map alone, and a threshold slider asks for it on every change: compute it once.
  const known = estimated.get(data);
  if (known && known.pixdim.every((p, i) => p === pixdim[i])) return known.smoothness;
  const smoothness = estimate(data, dims, pixdim);
  estimated.set(data, { pixdim: [...pixdim], smoothness });
  return smoothness;
}

const estimated = new WeakMap<Float32Array, { pixdim: number[]; smoothness: Smoothness }>();

/** Records an estimate made elsewhere (another thread, on its copy of the same map). */
export function rememberSmoothness(data: Float32Array, pixdim: readonly number[], smoothness: Smoothness): void {
  estimated.set(data, { pixdim: [...pixdim], smoothness });
}

function estimate(data: Float32Array, dims: readonly [number, number, number], pixdim: readonly number[]): Smoothness {
  const [nx, ny, nz] = dims;
  const inMask = (v: number): boolean => v !== 0 && v - v === 0;
  const cross = [0, 0, 0];
  const square = [0, 0, 0];
  const steps = [1, nx, nx * ny];
  let volume = 0;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const v = data[i]!;
        if (!inMask(v)) continue;
        volume++;
        const has = [x > 0, y > 0, z > 0];
        for (let a = 0; a < 3; a++) {
          if (!has[a]) continue;
          const u = data[i - steps[a]!]!;
          if (!inMask(u)) continue;
          cross[a] += v * u;
          square[a] += 0.5 * (v * v + u * u);
        }
      }
    }
  }
  const fwhmVoxels = [0, 1, 2].map((a) => {
    const rho = square[a]! > 0 ? cross[a]! / square[a]! : 0;
    // No positive correlation means no smoothness to measure: report the field as white (FWHM 0).
    if (!(rho > 0) || rho >= 1) return rho >= 1 ? Infinity : 0;
    return FWHM_PER_SIGMA * Math.sqrt(-1 / (4 * Math.log(rho)));
  }) as [number, number, number];
  const reselSize = fwhmVoxels[0] * fwhmVoxels[1] * fwhmVoxels[2];
  return {
    dlh: (4 * Math.LN2) ** 1.5 / reselSize,
    volume,
    fwhmVoxels,
    fwhmMm: [fwhmVoxels[0] * Math.abs(pixdim[0]!), fwhmVoxels[1] * Math.abs(pixdim[1]!), fwhmVoxels[2] * Math.abs(pixdim[2]!)],
    reselSize,
    resels: volume / reselSize,
  };
}
