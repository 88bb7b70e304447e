import type { Remote } from 'comlink';
import { ClusterIndex } from '../../analysis/cluster-index';
import type { ClusterOptions } from '../../analysis/clusters';
import { INDEX_FLOOR, PAGE_QUERY_MAX_VOXELS } from '../../analysis/constants';
import { rememberSmoothness } from '../../analysis/smoothness';
import { rememberZSmoothness } from '../../analysis/z-equivalent';
import type { SparseClusterTable } from '../../analysis/clusters';
import type { AnalysisApi } from '../../worker/analysis-api';
import type { MapEntry } from '../maps/maps';

interface Entry {
  lastThreshold: number;
  /** What was asked of the worker; index is null until it arrives. */
  floor: number;
  connectivity: ClusterOptions['connectivity'];
  index: ClusterIndex | null;
}

/**
 * Threshold indexes held by the page. A map's first tables come from the worker's labelling; once the
 * map is drawn (`prepare`), or when its threshold moves past what is covered, the worker builds an
 * index of it (src/analysis/cluster-index.ts) and hands it over, and tables at the thresholds it
 * covers are then read here: milliseconds, and no round trip to a worker, whose reply can wait behind
 * the page's own rendering on a busy machine.
 */
export class PageIndexes {
  private readonly entries = new WeakMap<MapEntry, Entry>();

  constructor(private readonly api: Remote<AnalysisApi>) {}

  /** The table from this map's index when one covers the options cheaply enough; else null. */
  table(map: MapEntry, opts: ClusterOptions): SparseClusterTable | null {
    const e = this.entries.get(map);
    const index = e?.index;
    const table =
      index?.covers(opts) && index.voxelsAbove(opts.threshold) <= PAGE_QUERY_MAX_VOXELS
        ? index.sparseTable(opts)
        : null;
    if (e && e.lastThreshold !== opts.threshold && !covered(e, opts) && opts.threshold > 0) this.request(map, e, opts);
    if (e) e.lastThreshold = opts.threshold;
    else
      this.entries.set(map, {
        lastThreshold: opts.threshold,
        floor: Infinity,
        connectivity: opts.connectivity,
        index: null,
      });
    return table;
  }

  /** Asks for an index of the map now, unless one covering these options is held or on its way. */
  prepare(map: MapEntry, opts: ClusterOptions): void {
    const e = this.entries.get(map) ?? {
      lastThreshold: opts.threshold,
      floor: Infinity,
      connectivity: opts.connectivity,
      index: null,
    };
    this.entries.set(map, e);
    if (!covered(e, opts) && opts.threshold > 0) this.request(map, e, opts);
  }

  private request(map: MapEntry, e: Entry, opts: ClusterOptions): void {
    e.floor = Math.min(opts.threshold, INDEX_FLOOR);
    e.connectivity = opts.connectivity;
    e.index = null;
    const { floor, connectivity } = e;
    this.api.clusterIndex(map.id, floor, connectivity, opts.statistic).then(
      (handover) => {
        // Kept only if nothing else was asked for this map meanwhile.
        if (e.floor !== floor || e.connectivity !== connectivity) return;
        const v = map.volume;
        rememberSmoothness(v, handover.smoothness);
        if (handover.zSmoothness)
          rememberZSmoothness(v.data, handover.zSmoothness.statistic, handover.zSmoothness.smoothness);
        e.index = ClusterIndex.fromParts({ data: v.data, dims: v.dims, affine: v.affine, pixdim: v.pixdim }, handover);
        // Queries now, while the reader looks: the page compiles the query's loops here rather than
        // on the first move of the threshold (a cold first query took 90 ms at 2 mm, warm ones 5).
        // The second, at the floor, visits every indexed voxel, in a task of its own.
        // Warm-up queries, their tables dropped: no extent, which at the floor could be a GRF extent
        // that GRF withholds there (GrfUnavailableError) and is not what compiles the loops anyway.
        const index = e.index;
        const warm = { ...opts, extent: { kind: 'none' } as const };
        index.sparseTable({ ...warm, threshold: Math.max(opts.threshold, floor) });
        if (floor < opts.threshold)
          setTimeout(() => e.index === index && index.sparseTable({ ...warm, threshold: floor }));
      },
      // No index: tables keep coming from the worker's labelling.
      () => undefined,
    );
  }
}

/** Whether the index asked for (or held) answers these options. */
function covered(e: Entry, opts: ClusterOptions): boolean {
  return e.connectivity === opts.connectivity && Math.fround(opts.threshold) >= Math.fround(e.floor);
}
