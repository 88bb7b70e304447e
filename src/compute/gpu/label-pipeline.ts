import type { LabelRequest } from '../engine';
import { emptyStorage, floatBits, readBack, storageBuffer, uniformBuffer } from './buffers';
import { dispatchFor, submitChecked } from './dispatch';
import { computePipeline, type ShaderSources } from './shaders';

/** Connected components on the GPU in three dispatches (init, merge, flatten), one submission. */
export class LabelPipeline {
  private readonly passes: GPUComputePipeline[];
  private readonly layout: GPUBindGroupLayout;

  constructor(
    private readonly device: GPUDevice,
    sources: ShaderSources,
  ) {
    // One explicit layout: 'auto' would drop the values binding from the flatten pass, which never reads it.
    this.layout = device.createBindGroupLayout({
      label: 'label passes',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
      ],
    });
    const layout = device.createPipelineLayout({ bindGroupLayouts: [this.layout] });
    this.passes = (['label-init', 'label-merge', 'label-flatten'] as const).map((name) =>
      computePipeline(device, sources, name, layout),
    );
  }

  async run(req: LabelRequest): Promise<Int32Array> {
    const [nx, ny, nz] = req.dims;
    const n = nx * ny * nz;
    const d = dispatchFor(n);
    const params = new ArrayBuffer(32);
    const u = new Uint32Array(params);
    u.set([nx, ny, nz, 0, req.twoSided ? 1 : 0, req.connectivity, d.rowStride, 0]);
    new Float32Array(params)[3] = req.threshold;
    const dev = this.device;
    const uniform = uniformBuffer(dev, params, 'label params');
    const values = storageBuffer(dev, floatBits(req.data), 'label values');
    const labels = emptyStorage(dev, n * 4, 'labels');
    try {
      const bindGroup = dev.createBindGroup({
        layout: this.layout,
        entries: [
          { binding: 0, resource: { buffer: uniform } },
          { binding: 1, resource: { buffer: values } },
          { binding: 2, resource: { buffer: labels } },
        ],
      });
      const enc = dev.createCommandEncoder();
      for (const pipeline of this.passes) {
        const pass = enc.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(d.x, d.y);
        pass.end();
      }
      await submitChecked(dev, enc.finish());
      // 0xffffffff (no label) reads as -1: the CPU twin's convention.
      return new Int32Array(await readBack(dev, labels, n * 4));
    } finally {
      uniform.destroy();
      values.destroy();
      labels.destroy();
    }
  }
}
