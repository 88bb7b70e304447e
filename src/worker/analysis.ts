import type { BatchItem } from '../analysis/batch';
import { ClusterIndex, type Pause } from '../analysis/cluster-index';
import { clusterTable, type ClusterOptions } from '../analysis/clusters';
import { sparseTable, type SparseClusterTable } from '../analysis/sparse-labels';
import { INDEX_FLOOR } from '../analysis/constants';
import { differenceMap, type Difference } from '../analysis/difference';
import { sphereMeans, type RoiResult, type Sphere } from '../analysis/roi';
import { contributionMap, responseOf, signatureResponses, SignatureScorer, type Metric, type ResampleDirection, type SignatureResult } from '../analysis/signature';
import { isNiftiError, readNifti } from '../nifti';
import { CpuEngine } from '../compute/cpu/engine';
import type { Engine } from '../compute/engine';
import { chooseEngine, type EngineMode } from '../compute/select';
import type { ShaderSources } from '../compute/gpu/shaders';
import type { AnalysisApi, AnalysisMap, EngineInfo } from './analysis-api';

/** The analysis service, free of Worker globals (the worker file only exposes it). */
export class AnalysisService implements AnalysisApi {
  private engine: Engine = new CpuEngine();
  private readonly maps = new Map<number, AnalysisMap>();
  /** The batch's scorer, kept so the weights are resampled once per grid for the whole batch. */
  private scorer: SignatureScorer | null = null;
  /** Each map's threshold index: null while it is being built (tables come from labelling meanwhile). */
  private readonly lastThreshold = new Map<number, number>();
  private readonly indexes = new Map<number, { floor: number; connectivity: ClusterOptions['connectivity']; index: ClusterIndex | null }>();

  constructor(
    private readonly gpu: GPU | undefined,
    private readonly shaders: () => Promise<ShaderSources>,
    private readonly transfer: <T>(value: T, buffers: ArrayBuffer[]) => T = (v) => v,
    /** Lets a worker answer messages while an index is built. */
    private readonly pause?: Pause,
  ) {}

  async init(mode: EngineMode): Promise<EngineInfo> {
    this.engine.dispose();
    const choice = await chooseEngine(mode, this.gpu, this.shaders);
    this.engine = choice.engine;
    return { kind: choice.engine.kind, description: choice.engine.description, reason: choice.reason };
  }

  addMap(map: AnalysisMap): void {
    this.maps.set(map.id, map);
  }

  removeMap(id: number): void {
    this.maps.delete(id);
    this.indexes.delete(id);
    this.lastThreshold.delete(id);
    this.scorer = null;
  }

  /**
   * A map's first tables come from labelling on the engine. Once its threshold moves, an index of the
   * map is built in the background, and the thresholds it covers are then read from it (the same
   * table, in milliseconds rather than a labelling's tens of milliseconds at 2 mm).
   */
  async clusters(id: number, opts: ClusterOptions): Promise<SparseClusterTable> {
    const map = this.get(id);
    const known = this.indexes.get(id);
    const index = known?.index;
    const table = index?.covers(opts) ? index.sparseTable(opts) : sparseTable(await clusterTable(map, opts, this.engine));
    // Built once a map's threshold moves (not on load, where it would take cores from the first view).
    const moved = this.lastThreshold.get(id) !== undefined && this.lastThreshold.get(id) !== opts.threshold;
    this.lastThreshold.set(id, opts.threshold);
    const planned = known && known.connectivity === opts.connectivity && Math.fround(opts.threshold) >= Math.fround(known.floor);
    if (this.pause && moved && !planned && opts.threshold > 0) void this.buildIndex(id, map, Math.min(opts.threshold, INDEX_FLOOR), opts.connectivity).catch(() => undefined);
    return this.transfer(table, [table.labels.voxels.buffer as ArrayBuffer, table.labels.index.buffer as ArrayBuffer]);
  }

  private async buildIndex(id: number, map: AnalysisMap, floor: number, connectivity: ClusterOptions['connectivity']): Promise<void> {
    const entry = { floor, connectivity, index: null as ClusterIndex | null };
    this.indexes.set(id, entry);
    const index = await ClusterIndex.build(map, floor, connectivity, this.pause);
    // Kept only if the map is still loaded and no other index was asked for meanwhile.
    if (this.indexes.get(id) === entry && this.maps.get(id) === map) entry.index = index;
  }

  async roi(ids: number[], spheres: Sphere[]): Promise<RoiResult[][]> {
    return ids.map((id) => sphereMeans(this.get(id), spheres));
  }

  async signature(weightsId: number, ids: number[], metric: Metric, direction: ResampleDirection): Promise<SignatureResult[]> {
    return signatureResponses(this.get(weightsId), ids.map((id) => this.get(id)), metric, direction, this.engine);
  }

  async contribution(weightsId: number, id: number): Promise<Float32Array> {
    const out = await contributionMap(this.get(weightsId), this.get(id), this.engine);
    return this.transfer(out, [out.buffer as ArrayBuffer]);
  }

  async difference(preId: number, postId: number): Promise<Difference> {
    const d = differenceMap(this.get(preId), this.get(postId));
    return this.transfer(d, [d.data.buffer as ArrayBuffer]);
  }

  async scoreFile(file: Blob, name: string, weightsId: number, metric: Metric, spheres: Sphere[]): Promise<BatchItem> {
    const w = this.get(weightsId);
    if (this.scorer?.weights !== w) this.scorer = new SignatureScorer(w, 'weights-to-data', this.engine);
    try {
      const img = await readNifti(file, { name });
      const map = { name, data: img.frame(0), dims: img.dims, affine: Array.from(img.affine) };
      const r = responseOf(await this.scorer.score(map), metric);
      return { file: name, value: r.value, voxels: r.voxels, rois: sphereMeans(map, spheres) };
    } catch (e) {
      return { file: name, value: null, voxels: 0, rois: [], error: isNiftiError(e) ? e.reason : e instanceof Error ? e.message : String(e) };
    }
  }

  private get(id: number): AnalysisMap {
    const m = this.maps.get(id);
    if (!m) throw new Error(`map ${id} is not loaded`);
    return m;
  }
}
