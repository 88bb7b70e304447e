import { normalSf } from './normal';

/** Gamma(D/2 + 1) for D = 3 dimensions: Gamma(2.5) = 3 sqrt(pi) / 4. */
const GAMMA_2_5 = (3 * Math.sqrt(Math.PI)) / 4;

export interface GrfParams {
  /** The cluster-forming threshold u (z). */
  readonly threshold: number;
  /** Smoothness: DLH = (4 ln 2)^1.5 / (FWHMx FWHMy FWHMz in voxels). */
  readonly dlh: number;
  /** Search volume in voxels. */
  readonly volume: number;
}

/** Expected number of clusters above u in 3D (Friston et al. 1994, as FSL computes it). */
export function expectedClusters({ threshold: u, dlh, volume }: GrfParams): number {
  return volume * dlh * (2 * Math.PI) ** -2 * (u * u - 1) * Math.exp((-u * u) / 2);
}

/** P(a cluster of k or more voxels) under Gaussian random field theory, in float64. */
export function clusterP(k: number, p: GrfParams): number {
  const em = expectedClusters(p);
  const beta = ((GAMMA_2_5 * em) / (p.volume * normalSf(p.threshold))) ** (2 / 3);
  // 1 - exp(-y) loses everything below 1e-16; -expm1(-y) keeps p-values like 6e-20.
  return -Math.expm1(-em * Math.exp(-beta * k ** (2 / 3)));
}

/** The smallest cluster size (voxels) with clusterP < alpha: the extent threshold for "GRF p < alpha". */
export function minimumClusterSize(alpha: number, p: GrfParams): number {
  let k = 1;
  while (clusterP(k, p) >= alpha && k < 1e9) k = k < 1024 ? k + 1 : Math.ceil(k * 1.01);
  if (k <= 1024) return k;
  // Refine the coarse step back down to the exact size.
  let lo = Math.floor(k / 1.01);
  while (clusterP(lo, p) < alpha) lo--;
  return lo + 1;
}
