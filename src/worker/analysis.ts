import type { BatchItem } from '../analysis/batch-stats';
import { ClusterIndex, type Pause } from '../analysis/cluster-index';
import { sparseClusterTable, type ClusterOptions } from '../analysis/clusters';
import type { SparseClusterTable } from '../analysis/clusters';
import { estimateSmoothness } from '../analysis/smoothness';
import type { MapStatistic } from '../analysis/statistic';
import { zConvertible, zMapSmoothness } from '../analysis/z-equivalent';
import type { Connectivity } from '../compute/engine';
import { differenceMap, type Difference } from '../analysis/difference';
import { sphereMeans, type RoiResult, type Sphere } from '../analysis/roi';
import { contributionMap, responseOf, signatureResponses, SignatureScorer, type Metric, type ResampleDirection, type SignatureResult } from '../analysis/signature';
import { isNiftiError, readNifti } from '../nifti';
import { CpuEngine } from '../compute/cpu/engine';
import type { Engine } from '../compute/engine';
import { chooseEngine, type EngineMode } from '../compute/select';
import type { ShaderSources } from '../compute/gpu/shaders';
import type { Remote } from 'comlink';
import type { PermutationEngine } from '../compute/permutation';
import type { AnalysisApi, AnalysisMap, EngineInfo, IndexHandover } from './analysis-api';
import { runGroupFiles, type GroupRun, type GroupSpec } from './group';
import { PermutationPool, type PermutationWorkerApi } from './permutation-pool';

/** A pooled permutation worker, as the worker file makes one. */
export interface PooledWorker {
  readonly api: Remote<PermutationWorkerApi>;
  terminate(): void;
}

/** A running group analysis tells the page this often (ms) how far it is. */
const GROUP_PROGRESS_MS = 250;

function permutationEngine(e: Engine): (Engine & PermutationEngine) | null {
  const c = e as Partial<PermutationEngine>;
  return typeof c.permutedT === 'function' && typeof c.permutationMaxima === 'function' && typeof c.tfce === 'function' ? (e as Engine & PermutationEngine) : null;
}

/** The analysis service, free of Worker globals (the worker file only exposes it). */
export class AnalysisService implements AnalysisApi {
  private engine: Engine = new CpuEngine();
  private readonly maps = new Map<number, AnalysisMap>();
  /** The batch's scorer, kept so the weights are resampled once per grid for the whole batch. */
  private scorer: SignatureScorer | null = null;
  /** Each map's threshold index: null while it is being built (tables come from labelling meanwhile). */

  constructor(
    private readonly gpu: GPU | undefined,
    private readonly shaders: () => Promise<ShaderSources>,
    private readonly transfer: <T>(value: T, buffers: ArrayBuffer[]) => T = (v) => v,
    /** Lets a worker answer messages while an index is built. */
    private readonly pause: Pause = () => Promise.resolve(),
    /** Workers for the CPU twin's permutations (the worker file makes them; none in Node). */
    private readonly permutationWorkers: () => PooledWorker[] = () => [],
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
    this.scorer = null;
  }

  async clusters(id: number, opts: ClusterOptions): Promise<SparseClusterTable> {
    const table = await sparseClusterTable(this.get(id), opts, this.engine);
    return this.transfer(table, [table.labels.voxels.buffer as ArrayBuffer, table.labels.index.buffer as ArrayBuffer]);
  }

  async clusterIndex(id: number, floor: number, connectivity: Connectivity, statistic?: MapStatistic | null): Promise<IndexHandover> {
    const map = this.get(id);
    const parts = (await ClusterIndex.build(map, floor, connectivity, this.pause)).parts();
    const conv = statistic ? zConvertible(statistic) : null;
    const zSmoothness = conv && typeof conv !== 'string' && conv.kind !== 'z' ? { statistic: conv, smoothness: zMapSmoothness(map, conv) } : null;
    const handover = { ...parts, smoothness: estimateSmoothness(map), zSmoothness };
    return this.transfer(handover, [parts.order, parts.absAt, parts.parent, parts.count, parts.sums, parts.peakPos, ...(parts.localMax ? [parts.localMax] : [])].map((a) => a.buffer as ArrayBuffer));
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

  private group: AbortController | null = null;

  async runGroup(files: Blob[], names: string[], spec: GroupSpec, onProgress: (done: number, total: number) => void): Promise<GroupRun> {
    this.group?.abort();
    const run = new AbortController();
    this.group = run;
    const own = permutationEngine(this.engine);
    const single = own ?? new CpuEngine();
    // The CPU twin's permutations spread over workers (a GPU engine keeps them on the GPU).
    const pool = single.kind === 'cpu' ? this.permutationWorkers() : [];
    const engine = pool.length >= 2 ? new PermutationPool(pool.map((w) => w.api), single) : single;
    const where = engine instanceof PermutationPool ? `, permutations across ${pool.length} workers` : ', in one worker';
    const note = own ? `${single.description}${where}` : `${single.description}${where}: the ${this.engine.description} engine has no permutation passes yet`;
    let last = 0;
    try {
      const out = await runGroupFiles(names.map((name, k) => ({ name, blob: files[k]! })), spec, engine, note, {
        signal: run.signal,
        onProgress: ({ done, total }) => {
          // A few messages a second, and always the last.
          if (done === total || performance.now() - last > GROUP_PROGRESS_MS) {
            last = performance.now();
            onProgress(done, total);
          }
        },
      });
      const maps = Object.values(out.result.maps).filter((m): m is Float32Array => !!m);
      return this.transfer(out, [...new Set(maps.map((m) => m.buffer as ArrayBuffer))]);
    } finally {
      if (this.group === run) this.group = null;
      for (const w of pool) w.terminate();
      if (single !== this.engine) single.dispose();
    }
  }

  cancelGroup(): void {
    this.group?.abort(new DOMException('The group analysis was cancelled', 'AbortError'));
  }

  private get(id: number): AnalysisMap {
    const m = this.maps.get(id);
    if (!m) throw new Error(`map ${id} is not loaded`);
    return m;
  }
}
