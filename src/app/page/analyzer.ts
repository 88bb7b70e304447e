import type { Remote } from 'comlink';
import type { SparseClusterTable } from '../../analysis/clusters';
import type { RoiResult, Sphere } from '../../analysis/roi';
import type { SignatureResult } from '../../analysis/signature';
import type { Difference } from '../../analysis/difference';
import type { Volume } from '../../nifti';
import type { AnalysisApi } from '../../worker/analysis-api';
import { isStatMap, type MapEntry } from '../maps/maps';
import { PageIndexes } from './page-indexes';
import type { HeightControl } from '../../analysis/height';
import { heightThreshold, pageHeight } from './height';
import { clusterOptions, mapThreshold, type ThresholdSettings } from '../../analysis/threshold-settings';
import type { CompareSettings, SignatureSettings } from './settings';

export interface AnalysisInput {
  readonly maps: readonly MapEntry[];
  readonly selectedId: number | null;
  readonly settings: ThresholdSettings;
  readonly compare: CompareSettings;
  readonly signature: SignatureSettings;
  readonly spheres: readonly Sphere[];
}

export interface AnalysisResults {
  /** The stat maps on screen with their tables, in pane order. */
  readonly shown: { entry: MapEntry; table: SparseClusterTable; role: 'single' | 'pre' | 'post' }[];
  readonly threshold: number;
  /** The height FDR or Bonferroni gave (from the first shown map), in those modes. */
  readonly height: HeightControl | null;
  /** Maps the ROI and signature tables list (every map but anatomy and the weights). */
  readonly columns: MapEntry[];
  readonly roi: RoiResult[][];
  readonly signature: SignatureResult[];
  readonly difference: Volume | null;
  readonly differenceNote: string | null;
  readonly contribution: Volume | null;
}

/** Which maps are compared, when the comparison is on and both maps exist. */
export function comparedPair(input: Pick<AnalysisInput, 'maps' | 'compare'>): [MapEntry, MapEntry] | null {
  const c = input.compare;
  const pre = input.maps.find((m) => m.id === c.preId);
  const post = input.maps.find((m) => m.id === c.postId);
  return c.on && pre && post && pre !== post ? [pre, post] : null;
}

/** The analyses besides the cluster tables, and the inputs they were asked for. */
interface Others {
  readonly key: string;
  readonly values: Promise<[RoiResult[][], SignatureResult[], Difference | null, Float32Array | null]>;
}

/**
 * Runs every analysis the page shows: cluster tables from the page's threshold indexes where they
 * cover the threshold, everything else through the worker. Only the latest request's results are
 * delivered: a slider dragged across ten values computes at most twice and never shows a stale table.
 */
export class Analyzer {
  private latest = 0;
  private others: Others | null = null;
  private lastTables: { key: string; entries: MapEntry[]; tables: SparseClusterTable[] } | null = null;

  private readonly indexes: PageIndexes;

  constructor(private readonly api: Remote<AnalysisApi>) {
    this.indexes = new PageIndexes(api);
  }

  /** Indexes of the maps shown (the worker builds them in the background): threshold changes are then read on the page. */
  prepareIndexes(results: AnalysisResults, settings: ThresholdSettings): void {
    for (const s of results.shown)
      this.indexes.prepare(s.entry, clusterOptions(settings, results.shown[0]?.entry.kind, results.threshold));
  }

  /** Drops the request in flight: its results, when they come, are not delivered. */
  cancel(): void {
    this.latest++;
  }

  async run(input: AnalysisInput): Promise<AnalysisResults | null> {
    const ticket = ++this.latest;
    const stale = (): boolean => ticket !== this.latest;
    const pair = comparedPair(input);
    const selected = input.maps.find((m) => m.id === input.selectedId && isStatMap(m));
    const shown = shownEntries(pair, selected);
    const target = shown[0]?.entry.kind;
    const height = pageHeight(input.settings, shown[0]?.entry);
    const threshold = height ? heightThreshold(height) : mapThreshold(input.settings, target);
    const opts = clusterOptions(input.settings, target, threshold);
    const columns = input.maps.filter((m) => isStatMap(m) && m.id !== input.signature.weightsId);
    const others = this.otherAnalyses(input, columns, pair, selected);
    const tables = await this.clusterTables(shown, opts, stale);
    if (stale()) return null;
    let values: Awaited<Others['values']>;
    try {
      values = await others.values;
    } catch (e) {
      if (this.others === others) this.others = null;
      throw e;
    }
    const [roi, signature, diff, contribution] = values;
    if (stale()) return null;
    return {
      shown: shown.map((s, k) => ({ ...s, table: tables[k]! })),
      threshold,
      height,
      columns,
      roi,
      signature,
      difference: diff && pair ? differenceVolume(diff, pair) : null,
      differenceNote: diff?.note ?? null,
      contribution: contribution && selected ? contributionVolume(contribution, selected) : null,
    };
  }

  /**
   * ROI means, signature responses, the difference and the contribution map. They do not depend on the
   * threshold: a threshold change reuses the request already made and waits for the cluster table alone.
   */
  private otherAnalyses(
    input: AnalysisInput,
    columns: readonly MapEntry[],
    pair: [MapEntry, MapEntry] | null,
    selected: MapEntry | undefined,
  ): Others {
    const weightsId = input.signature.weightsId;
    const ids = columns.map((m) => m.id);
    const withContribution =
      weightsId !== null && input.signature.showContribution && selected && !pair && selected.id !== weightsId
        ? selected
        : null;
    const key = JSON.stringify([
      columns.map((m) => [m.id, m.volume.frame]),
      input.spheres,
      input.signature,
      pair?.map((m) => m.id),
      input.compare.showDifference,
      withContribution?.id,
    ]);
    if (this.others?.key !== key) {
      const values = Promise.all([
        ids.length && input.spheres.length ? this.api.roi(ids, [...input.spheres]) : Promise.resolve([]),
        weightsId !== null && ids.length
          ? this.api.signature(weightsId, ids, input.signature.metric, input.signature.direction)
          : Promise.resolve([]),
        pair && input.compare.showDifference ? this.api.difference(pair[0].id, pair[1].id) : Promise.resolve(null),
        withContribution && weightsId !== null
          ? this.api.contribution(weightsId, withContribution.id)
          : Promise.resolve(null),
      ]);
      // A request overtaken by a newer one may never await these: no unhandled rejection then.
      values.catch(() => undefined);
      this.others = { key, values };
    }
    return this.others;
  }

  /**
   * The shown maps' cluster tables. The same maps at the same settings keep their tables (another map
   * opened or removed changes nothing they show), so the panes see the same arrays and redraw nothing.
   */
  private async clusterTables(
    shown: readonly ShownEntry[],
    opts: ReturnType<typeof clusterOptions>,
    stale: () => boolean,
  ): Promise<SparseClusterTable[]> {
    const tablesKey = JSON.stringify(opts);
    const last = this.lastTables;
    const same =
      last &&
      last.key === tablesKey &&
      last.entries.length === shown.length &&
      last.entries.every((e, k) => e === shown[k]!.entry);
    const tables = same
      ? last.tables
      : await Promise.all(shown.map((s) => this.indexes.table(s.entry, opts) ?? this.api.clusters(s.entry.id, opts)));
    if (!same && !stale()) this.lastTables = { key: tablesKey, entries: shown.map((s) => s.entry), tables };
    return tables;
  }
}

type ShownEntry = { entry: MapEntry; role: 'single' | 'pre' | 'post' };

/** The stat maps on screen, in pane order: the compared pair, else the selected map, else none. */
function shownEntries(pair: [MapEntry, MapEntry] | null, selected: MapEntry | undefined): ShownEntry[] {
  if (pair)
    return [
      { entry: pair[0], role: 'pre' },
      { entry: pair[1], role: 'post' },
    ];
  return selected ? [{ entry: selected, role: 'single' }] : [];
}

/** The post - pre map on the pre map's grid, named for what it holds; its intent no longer the pre map's statistic. */
function differenceVolume(diff: Difference, [pre, post]: [MapEntry, MapEntry]): Volume {
  return {
    ...pre.volume,
    name: `${post.volume.name} - ${pre.volume.name}`,
    data: diff.data,
    intent: { ...pre.volume.intent, code: 0, kind: 'none', name: 'post-pre' },
  };
}

/** The voxelwise w x map of the selected map under the signature's weights. */
function contributionVolume(contribution: Float32Array, selected: MapEntry): Volume {
  return {
    ...selected.volume,
    name: 'w x',
    data: contribution,
    intent: { ...selected.volume.intent, code: 0, kind: 'none', name: 'w*x' },
  };
}
