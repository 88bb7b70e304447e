import type { TfceRule } from '../permutation';
import { batchDispatch, bindAll, bindingLayout, encodePass } from './dispatch';
import { NO_LEVEL, PERM_PARAMS_BYTES, writePermParams } from './perm-params';
import type { NeighbourTable } from './mask-neighbours';
import { computePipeline, type ShaderSources } from './shaders';

/** Uniform slots sit this far apart: WebGPU's guaranteed minUniformBufferOffsetAlignment. */
const SLOT_BYTES = 256;
/**
 * Levels a batch may need (three dispatches each). The SPEC's dh is the observed max t / 100, so a
 * permuted map needs about 100-300; more means a step far below the data's scale, refused up front.
 */
export const MAX_TFCE_LEVELS = 20_000;

export interface TfceBuffers {
  readonly t: GPUBuffer;
  readonly neighbours: GPUBuffer;
  readonly labels: GPUBuffer;
  readonly counts: GPUBuffer;
  readonly tfce: GPUBuffer;
}

/** The levels h_k = k * step (k = 1..K, K the last <= the batch's largest value), in float64 as the SPEC defines them. */
export function tfceLevels(step: number, top: number): Float64Array {
  if (!(step > 0) || !Number.isFinite(step)) throw new Error(`the TFCE step must be a positive number (got ${step})`);
  let K = Math.floor(top / step) + 1;
  while (K > 0 && K * step > top) K--;
  if (K > MAX_TFCE_LEVELS)
    throw new Error(`TFCE with step ${step} up to ${top} needs ${K} levels, more than ${MAX_TFCE_LEVELS}`);
  const levels = new Float64Array(Math.max(0, K));
  for (let k = 1; k <= K; k++) levels[k - 1] = k * step;
  return levels;
}

/**
 * TFCE of every map of a batch, exact for the levels h_k = k * step: the levels run from the top
 * down with one union-find that carries over (components only merge as the level falls), so each
 * voxel unites with its neighbours once in all, at the level it joins; each level then counts its
 * components (e_k) and adds e_k^E * h_k^H to their voxels. Three dispatches a level, one submission.
 */
export class TfcePipeline {
  private readonly passes: GPUComputePipeline[];

  constructor(
    private readonly device: GPUDevice,
    sources: ShaderSources,
  ) {
    const layout = bindingLayout(device, 'tfce passes', [
      'uniform',
      'read-only-storage',
      'read-only-storage',
      'storage',
      'storage',
      'storage',
    ]);
    this.passes = (['tfce-merge', 'tfce-count', 'tfce-add'] as const).map((name) =>
      computePipeline(device, sources, name, layout),
    );
  }

  /** Appends every level's passes into b.tfce (signed when two-sided); returns the uniform to free after submission. */
  encode(
    enc: GPUCommandEncoder,
    b: TfceBuffers,
    rows: number,
    voxels: number,
    table: NeighbourTable,
    rule: TfceRule,
    levels: Float64Array,
  ): GPUBuffer {
    const K = levels.length;
    const d = batchDispatch(rows, voxels);
    const bytes = rows * voxels * 4;
    enc.clearBuffer(b.tfce, 0, bytes);
    // Slot 0 starts the top level's voxels; slot k (1..K) is level h_k.
    const params = new ArrayBuffer(SLOT_BYTES * (K + 1));
    const base = {
      voxels,
      rows,
      stride: table.stride,
      backward: table.backward,
      twoSided: rule.twoSided,
      rowStride: d.rowStride,
      groups: 0,
      E: rule.E,
    };
    const level = (k: number): number => (k >= 1 && k <= K ? float32AtLeast(levels[k - 1]!) : NO_LEVEL);
    writePermParams(params, 0, { ...base, threshold: NO_LEVEL, above: NO_LEVEL, below: level(K), weight: 0 });
    for (let k = K; k >= 1; k--) {
      // At k = 1 nothing joins below: `below` equal to the level starts no voxel.
      writePermParams(params, SLOT_BYTES * k, {
        ...base,
        threshold: level(k),
        above: level(k + 1),
        below: k > 1 ? level(k - 1) : level(k),
        weight: levels[k - 1]! ** rule.H,
      });
    }
    const uniform = this.device.createBuffer({
      label: 'tfce levels',
      size: params.byteLength,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.device.queue.writeBuffer(uniform, 0, params);
    const group = (slot: number): GPUBindGroup =>
      bindAll(this.device, this.passes[0]!, [
        { buffer: uniform, offset: slot * SLOT_BYTES, size: PERM_PARAMS_BYTES },
        b.t,
        b.neighbours,
        b.labels,
        b.counts,
        b.tfce,
      ]);
    const [merge, count, add] = this.passes as [GPUComputePipeline, GPUComputePipeline, GPUComputePipeline];
    encodePass(enc, add, group(0), d.x, d.y);
    for (let k = K; k >= 1; k--) {
      const g = group(k);
      encodePass(enc, merge, g, d.x, d.y);
      enc.clearBuffer(b.counts, 0, bytes);
      encodePass(enc, count, g, d.x, d.y);
      encodePass(enc, add, g, d.x, d.y);
    }
    return uniform;
  }
}

/**
 * The smallest float32 >= x: a float32 t passes it exactly when t >= x in float64, so the shaders'
 * float32 comparisons select the same voxels as the SPEC's (and the CPU twin's) h_k <= t.
 */
export function float32AtLeast(x: number): number {
  const f = Math.fround(x);
  if (f >= x) return f;
  const bits = new Float32Array([f]);
  const u = new Uint32Array(bits.buffer);
  u[0] = f > 0 ? u[0]! + 1 : f < 0 ? u[0]! - 1 : 0x00000001;
  return bits[0]!;
}
