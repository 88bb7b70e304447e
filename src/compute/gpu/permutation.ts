import type { ClusterRule, GroupStack, MaskGeometry, PermutationBatch, PermutationEngine, PermutationMaxima, TfceRule } from '../permutation';
import type { Connectivity } from '../engine';
import { readBack, storageBuffer, submitChecked } from './dispatch';
import { ClusterPipeline, reduceClusterPartials } from './cluster-pipeline';
import { checkGeometry, maskNeighbours, type NeighbourTable } from './mask-neighbours';
import { clearableStorage } from './perm-buffers';
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

/** The group analysis's permutations on WebGPU (src/compute/permutation.ts is the contract). */
export class GpuPermutations implements PermutationEngine {
  private readonly tPass: PermTPipeline;
  private readonly maxPass: PermMaxPipeline;
  private readonly clusterPass: ClusterPipeline;
  private readonly tfcePass: TfcePipeline;
  private readonly budget: number;
  // The last stack and geometry stay on the GPU: a group analysis sends the same ones batch after batch.
  private stack: { source: GroupStack; onGpu: StackOnGpu } | null = null;
  private geometry: { source: MaskGeometry; tables: Map<Connectivity, { table: NeighbourTable; buffer: GPUBuffer }> } | null = null;

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

  async permutedT(stack: GroupStack, batch: PermutationBatch): Promise<Float32Array> {
    const st = this.upload(stack, batch);
    const V = stack.voxels;
    const out = new Float32Array(batch.count * V);
    const chunk = this.chunkRows(V, 1);
    const tBuf = clearableStorage(this.device, chunk * V * 4, 'permuted t');
    try {
      for (let p0 = 0; p0 < batch.count; p0 += chunk) {
        const rows = Math.min(chunk, batch.count - p0);
        await this.runChunk(batch, p0, rows, (enc, codes) => [this.tPass.encode(enc, st, codes, rows, tBuf)]);
        out.set(new Float32Array(await readBack(this.device, tBuf, rows * V * 4)), p0 * V);
      }
      return out;
    } finally {
      tBuf.destroy();
    }
  }

  async permutationMaxima(stack: GroupStack, batch: PermutationBatch, geometry: MaskGeometry, clusters: ClusterRule, tfce: TfceRule | null): Promise<PermutationMaxima> {
    const st = this.upload(stack, batch);
    const V = stack.voxels;
    const clusterTable = this.neighbours(geometry, V, clusters.connectivity);
    const tfceTable = tfce ? this.neighbours(geometry, V, tfce.connectivity) : null;
    const chunk = this.chunkRows(V, BUFFERS_PER_ROW);
    const dev = this.device;
    const bytes = chunk * V * 4;
    const b = {
      t: clearableStorage(dev, bytes, 'permuted t'),
      labels: clearableStorage(dev, bytes, 'labels'),
      // The TFCE passes reuse the extent as their counts and the mass's low words as their sums.
      extent: clearableStorage(dev, bytes, 'extent'),
      massLo: clearableStorage(dev, bytes, 'mass low'),
      massHi: clearableStorage(dev, bytes, 'mass high'),
      partials: clearableStorage(dev, ClusterPipeline.partialBytes(chunk, V), 'cluster partials'),
      maxima: clearableStorage(dev, chunk * 8, 'row maxima'),
    };
    const out = { maxT: new Float64Array(batch.count), maxExtent: new Float64Array(batch.count), maxMass: new Float64Array(batch.count), maxTfce: tfce ? new Float64Array(batch.count) : null };
    try {
      for (let p0 = 0; p0 < batch.count; p0 += chunk) {
        const rows = Math.min(chunk, batch.count - p0);
        await this.runChunk(batch, p0, rows, (enc, codes) => [
          this.tPass.encode(enc, st, codes, rows, b.t),
          this.maxPass.encode(enc, b.t, rows, V, b.maxima),
          this.clusterPass.encode(enc, { ...b, neighbours: clusterTable.buffer }, rows, V, clusterTable.table, clusters),
        ]);
        const m = decodeRowMaxima(new Uint32Array(await readBack(dev, b.maxima, rows * 8)), rows);
        out.maxT.set(clusters.twoSided ? m.maxAbs : m.max, p0);
        const c = reduceClusterPartials(new Uint32Array(await readBack(dev, b.partials, ClusterPipeline.partialBytes(rows, V))), rows, V);
        out.maxExtent.set(c.maxExtent, p0);
        out.maxMass.set(c.maxMass, p0);
        if (tfce && tfceTable && out.maxTfce) {
          const top = (tfce.twoSided ? m.maxAbs : m.max).reduce((a, x) => Math.max(a, x), 0);
          const tb = { t: b.t, neighbours: tfceTable.buffer, labels: b.labels, counts: b.extent, tfce: b.massLo };
          out.maxTfce.set(await this.tfceMaxima(tb, rows, V, tfceTable.table, tfce, top, b.maxima), p0);
        }
      }
      return out;
    } finally {
      for (const buf of Object.values(b)) buf.destroy();
    }
  }

  async tfce(t: Float32Array, geometry: MaskGeometry, rule: TfceRule): Promise<Float32Array> {
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
    const b = { t: storageBuffer(dev, t, 't'), neighbours: buffer, labels: clearableStorage(dev, V * 4, 'labels'), counts: clearableStorage(dev, V * 4, 'counts'), tfce: clearableStorage(dev, V * 4, 'tfce') };
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
    this.stack?.onGpu.values.destroy();
    this.stack?.onGpu.sums.destroy();
    this.stack = null;
    for (const { buffer } of this.geometry?.tables.values() ?? []) buffer.destroy();
    this.geometry = null;
  }

  /** TFCE of the batch's t-maps (in b.t) and each row's max |TFCE|. */
  private async tfceMaxima(
    b: Parameters<TfcePipeline['encode']>[1],
    rows: number,
    V: number,
    table: NeighbourTable,
    rule: TfceRule,
    top: number,
    maxima: GPUBuffer,
  ): Promise<Float64Array> {
    const levels = tfceLevels(rule.step, top);
    if (levels.length === 0) return new Float64Array(rows);
    const enc = this.device.createCommandEncoder();
    const uniforms = [this.tfcePass.encode(enc, b, rows, V, table, rule, levels), this.maxPass.encode(enc, b.tfce, rows, V, maxima)];
    try {
      await submitChecked(this.device, enc.finish());
    } finally {
      for (const u of uniforms) u.destroy();
    }
    return decodeRowMaxima(new Uint32Array(await readBack(this.device, maxima, rows * 8)), rows).maxAbs;
  }

  /** Uploads one chunk's codes, encodes its passes and submits them; frees what the passes made. */
  private async runChunk(batch: PermutationBatch, p0: number, rows: number, encode: (enc: GPUCommandEncoder, codes: GPUBuffer) => GPUBuffer[]): Promise<void> {
    const n = batch.codes.length / batch.count;
    const codes = storageBuffer(this.device, batch.codes.subarray(p0 * n, (p0 + rows) * n), 'codes');
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
      throw new Error(`one permutation of ${voxels} voxels needs ${buffers * rowBytes} bytes of GPU memory, more than this GPU allows (${Math.min(limit, this.budget)} bytes)`);
    }
    return rows;
  }

  private upload(stack: GroupStack, batch: PermutationBatch): StackOnGpu {
    checkShapes(stack, batch);
    if (this.stack?.source === stack && this.stack.onGpu.kind === batch.kind) return this.stack.onGpu;
    checkFinite(stack);
    const limit = this.device.limits.maxStorageBufferBindingSize;
    if (stack.values.byteLength > limit) {
      throw new Error(`the subjects' maps take ${stack.values.byteLength} bytes, more than one GPU buffer may hold (${limit}): use the CPU engine or a smaller mask`);
    }
    this.stack?.onGpu.values.destroy();
    this.stack?.onGpu.sums.destroy();
    this.stack = { source: stack, onGpu: this.tPass.upload(stack, batch.kind) };
    return this.stack.onGpu;
  }

  private neighbours(geometry: MaskGeometry, voxels: number, connectivity: Connectivity): { table: NeighbourTable; buffer: GPUBuffer } {
    if (this.geometry?.source !== geometry) {
      checkGeometry(geometry, voxels);
      for (const { buffer } of this.geometry?.tables.values() ?? []) buffer.destroy();
      this.geometry = { source: geometry, tables: new Map() };
    } else if (geometry.voxelIndex.length !== voxels) {
      throw new Error(`the mask lists ${geometry.voxelIndex.length} voxels but the data has ${voxels}`);
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
  if (!Number.isInteger(n) || n < least) throw new Error(`${batch.kind === 'relabel' ? 'a relabelling' : 'a sign flip'} needs at least ${least} subjects (got ${n})`);
  if (!Number.isInteger(V) || V < 1) throw new Error(`the group analysis needs at least one voxel (got ${V})`);
  if (stack.values.length !== n * V) throw new Error(`the stack holds ${stack.values.length} values, not ${n} subjects x ${V} voxels`);
  if (!Number.isInteger(batch.count) || batch.count < 0 || batch.codes.length !== batch.count * n) {
    throw new Error(`the batch holds ${batch.codes.length} codes, not ${batch.count} permutations x ${n} subjects`);
  }
}

function checkFinite(stack: GroupStack): void {
  const V = stack.voxels;
  for (let i = 0; i < stack.values.length; i++) {
    if (!Number.isFinite(stack.values[i]!)) throw new Error(`the masked data must be finite: subject ${Math.floor(i / V)}, voxel ${i % V} holds ${stack.values[i]}`);
  }
}
