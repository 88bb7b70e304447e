import type { ZConvertible } from './z-equivalent';

/** (4 ln 2): a FWHM of 1 in resel units has this roughness (Worsley et al. 1996). */
const FOUR_LN2 = 4 * Math.LN2;

/**
 * Resels of a search volume of `volume` voxels with smoothness DLH: R3 = V / (FWHMx FWHMy FWHMz) =
 * V DLH / (4 ln 2)^(3/2), the volume in resels FSL's smoothest reports (V / RESELS) and SPM's R(4).
 */
export function volumeResels(volume: number, dlh: number): number {
  return (volume * dlh) / FOUR_LN2 ** 1.5;
}

/**
 * The 3-dimensional Euler characteristic density rho_3(u) of a field with unit FWHM (Worsley et al.
 * 1996, Hum Brain Mapp 4:58, Table 2; SPM's spm_ECdensity): a Gaussian field (z), and Student's t
 * with v df, rho_3 = (4 ln 2)^(3/2) (2 pi)^-2 ((v - 1) u^2 / v - 1) (1 + u^2 / v)^(-(v - 1) / 2).
 * An F-field has its own density, not done here (callers give no p for F).
 */
export function ecDensity3(u: number, s: ZConvertible): number {
  const front = FOUR_LN2 ** 1.5 / (2 * Math.PI) ** 2;
  if (s.kind === 'z') return front * (u * u - 1) * Math.exp((-u * u) / 2);
  if (s.kind === 't') {
    const v = s.df;
    return front * (((v - 1) * u * u) / v - 1) * Math.exp((-(v - 1) / 2) * Math.log1p((u * u) / v));
  }
  throw new RangeError('the F-field Euler characteristic density is not implemented');
}

/**
 * Peak-level FWE p by random field theory, as SPM's spm_P_RF(1, 0, u, df, STAT, R, 1) with the resel
 * counts the map's DLH and volume give, R = [0, 0, 0, R3]: the expected Euler characteristic of the
 * excursion set above the peak's height, E[chi] = R3 rho_3(u), and P(max >= u) = 1 - exp(-E[chi])
 * (Poisson clumping). SPM adds R0..R2 terms from the search region's shape (its mask's surface),
 * which a DLH and a voxel count do not give; they matter little at peak heights (u > 4). For a z-map
 * E[chi] equals FSL's expected number of clusters at u (src/analysis/grf.ts), as it should.
 * Null for an F-map (its density is not implemented here). Clamped to [0, 1] (rho_3 < 0 below u = 1).
 */
export function peakFweP(peak: number, s: ZConvertible, dlh: number, volume: number): number | null {
  if (s.kind === 'f') return null;
  const u = Math.abs(peak);
  // Below u = 1 (u^2 (v - 1) / v = 1 for t) the density is negative: the approximation says nothing there.
  const polynomial = s.kind === 'z' ? u * u - 1 : ((s.df - 1) * u * u) / s.df - 1;
  if (!(polynomial > 0)) return 1;
  // exp(-u^2 / 2) underflows to 0 past u 38: p is 0 there, as it should be.
  return Math.min(1, -Math.expm1(-volumeResels(volume, dlh) * ecDensity3(u, s)));
}
