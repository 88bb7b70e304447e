import { uniformBuffer } from './buffers';
import { bindAll, encodePass } from './dispatch';
import { computePipeline, type ShaderSources } from './shaders';

/** Voxels one workgroup reduces (WG * PER_THREAD in shaders/perm-max.wgsl). */
const VOXELS_PER_GROUP = 256 * 16;

export interface RowMaxima {
  readonly max: Float64Array;
  readonly maxAbs: Float64Array;
}

/** Each row's max and max |value| of a rows x voxels float32 batch, exactly (shaders/perm-max.wgsl). */
export class PermMaxPipeline {
  private readonly pipeline: GPUComputePipeline;

  constructor(
    private readonly device: GPUDevice,
    sources: ShaderSources,
  ) {
    this.pipeline = computePipeline(device, sources, 'perm-max');
  }

  /** `out` holds two words a row and must be cleared first (the encoder does it here). */
  encode(enc: GPUCommandEncoder, data: GPUBuffer, rows: number, voxels: number, out: GPUBuffer): GPUBuffer {
    enc.clearBuffer(out, 0, rows * 8);
    const uniform = uniformBuffer(this.device, new Uint32Array([voxels, rows, 0, 0]).buffer, 'perm-max params');
    encodePass(
      enc,
      this.pipeline,
      bindAll(this.device, this.pipeline, [uniform, data, out]),
      Math.ceil(voxels / VOXELS_PER_GROUP),
      rows,
    );
    return uniform;
  }
}

/** Undoes the shader's order-preserving key (negative floats had all bits flipped, others the sign bit set). */
export function decodeRowMaxima(words: Uint32Array, rows: number): RowMaxima {
  const bits = new Uint32Array(1);
  const asFloat = new Float32Array(bits.buffer);
  const max = new Float64Array(rows);
  const maxAbs = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const key = words[2 * r]!;
    bits[0] = key & 0x80000000 ? key & 0x7fffffff : ~key;
    max[r] = asFloat[0]!;
    bits[0] = words[2 * r + 1]!;
    maxAbs[r] = asFloat[0]!;
  }
  return { max, maxAbs };
}
