import type { GroupStack, PermutationBatch } from '../permutation';
import { storageBuffer, uniformBuffer } from './buffers';
import { bindAll, encodePass } from './dispatch';
import { computePipeline, type ShaderSources } from './shaders';

/** Voxels and permutations per workgroup (WG and TP in shaders/perm-t.wgsl). */
const VOXELS_PER_GROUP = 256;
const PERMUTATIONS_PER_GROUP = 16;
/**
 * A variance under this share of sum x^2 reads as zero (t = 0): below it float32 cannot tell it from
 * rounding. It only bites for |t| above about sqrt(df / ZERO_VARIANCE), 3,000 at df = 9.
 */
export const ZERO_VARIANCE = 1e-6;

/** The stack on the GPU with its fixed per-voxel sums; relabellings get it centred per voxel. */
export interface StackOnGpu {
  readonly subjects: number;
  readonly voxels: number;
  readonly kind: PermutationBatch['kind'];
  readonly values: GPUBuffer;
  readonly sums: GPUBuffer;
}

/** Per-permutation t as one tiled matrix product (shaders/perm-t.wgsl). */
export class PermTPipeline {
  private readonly pipeline: GPUComputePipeline;

  constructor(
    private readonly device: GPUDevice,
    sources: ShaderSources,
  ) {
    this.pipeline = computePipeline(device, sources, 'perm-t');
  }

  /**
   * Uploads the stack. Sums are float64 on the host, then rounded once. A relabelling's t does not
   * change when a voxel's mean is taken from every subject, so its values go up centred: then sum x^2
   * is the spread itself and the float32 variance loses no bits to a large common offset.
   */
  upload(stack: GroupStack, kind: PermutationBatch['kind']): StackOnGpu {
    const { subjects: n, voxels: V } = stack;
    let values = stack.values;
    if (kind === 'relabel') {
      values = new Float32Array(values.length);
      for (let v = 0; v < V; v++) {
        let m = 0;
        for (let i = 0; i < n; i++) m += stack.values[i * V + v]!;
        m /= n;
        for (let i = 0; i < n; i++) values[i * V + v] = stack.values[i * V + v]! - m;
      }
    }
    const sums = new Float32Array(2 * V);
    for (let v = 0; v < V; v++) {
      let s = 0;
      let q = 0;
      for (let i = 0; i < n; i++) {
        const x = values[i * V + v]!;
        s += x;
        q += x * x;
      }
      sums[2 * v] = s;
      sums[2 * v + 1] = q;
    }
    const dev = this.device;
    return {
      subjects: n,
      voxels: V,
      kind,
      values: storageBuffer(dev, values, 'stack'),
      sums: storageBuffer(dev, sums, 'stack sums'),
    };
  }

  /** Appends the t of `rows` permutations (codes on the GPU) into out[p * voxels + v]; returns the uniform to free after submission. */
  encode(enc: GPUCommandEncoder, stack: StackOnGpu, codes: GPUBuffer, rows: number, out: GPUBuffer): GPUBuffer {
    const params = new ArrayBuffer(32);
    new Uint32Array(params).set([stack.voxels, stack.subjects, rows, stack.kind === 'relabel' ? 1 : 0]);
    new Float32Array(params)[4] = ZERO_VARIANCE;
    const uniform = uniformBuffer(this.device, params, 'perm-t params');
    const group = bindAll(this.device, this.pipeline, [uniform, stack.values, stack.sums, codes, out]);
    encodePass(
      enc,
      this.pipeline,
      group,
      Math.ceil(stack.voxels / VOXELS_PER_GROUP),
      Math.ceil(rows / PERMUTATIONS_PER_GROUP),
    );
    return uniform;
  }
}
