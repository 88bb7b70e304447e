import { checkMaskVoxels } from '../permutation';
import type {
  ClusterRule,
  GroupStack,
  MaskGeometry,
  PermutationBatch,
  PermutationEngine,
  PermutationMaxima,
  TfceRule,
} from '../permutation';
import type { Connectivity } from '../engine';
import { readBack, storageBuffer, clearableStorage } from './buffers';
import { submitChecked } from './dispatch';
import { ClusterPipeline, reduceClusterPartials } from './cluster-pipeline';
import { checkGeometry, maskNeighbours, type NeighbourTable } from './mask-neighbours';
import { decodeRowMaxima, PermMaxPipeline } from './perm-max-pipeline';
import { PermTPipeline, type StackOnGpu } from './perm-t-pipeline';
import { tfceLevels, TfcePipeline } from './tfce-pipeline';
import type { ShaderSources } from './shaders';

/**
 * GPU memory one chunk of permutations may hold (t, labels and three accumulators, 20 bytes a
 * permutation and voxel): 256 MiB is about 55 permutations of a 2 mm brain mask (230,000 voxels),
 * some 13 million threads a dispatch, enough to fill a discrete GPU while staying well inside what
 * a browser tab is given. Smaller when the adapter's binding limit says so.
 */
export const PERMUTATION_BUDGET_BYTES = 256 * 2 ** 20;
/** rows x voxels buffers a chunk of permutationMaxima holds. */
const BUFFERS_PER_ROW = 5;
/** WebGPU's guaranteed limit on workgroups along one dispatch dimension (rows are the y of the reductions). */
const MAX_ROWS = 65535;

export interface PermutationOptions {
  /** Overrides PERMUTATION_BUDGET_BYTES (tests use it to force many chunks). */
  readonly budgetBytes?: number;
}

/** One chunk's buffers (5 of rows x voxels floats, the reductions' outputs). */
interface Scratch {
  readonly rows: number;
  readonly voxels: number;
  readonly t: GPUBuffer;
  readonly labels: GPUBuffer;
  readonly extent: GPUBuffer;
  readonly massLo: GPUBuffer;
  readonly massHi: GPUBuffer;
  readonly partials: GPUBuffer;
  readonly maxima: GPUBuffer;
}

/**
 * What makes a batch of permuted statistic maps on the GPU: the t-tests' pass (perm-t) or the
 * general linear model's (glm-stat). The max, cluster and TFCE passes run on either's maps.
 */
export interface StatisticSource {
  readonly voxels: number;
  readonly count: number;
  /** Every permutation's codes, `perPermutation` numbers each; a chunk's slice goes up before its passes. */
  readonly codes: Float32Array;
  readonly perPermutation: number;
  /** Appends the maps of `rows` permutations (their codes on the GPU) into out[p * voxels + v]; returns what to free after submission. */
  encode(enc: GPUCommandEncoder, codes: GPUBuffer, rows: number, out: GPUBuffer): GPUBuffer;
  /** TFCE's input made on the host from a chunk's maps (F to z); absent: TFCE runs on the maps themselves. */
  readonly tfceInput?: (maps: Float32Array) => Float32Array;
}

/** The group analysis's permutations on WebGPU (src/compute/permutation.ts is the contract). */
export class GpuPermutations implements PermutationEngine {
  private readonly tPass: PermTPipeline;
  private readonly maxPass: PermMaxPipeline;
  private readonly clusterPass: ClusterPipeline;
  private readonly tfcePass: TfcePipeline;
  private readonly budget: number;
  // The last stack and geometry stay on the GPU: a group analysis sends the same ones batch after batch.
  private stack: { source: GroupStack; onGpu: StackOnGpu } | null = null;
  private scratch: Scratch | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private geometry: {
    source: MaskGeometry;
    tables: Map<Connectivity, { table: NeighbourTable; buffer: GPUBuffer }>;
  } | null = null;

  constructor(
    private readonly device: GPUDevice,
    sources: ShaderSources,
    options: PermutationOptions = {},
  ) {
    this.tPass = new PermTPipeline(device, sources);
    this.maxPass = new PermMaxPipeline(device, sources);
    this.clusterPass = new ClusterPipeline(device, sources);
    this.tfcePass = new TfcePipeline(device, sources);
    this.budget = options.budgetBytes ?? PERMUTATION_BUDGET_BYTES;
  }

  permutedT(stack: GroupStack, batch: PermutationBatch): Promise<Float32Array> {
    return this.serial(() => this.runMaps(this.tSource(stack, batch)));
  }

  permutationMaxima(
    stack: GroupStack,
    batch: PermutationBatch,
    geometry: MaskGeometry,
    clusters: ClusterRule,
    tfce: TfceRule | null,
  ): Promise<PermutationMaxima> {
    return this.serial(() => this.runMaxima(this.tSource(stack, batch), geometry, clusters, tfce));
  }

  /** Every permutation's map from another pass (`source` is made in turn, after earlier calls end). */
  statisticMaps(source: () => StatisticSource): Promise<Float32Array> {
    return this.serial(() => this.runMaps(source()));
  }

  /** Every permutation's maxima on another pass's maps (`source` is made in turn, after earlier calls end). */
  statisticMaxima(
    source: () => StatisticSource,
    geometry: MaskGeometry,
    clusters: ClusterRule,
    tfce: TfceRule | null,
  ): Promise<PermutationMaxima> {
    return this.serial(() => this.runMaxima(source(), geometry, clusters, tfce));
  }

  tfce(t: Float32Array, geometry: MaskGeometry, rule: TfceRule): Promise<Float32Array> {
    return this.serial(() => this.runTfce(t, geometry, rule));
  }

  /**
   * One call at a time: calls share the chunk buffers and the cached stack, and a second call
   * awaiting mid-way through the first would overwrite (or free) what the first still uses.
   */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The t-tests' maps: perm-t on the stack (uploaded once for batch after batch). */
  private tSource(stack: GroupStack, batch: PermutationBatch): StatisticSource {
    const st = this.upload(stack, batch);
    return {
      voxels: stack.voxels,
      count: batch.count,
      codes: batch.codes,
      perPermutation: stack.subjects,
      encode: (enc, codes, rows, out) => this.tPass.encode(enc, st, codes, rows, out),
    };
  }

  private async runMaps(source: StatisticSource): Promise<Float32Array> {
    const V = source.voxels;
    const out = new Float32Array(source.count * V);
    const chunk = Math.min(this.chunkRows(V, BUFFERS_PER_ROW), Math.max(1, source.count));
    const b = this.scratchFor(chunk, V);
    for (let p0 = 0; p0 < source.count; p0 += chunk) {
      const rows = Math.min(chunk, source.count - p0);
      await this.runChunk(source, p0, rows, (enc, codes) => [source.encode(enc, codes, rows, b.t)]);
      out.set(new Float32Array(await readBack(this.device, b.t, rows * V * 4)), p0 * V);
    }
    return out;
  }

  /**
   * Each chunk's maxima and cluster partials are copied on the GPU into one results buffer, read
   * once at the end, so chunks follow each other with no round trip to the host in between; only
   * TFCE waits for a chunk's max t, which sets how many levels it runs (and, when its input is made
   * on the host, for the chunk's maps).
   */
  private async runMaxima(
    source: StatisticSource,
    geometry: MaskGeometry,
    clusters: ClusterRule,
    tfce: TfceRule | null,
  ): Promise<PermutationMaxima> {
    const V = source.voxels;
    const P = source.count;
    const clusterTable = this.neighbours(geometry, V, clusters.connectivity);
    const tfceTable = tfce ? this.neighbours(geometry, V, tfce.connectivity) : null;
    const chunk = Math.min(this.chunkRows(V, BUFFERS_PER_ROW), Math.max(1, P));
    const b = this.scratchFor(chunk, V);
    const dev = this.device;
    // Results: every row's max-T words, then its cluster partials, then its max-TFCE words.
    const partialsAt = P * 8;
    const tfceAt = partialsAt + ClusterPipeline.partialBytes(P, V);
    const results = clearableStorage(dev, tfceAt + (tfce ? P * 8 : 0), 'permutation results');
    try {
      for (let p0 = 0; p0 < P; p0 += chunk) {
        const rows = Math.min(chunk, P - p0);
        await this.runChunk(source, p0, rows, (enc, codes) => {
          const uniforms = [
            source.encode(enc, codes, rows, b.t),
            this.maxPass.encode(enc, b.t, rows, V, b.maxima),
            this.clusterPass.encode(
              enc,
              { ...b, neighbours: clusterTable.buffer },
              rows,
              V,
              clusterTable.table,
              clusters,
            ),
          ];
          enc.copyBufferToBuffer(b.maxima, 0, results, p0 * 8, rows * 8);
          enc.copyBufferToBuffer(
            b.partials,
            0,
            results,
            partialsAt + ClusterPipeline.partialBytes(p0, V),
            ClusterPipeline.partialBytes(rows, V),
          );
          return uniforms;
        });
        if (tfce && tfceTable) {
          const top = await this.tfceTop(source, b, rows, tfce.twoSided);
          const levels = tfceLevels(tfce.step, top);
          if (levels.length === 0) continue;
          const tb = { t: b.t, neighbours: tfceTable.buffer, labels: b.labels, counts: b.extent, tfce: b.massLo };
          const enc = dev.createCommandEncoder();
          const uniforms = [
            this.tfcePass.encode(enc, tb, rows, V, tfceTable.table, tfce, levels),
            this.maxPass.encode(enc, tb.tfce, rows, V, b.maxima),
          ];
          enc.copyBufferToBuffer(b.maxima, 0, results, tfceAt + p0 * 8, rows * 8);
          try {
            await submitChecked(dev, enc.finish());
          } finally {
            for (const u of uniforms) u.destroy();
          }
        }
      }
      const words = new Uint32Array(await readBack(dev, results, results.size));
      const m = decodeRowMaxima(words.subarray(0, 2 * P), P);
      const c = reduceClusterPartials(words.subarray(partialsAt / 4, tfceAt / 4), P, V);
      const maxTfce = tfce ? decodeRowMaxima(words.subarray(tfceAt / 4, tfceAt / 4 + 2 * P), P).maxAbs : null;
      return { maxT: clusters.twoSided ? m.maxAbs : m.max, maxExtent: c.maxExtent, maxMass: c.maxMass, maxTfce };
    } finally {
      results.destroy();
    }
  }

  /**
   * The largest value TFCE will see in a chunk: from the max pass's words, or, when TFCE's input is
   * made on the host, from that input, which then replaces the chunk's maps (their clusters are done).
   */
  private async tfceTop(source: StatisticSource, b: Scratch, rows: number, twoSided: boolean): Promise<number> {
    const dev = this.device;
    if (!source.tfceInput) {
      const m = decodeRowMaxima(new Uint32Array(await readBack(dev, b.maxima, rows * 8)), rows);
      return (twoSided ? m.maxAbs : m.max).reduce((x, y) => Math.max(x, y), 0);
    }
    const input = source.tfceInput(new Float32Array(await readBack(dev, b.t, rows * source.voxels * 4)));
    let top = 0;
    for (let i = 0; i < input.length; i++) top = Math.max(top, twoSided ? Math.abs(input[i]!) : input[i]!);
    dev.queue.writeBuffer(b.t, 0, input.buffer as ArrayBuffer, input.byteOffset, input.byteLength);
    return top;
  }

  private async runTfce(t: Float32Array, geometry: MaskGeometry, rule: TfceRule): Promise<Float32Array> {
    const V = t.length;
    if (V === 0) throw new Error('TFCE of an empty map');
    const { table, buffer } = this.neighbours(geometry, V, rule.connectivity);
    let top = 0;
    for (let v = 0; v < V; v++) {
      const x = t[v]!;
      if (!Number.isFinite(x)) throw new Error(`TFCE needs finite t (voxel ${v} holds ${x})`);
      top = Math.max(top, rule.twoSided ? Math.abs(x) : x);
    }
    const levels = tfceLevels(rule.step, top);
    const dev = this.device;
    const b = {
      t: storageBuffer(dev, t, 't'),
      neighbours: buffer,
      labels: clearableStorage(dev, V * 4, 'labels'),
      counts: clearableStorage(dev, V * 4, 'counts'),
      tfce: clearableStorage(dev, V * 4, 'tfce'),
    };
    try {
      const enc = dev.createCommandEncoder();
      const uniform = this.tfcePass.encode(enc, b, 1, V, table, rule, levels);
      await submitChecked(dev, enc.finish());
      uniform.destroy();
      return new Float32Array(await readBack(dev, b.tfce, V * 4));
    } finally {
      b.t.destroy();
      b.labels.destroy();
      b.counts.destroy();
      b.tfce.destroy();
    }
  }

  dispose(): void {
    this.freeScratch();
    this.stack?.onGpu.values.destroy();
    this.stack?.onGpu.sums.destroy();
    this.stack = null;
    for (const { buffer } of this.geometry?.tables.values() ?? []) buffer.destroy();
    this.geometry = null;
  }

  /**
   * The chunk's rows x voxels buffers, kept from call to call (a run sends batch after batch) and
   * grown only when a batch needs more rows: allocating, and zeroing, hundreds of MiB per batch
   * would cost more than the passes.
   */
  private scratchFor(rows: number, V: number): Scratch {
    if (this.scratch && this.scratch.voxels === V && this.scratch.rows >= rows) return this.scratch;
    this.freeScratch();
    const dev = this.device;
    const bytes = rows * V * 4;
    this.scratch = {
      rows,
      voxels: V,
      t: clearableStorage(dev, bytes, 'permuted t'),
      labels: clearableStorage(dev, bytes, 'labels'),
      // The TFCE passes reuse the extent as their counts and the mass's low words as their sums.
      extent: clearableStorage(dev, bytes, 'extent'),
      massLo: clearableStorage(dev, bytes, 'mass low'),
      massHi: clearableStorage(dev, bytes, 'mass high'),
      partials: clearableStorage(dev, ClusterPipeline.partialBytes(rows, V), 'cluster partials'),
      maxima: clearableStorage(dev, rows * 8, 'row maxima'),
    };
    return this.scratch;
  }

  private freeScratch(): void {
    const s = this.scratch;
    if (!s) return;
    for (const buf of [s.t, s.labels, s.extent, s.massLo, s.massHi, s.partials, s.maxima]) buf.destroy();
    this.scratch = null;
  }

  /** Uploads one chunk's codes, encodes its passes and submits them; frees what the passes made. */
  private async runChunk(
    source: StatisticSource,
    p0: number,
    rows: number,
    encode: (enc: GPUCommandEncoder, codes: GPUBuffer) => GPUBuffer[],
  ): Promise<void> {
    const n = source.perPermutation;
    const codes = storageBuffer(this.device, source.codes.subarray(p0 * n, (p0 + rows) * n), 'codes');
    const enc = this.device.createCommandEncoder();
    const temps = encode(enc, codes);
    try {
      await submitChecked(this.device, enc.finish());
    } finally {
      codes.destroy();
      for (const u of temps) u.destroy();
    }
  }

  /** How many permutations a chunk holds: the budget, the binding limit, the dispatch limit. */
  private chunkRows(voxels: number, buffers: number): number {
    const rowBytes = voxels * 4;
    const limit = Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize);
    const rows = Math.min(Math.floor(limit / rowBytes), Math.floor(this.budget / (buffers * rowBytes)), MAX_ROWS);
    if (rows < 1) {
      throw new Error(
        `one permutation of ${voxels} voxels needs ${buffers * rowBytes} bytes of GPU memory, more than this GPU allows (${Math.min(limit, this.budget)} bytes)`,
      );
    }
    return rows;
  }

  private upload(stack: GroupStack, batch: PermutationBatch): StackOnGpu {
    checkShapes(stack, batch);
    if (this.stack?.source === stack && this.stack.onGpu.kind === batch.kind) return this.stack.onGpu;
    checkFinite(stack);
    const limit = this.device.limits.maxStorageBufferBindingSize;
    if (stack.values.byteLength > limit) {
      throw new Error(
        `the subjects' maps take ${stack.values.byteLength} bytes, more than one GPU buffer may hold (${limit}): use the CPU engine or a smaller mask`,
      );
    }
    this.stack?.onGpu.values.destroy();
    this.stack?.onGpu.sums.destroy();
    this.stack = { source: stack, onGpu: this.tPass.upload(stack, batch.kind) };
    return this.stack.onGpu;
  }

  private neighbours(
    geometry: MaskGeometry,
    voxels: number,
    connectivity: Connectivity,
  ): { table: NeighbourTable; buffer: GPUBuffer } {
    if (this.geometry?.source !== geometry) {
      checkGeometry(geometry, voxels);
      for (const { buffer } of this.geometry?.tables.values() ?? []) buffer.destroy();
      this.geometry = { source: geometry, tables: new Map() };
    } else {
      checkMaskVoxels(geometry, voxels);
    }
    let entry = this.geometry.tables.get(connectivity);
    if (!entry) {
      const table = maskNeighbours(geometry, connectivity);
      entry = { table, buffer: storageBuffer(this.device, table.table, `neighbours ${connectivity}`) };
      this.geometry.tables.set(connectivity, entry);
    }
    return entry;
  }
}

/** Typed, early errors: a wrong shape would otherwise read out of bounds on the GPU, silently. */
function checkShapes(stack: GroupStack, batch: PermutationBatch): void {
  const { subjects: n, voxels: V } = stack;
  const least = batch.kind === 'relabel' ? 3 : 2;
  if (!Number.isInteger(n) || n < least)
    throw new Error(
      `${batch.kind === 'relabel' ? 'a relabelling' : 'a sign flip'} needs at least ${least} subjects (got ${n})`,
    );
  if (!Number.isInteger(V) || V < 1) throw new Error(`the group analysis needs at least one voxel (got ${V})`);
  if (stack.values.length !== n * V)
    throw new Error(`the stack holds ${stack.values.length} values, not ${n} subjects x ${V} voxels`);
  if (!Number.isInteger(batch.count) || batch.count < 0 || batch.codes.length !== batch.count * n) {
    throw new Error(`the batch holds ${batch.codes.length} codes, not ${batch.count} permutations x ${n} subjects`);
  }
}

function checkFinite(stack: GroupStack): void {
  const V = stack.voxels;
  for (let i = 0; i < stack.values.length; i++) {
    if (!Number.isFinite(stack.values[i]!))
      throw new Error(
        `the masked data must be finite: subject ${Math.floor(i / V)}, voxel ${i % V} holds ${stack.values[i]}`,
      );
  }
}
