import type { PatternSums } from '../engine';
import { emptyStorage, floatBits, readBack, storageBuffer, uniformBuffer } from './buffers';
import { dispatchFor, runPass } from './dispatch';
import { computePipeline, type ShaderSources } from './shaders';

const SUMS = 6;
/** Voxels each thread sums before the workgroup reduction (PER_THREAD in shaders/pattern-sums.wgsl). */
const PER_THREAD = 32;

/** Signature sums on the GPU: the weights are uploaded once and every map is reduced against them. */
export class PatternSumsPipeline {
  private readonly pipeline: GPUComputePipeline;

  constructor(
    private readonly device: GPUDevice,
    sources: ShaderSources,
  ) {
    this.pipeline = computePipeline(device, sources, 'pattern-sums');
  }

  async run(weights: Float32Array | GPUBuffer, maps: readonly Float32Array[]): Promise<PatternSums[]> {
    const dev = this.device;
    const count = weights instanceof Float32Array ? weights.length : weights.size / 4;
    const d = dispatchFor(Math.ceil(count / PER_THREAD));
    const groups = d.x * d.y;
    const params = new Uint32Array([count, 0, 0, 0]);
    const uniform = uniformBuffer(dev, params.buffer, 'sum params');
    const w = weights instanceof Float32Array ? storageBuffer(dev, floatBits(weights), 'weights') : weights;
    const results: PatternSums[] = [];
    try {
      for (const map of maps) {
        if (map.length !== count) throw new Error(`a map has ${map.length} voxels, the weights ${count}`);
        const x = storageBuffer(dev, floatBits(map), 'map');
        const partials = emptyStorage(dev, groups * SUMS * 4, 'partials');
        await runPass(dev, this.pipeline, [uniform, w, x, partials], d);
        x.destroy();
        const p = new Float32Array(await readBack(dev, partials, groups * SUMS * 4));
        partials.destroy();
        results.push(addPartials(p));
      }
      return results;
    } finally {
      uniform.destroy();
      if (weights instanceof Float32Array) w.destroy();
    }
  }
}

function addPartials(p: Float32Array): PatternSums {
  const s = [0, 0, 0, 0, 0, 0];
  for (let g = 0; g < p.length; g += SUMS) for (let k = 0; k < SUMS; k++) s[k]! += p[g + k]!;
  return { n: Math.round(s[0]!), sw: s[1]!, sx: s[2]!, sww: s[3]!, sxx: s[4]!, swx: s[5]! };
}
