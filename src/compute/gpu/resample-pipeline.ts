import type { ResampleRequest } from '../engine';
import { resampleTrilinear } from '../cpu/resample';
import { axisTables, type AxisTables } from '../resample-axes';
import { emptyStorage, floatBits, readBack, storageBuffer, uniformBuffer } from './buffers';
import { dispatchFor, runPass } from './dispatch';
import { computePipeline, type ShaderSources } from './shaders';

/** Words per table entry (lower, w0, w1, pad), as AxisEntry in shaders/resample.wgsl. */
const ENTRY_WORDS = 4;

/**
 * Trilinear resampling on the GPU; the result stays on the GPU when the caller wants to reuse it.
 * Grid-aligned mappings run the WGSL pass on host-computed float64 per-axis tables; an oblique mapping
 * is resampled on the CPU (float64 positions, the CPU twin itself) and uploaded, so both engines always
 * give the same voxel set.
 */
export class ResamplePipeline {
  private readonly pipeline: GPUComputePipeline;

  constructor(
    private readonly device: GPUDevice,
    sources: ShaderSources,
  ) {
    this.pipeline = computePipeline(device, sources, 'resample');
  }

  /** Resamples into a new GPU buffer (caller destroys it). */
  async encode(req: ResampleRequest): Promise<GPUBuffer> {
    const tables = axisTables(req);
    if (!tables) return storageBuffer(this.device, floatBits(resampleTrilinear(req, 'zero')), 'resampled on the host');
    const [tx, ty, tz] = req.targetDims;
    const n = tx * ty * tz;
    const d = dispatchFor(n);
    const params = new ArrayBuffer(96);
    const u = new Uint32Array(params);
    const offsets = [0, tables.lower[0].length, tables.lower[0].length + tables.lower[1].length];
    u.set([...tables.driver, 0], 0);
    u.set([...offsets, 0], 4);
    u.set([...tables.step, 0], 8);
    u.set([...tables.stride, 0], 12);
    u.set([tx, ty, tz, 0], 16);
    u[20] = d.rowStride;
    const dev = this.device;
    const uniform = uniformBuffer(dev, params, 'resample params');
    const source = storageBuffer(dev, floatBits(req.source), 'resample source');
    const axes = storageBuffer(dev, packTables(tables), 'resample axis tables');
    const out = emptyStorage(dev, n * 4, 'resampled');
    await runPass(dev, this.pipeline, [uniform, source, out, axes], d);
    // Destroying after submit is safe: WebGPU keeps them alive until the work that uses them is done.
    uniform.destroy();
    source.destroy();
    axes.destroy();
    return out;
  }

  async run(req: ResampleRequest): Promise<Float32Array> {
    const out = await this.encode(req);
    try {
      const n = req.targetDims[0] * req.targetDims[1] * req.targetDims[2];
      return new Float32Array(await readBack(this.device, out, n * 4));
    } finally {
      out.destroy();
    }
  }
}

/** The three axis tables, one after another, as AxisEntry words (weights rounded to float32 here). */
function packTables(t: AxisTables): Uint32Array {
  const total = t.lower[0].length + t.lower[1].length + t.lower[2].length;
  const buf = new ArrayBuffer(total * ENTRY_WORDS * 4);
  const i32 = new Int32Array(buf);
  const f32 = new Float32Array(buf);
  let e = 0;
  for (let a = 0; a < 3; a++) {
    for (let i = 0; i < t.lower[a]!.length; i++, e += ENTRY_WORDS) {
      i32[e] = t.lower[a]![i]!;
      f32[e + 1] = t.w0[a]![i]!;
      f32[e + 2] = t.w1[a]![i]!;
    }
  }
  return new Uint32Array(buf);
}
