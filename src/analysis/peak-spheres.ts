import { BERRY_ROI_RADIUS_MM } from './constants';
import type { Sphere } from './roi';

/** A clusters document that spheres cannot be made from. */
export class ClusterDocumentError extends Error {
  override readonly name = 'ClusterDocumentError';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A sphere at each cluster's peak (SPEC "Study statistics"; Berry et al. 2021's 4 mm spheres), named
 * `cluster N` by the cluster's index. Takes the document `siglens clusters --json` or `siglens group
 * --json` printed (both list `clusters: [{index, peak: {mm: [x, y, z]}}]`), in the table's order.
 */
export function spheresFromClusters(doc: unknown, radiusMm: number = BERRY_ROI_RADIUS_MM): Sphere[] {
  if (!(Number.isFinite(radiusMm) && radiusMm > 0))
    throw new ClusterDocumentError(`the sphere radius must be above 0 mm, not ${radiusMm}`);
  const clusters = isRecord(doc) ? doc.clusters : undefined;
  if (!Array.isArray(clusters))
    throw new ClusterDocumentError(
      'not a clusters document: it has no clusters list (the JSON of siglens clusters or group)',
    );
  return clusters.map((c: unknown, k) => {
    const peak = isRecord(c) && isRecord(c.peak) ? c.peak.mm : undefined;
    if (!Array.isArray(peak) || peak.length !== 3 || !peak.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new ClusterDocumentError(`cluster ${k + 1} of the document has no peak.mm [x, y, z]`);
    }
    const index = isRecord(c) && Number.isInteger(c.index) ? (c.index as number) : k + 1;
    return { name: `cluster ${index}`, center: [peak[0], peak[1], peak[2]] as [number, number, number], radiusMm };
  });
}
