import { spheresFromClusters } from '../../analysis/peak-spheres';
import type { Sphere } from '../../analysis/roi';

/** What a table needs to give for spheres at its peaks. */
export interface PeakRow {
  readonly index: number;
  readonly peak: { readonly mm: readonly [number, number, number] };
}

/**
 * Spheres made from a table's peaks are named so: `cluster N`, as `batch --spheres-from` names them,
 * with the atlas region at the peak after it when an atlas is open (`cluster 1 (Precentral_L)`).
 */
const PEAK_SPHERE = /^cluster \d+( \(.*\))?$/;

/**
 * The ROI list with a sphere at each of `clusters`' peaks (as `siglens batch --spheres-from` makes
 * them), replacing the spheres an earlier click made; the user's own spheres stay. `regions`, when
 * an atlas is open, names the region at each cluster's peak (in the clusters' order).
 */
export function withPeakSpheres(
  spheres: readonly Sphere[],
  clusters: readonly PeakRow[],
  radiusMm: number,
  regions?: readonly string[] | null,
): Sphere[] {
  const made = spheresFromClusters(
    { clusters: clusters.map((c) => ({ index: c.index, peak: { mm: [...c.peak.mm] } })) },
    radiusMm,
  );
  const named = regions ? made.map((m, i) => (regions[i] ? { ...m, name: `${m.name} (${regions[i]})` } : m)) : made;
  return [...spheres.filter((s) => !PEAK_SPHERE.test(s.name)), ...named];
}
