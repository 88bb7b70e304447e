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
import {
  contributionMap,
  responseOf,
  signatureResponses,
  SignatureScorer,
  type Metric,
  type ResampleDirection,
  type SignatureResult,
} from '../analysis/signature';
import { isNiftiError, readNifti } from '../nifti';
import { CpuEngine } from '../compute/cpu/engine';
import type { Engine } from '../compute/engine';
import { chooseEngine, type EngineMode } from '../compute/select';
import type { ShaderSources } from '../compute/gpu/shaders';
import type { Remote } from 'comlink';
import type { PermutationEngine } from '../compute/permutation';
import type { AnalysisApi, AnalysisMap, EngineInfo, IndexHandover } from './analysis-api';
import type { GlmEngine } from '../compute/glm';
import { runGroupFiles, type GroupRun, type GroupSpec, type ModelChoices } from './group';
import { runGlmFiles, type GlmRun } from './group-glm';
import { PermutationPool, type PermutationWorkerApi } from './permutation-pool';

/** A pooled permutation worker, as the worker file makes one. */
export interface PooledWorker {
  readonly api: Remote<PermutationWorkerApi>;
  terminate(): void;
}

/** A running group analysis tells the page this often (ms) how far it is. */
const GROUP_PROGRESS_MS = 250;

type GroupControl = { onProgress: (p: { done: number; total: number }) => void; signal: AbortSignal };

const named = (files: Blob[], names: string[]) => names.map((name, k) => ({ name, blob: files[k]! }));

function glmEngine(e: Engine): (Engine & GlmEngine) | null {
  const c = e as Partial<GlmEngine>;
  return typeof c.glmStat === 'function' && typeof c.glmMaxima === 'function' ? (e as Engine & GlmEngine) : null;
}

function permutationEngine(e: Engine): (Engine & PermutationEngine) | null {
  const c = e as Partial<PermutationEngine>;
  return typeof c.permutedT === 'function' && typeof c.permutationMaxima === 'function' && typeof c.tfce === 'function'
    ? (e as Engine & PermutationEngine)
    : null;
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

  async clusterIndex(
    id: number,
    floor: number,
    connectivity: Connectivity,
    statistic?: MapStatistic | null,
  ): Promise<IndexHandover> {
    const map = this.get(id);
    const parts = (await ClusterIndex.build(map, floor, connectivity, this.pause)).parts();
    const conv = statistic ? zConvertible(statistic) : null;
    const zSmoothness =
      conv && typeof conv !== 'string' && conv.kind !== 'z'
        ? { statistic: conv, smoothness: zMapSmoothness(map, conv) }
        : null;
    const handover = { ...parts, smoothness: estimateSmoothness(map), zSmoothness };
    return this.transfer(
      handover,
      [
        parts.order,
        parts.absAt,
        parts.parent,
        parts.count,
        parts.sums,
        parts.peakPos,
        ...(parts.localMax ? [parts.localMax] : []),
      ].map((a) => a.buffer as ArrayBuffer),
    );
  }

  async roi(ids: number[], spheres: Sphere[]): Promise<RoiResult[][]> {
    return ids.map((id) => sphereMeans(this.get(id), spheres));
  }

  async signature(
    weightsId: number,
    ids: number[],
    metric: Metric,
    direction: ResampleDirection,
  ): Promise<SignatureResult[]> {
    return signatureResponses(
      this.get(weightsId),
      ids.map((id) => this.get(id)),
      metric,
      direction,
      this.engine,
    );
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
      return {
        file: name,
        value: null,
        voxels: 0,
        rois: [],
        error: isNiftiError(e) ? e.reason : e instanceof Error ? e.message : String(e),
      };
    }
  }

  private group: AbortController | null = null;

  async runGroup(
    files: Blob[],
    names: string[],
    spec: GroupSpec,
    onProgress: (done: number, total: number) => void,
  ): Promise<GroupRun> {
    const own = permutationEngine(this.engine);
    const out = await this.groupRun(own, onProgress, 'permutation passes', (engine, note, control) =>
      runGroupFiles(named(files, names), spec, engine, note, control),
    );
    const maps = Object.values(out.result.maps).filter((m): m is Float32Array => !!m);
    return this.transfer(out, [...new Set(maps.map((m) => m.buffer as ArrayBuffer))]);
  }

  async runGroupModel(
    files: Blob[],
    names: string[],
    spec: GroupSpec,
    model: ModelChoices,
    onProgress: (done: number, total: number) => void,
  ): Promise<GlmRun> {
    const own = glmEngine(this.engine);
    const out = await this.groupRun(own, onProgress, 'GLM pass', (engine, note, control) =>
      runGlmFiles(named(files, names), spec, model, engine, note, control),
    );
    const maps = out.result.tests.flatMap((t) => Object.values(t.maps).filter((m): m is Float32Array => !!m));
    return this.transfer(out, [...new Set(maps.map((m) => m.buffer as ArrayBuffer))]);
  }

  /**
   * One group run at a time on the page's engine where it has the passes, else the CPU twin, whose
   * permutations spread over workers (a GPU engine keeps them on the GPU); progress a few times a second.
   */
  private async groupRun<E extends Engine, T>(
    own: E | null,
    onProgress: (done: number, total: number) => void,
    passes: string,
    work: (engine: E | CpuEngine | PermutationPool, note: string, control: GroupControl) => Promise<T>,
  ): Promise<T> {
    this.group?.abort();
    const run = new AbortController();
    this.group = run;
    const single = own ?? new CpuEngine();
    const pool = single instanceof CpuEngine ? this.permutationWorkers() : [];
    const engine =
      single instanceof CpuEngine && pool.length >= 2
        ? new PermutationPool(
            pool.map((w) => w.api),
            single,
          )
        : single;
    const where =
      engine instanceof PermutationPool ? `, permutations across ${pool.length} workers` : ', in one worker';
    const note = own
      ? `${single.description}${where}`
      : `${single.description}${where}: the ${this.engine.description} engine has no ${passes} yet`;
    let last = 0;
    try {
      return await work(engine, note, {
        signal: run.signal,
        onProgress: ({ done, total }) => {
          // A few messages a second, and always the last.
          if (done === total || performance.now() - last > GROUP_PROGRESS_MS) {
            last = performance.now();
            onProgress(done, total);
          }
        },
      });
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
