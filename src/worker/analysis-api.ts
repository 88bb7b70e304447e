import type { BatchItem } from '../analysis/batch-stats';
import type { ClusterOptions } from '../analysis/clusters';
import type { IndexParts } from '../analysis/cluster-index';
import type { Smoothness } from '../analysis/smoothness';
import type { MapStatistic } from '../analysis/statistic';
import type { ZConvertible } from '../analysis/z-equivalent';
import type { SparseClusterTable } from '../analysis/clusters';
import type { Connectivity } from '../compute/engine';
import type { Difference } from '../analysis/difference';
import type { RoiResult, Sphere } from '../analysis/roi';
import type { Metric, ResampleDirection, SignatureResult } from '../analysis/signature';
import type { EngineMode } from '../compute/select';
import type { GroupRun, GroupSpec, ModelChoices } from './group';
import type { GlmRun } from './group-glm';

/** A map as the analysis worker holds it (a copy; the page keeps its own for display). */
export interface AnalysisMap {
  readonly id: number;
  readonly name: string;
  readonly data: Float32Array;
  readonly dims: [number, number, number];
  readonly affine: number[];
  readonly pixdim: [number, number, number];
}

/**
 * The index, the map's smoothness, and, for a t- or F-map with its df, the smoothness of its
 * z-equivalent (what GRF uses: src/analysis/z-equivalent.ts) with the statistic it was had through.
 */
export type IndexHandover = IndexParts & {
  readonly smoothness: Smoothness;
  readonly zSmoothness: { readonly statistic: ZConvertible; readonly smoothness: Smoothness } | null;
};

export interface EngineInfo {
  readonly kind: 'cpu' | 'gpu';
  readonly description: string;
  readonly reason: string;
}

/** The analyses the page asks for; the engine (WebGPU or CPU) runs in the worker, never on the page's thread. */
export interface AnalysisApi {
  init(mode: EngineMode): Promise<EngineInfo>;
  addMap(map: AnalysisMap): void;
  removeMap(id: number): void;
  /** The table, with its labels as the labelled voxels only (the page never holds a label volume). */
  clusters(id: number, opts: ClusterOptions): Promise<SparseClusterTable>;
  /**
   * Builds a threshold index of a map (pausing for other requests) and hands it to the page, which
   * then reads tables from it without a round trip; the smoothness estimate comes along.
   */
  clusterIndex(
    id: number,
    floor: number,
    connectivity: Connectivity,
    statistic?: MapStatistic | null,
  ): Promise<IndexHandover>;
  roi(ids: number[], spheres: Sphere[]): Promise<RoiResult[][]>;
  signature(weightsId: number, ids: number[], metric: Metric, direction: ResampleDirection): Promise<SignatureResult[]>;
  contribution(weightsId: number, id: number): Promise<Float32Array>;
  difference(preId: number, postId: number): Promise<Difference>;
  /** Reads one file of a batch here, scores it and forgets it: a batch never holds more than one map. */
  scoreFile(file: Blob, name: string, weightsId: number, metric: Metric, spheres: Sphere[]): Promise<BatchItem>;
  /**
   * A group analysis of the files (read here one subject at a time) with permutation inference;
   * `onProgress` hears permutations done of the total a few times a second. One run at a time.
   */
  runGroup(
    files: Blob[],
    names: string[],
    spec: GroupSpec,
    onProgress: (done: number, total: number) => void,
  ): Promise<GroupRun>;
  /** The same with a model from participants.tsv (covariates, an effect, groups): each contrast's and F-test's maps and FWE p. */
  runGroupModel(
    files: Blob[],
    names: string[],
    spec: GroupSpec,
    model: ModelChoices,
    onProgress: (done: number, total: number) => void,
  ): Promise<GlmRun>;
  /** Stops the group run between permutation batches (each a fraction of a second): it rejects with an AbortError. */
  cancelGroup(): void;
}
