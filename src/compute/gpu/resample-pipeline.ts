import { RESAMPLE_EDGE_EPS, type ResampleRequest } from '../engine';
import { dispatchFor, emptyStorage, floatBits, readBack, runPass, storageBuffer, uniformBuffer } from './dispatch';
import { computePipeline, type ShaderSources } from './shaders';

/** Trilinear resampling on the GPU; the result stays on the GPU when the caller wants to reuse it. */
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
    const [tx, ty, tz] = req.targetDims;
    const n = tx * ty * tz;
    const d = dispatchFor(n);
    const params = new ArrayBuffer(96);
    const f = new Float32Array(params);
    const u = new Uint32Array(params);
    const m = req.targetToSource;
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) f[4 * r + c] = m[4 * r + c]!;
    u.set([req.sourceDims[0], req.sourceDims[1], req.sourceDims[2], 0], 12);
    u.set([tx, ty, tz, 0], 16);
    u[20] = d.rowStride;
    f[21] = RESAMPLE_EDGE_EPS;
    const dev = this.device;
    const uniform = uniformBuffer(dev, params, 'resample params');
    const source = storageBuffer(dev, floatBits(req.source), 'resample source');
    const out = emptyStorage(dev, n * 4, 'resampled');
    await runPass(dev, this.pipeline, [uniform, source, out], d);
    // Destroying after submit is safe: WebGPU keeps them alive until the work that uses them is done.
    uniform.destroy();
    source.destroy();
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
