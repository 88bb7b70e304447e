import { dispatchFor } from './dispatch';

/** Buffers the permutation passes clear between uses (clearBuffer needs COPY_DST). */
export function clearableStorage(device: GPUDevice, bytes: number, label: string): GPUBuffer {
  return device.createBuffer({
    label,
    size: Math.max(4, Math.ceil(bytes / 4) * 4),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
}

/** An explicit layout: a family of passes shares one bind group though not every pass reads every binding. */
export function bindingLayout(device: GPUDevice, label: string, types: readonly GPUBufferBindingType[]): GPUPipelineLayout {
  const entries = types.map((type, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } }));
  return device.createPipelineLayout({ bindGroupLayouts: [device.createBindGroupLayout({ label, entries })] });
}

export function bindAll(device: GPUDevice, pipeline: GPUComputePipeline, buffers: readonly (GPUBuffer | GPUBufferBinding)[]): GPUBindGroup {
  return device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((b, binding) => ({ binding, resource: 'buffer' in b ? b : { buffer: b } })),
  });
}

/** Appends one dispatch to the encoder (passes of one submission run in order, each seeing the last's writes). */
export function encodePass(enc: GPUCommandEncoder, pipeline: GPUComputePipeline, group: GPUBindGroup, x: number, y: number): void {
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(x, y);
  pass.end();
}

/** One thread per entry of a rows x voxels batch, as a 2D dispatch. */
export function batchDispatch(rows: number, voxels: number): { x: number; y: number; rowStride: number } {
  return dispatchFor(rows * voxels);
}

/**
 * A uniform of the shared struct PermParams (shaders/lib/perm-labels.wgsl), 48 bytes. Written with
 * named fields so that the TypeScript side and the WGSL struct are checked against one list.
 */
export interface PermParams {
  voxels: number;
  rows: number;
  stride: number;
  backward: number;
  threshold: number;
  above: number;
  below: number;
  twoSided: boolean;
  rowStride: number;
  groups: number;
  weight: number;
  E: number;
}

export const PERM_PARAMS_BYTES = 48;

export function writePermParams(target: ArrayBuffer, offset: number, p: PermParams): void {
  const u = new Uint32Array(target, offset, PERM_PARAMS_BYTES / 4);
  const f = new Float32Array(target, offset, PERM_PARAMS_BYTES / 4);
  u.set([p.voxels, p.rows, p.stride, p.backward]);
  f.set([p.threshold, p.above, p.below], 4);
  u.set([p.twoSided ? 1 : 0, p.rowStride, p.groups], 7);
  f.set([p.weight, p.E], 10);
}

/** Stands for "no level": above every t (the largest finite float32). */
export const NO_LEVEL = 3.4028234e38;
