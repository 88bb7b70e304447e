import { spheresFromClusters } from '../analysis/peak-spheres';
import type { Sphere } from '../analysis/roi';

/** What a table needs to give for spheres at its peaks. */
export interface PeakRow {
  readonly index: number;
  readonly peak: { readonly mm: readonly [number, number, number] };
}

/** Spheres made from a table's peaks are named so (`cluster N`, as `batch --spheres-from` names them). */
const PEAK_SPHERE = /^cluster \d+$/;

/**
 * The ROI list with a sphere at each of `clusters`' peaks (as `siglens batch --spheres-from` makes
 * them), replacing the spheres an earlier click made; the user's own spheres stay.
 */
export function withPeakSpheres(spheres: readonly Sphere[], clusters: readonly PeakRow[], radiusMm: number): Sphere[] {
  const made = spheresFromClusters({ clusters: clusters.map((c) => ({ index: c.index, peak: { mm: [...c.peak.mm] } })) }, radiusMm);
  return [...spheres.filter((s) => !PEAK_SPHERE.test(s.name)), ...made];
}
