/** How the passes run: workgroup geometry, bind groups, encoding, and submission checked for validation errors. */

/** Threads per workgroup in every pass (the @workgroup_size in shaders/). */
export const WORKGROUP_SIZE = 256;
/** WebGPU's guaranteed limit on workgroups along one dispatch dimension. */
const MAX_GROUPS_PER_DIM = 65535;

/** A 2D dispatch covering `count` threads, and the flat-index stride of one row of workgroups. */
export function dispatchFor(count: number): { x: number; y: number; rowStride: number } {
  const groups = Math.max(1, Math.ceil(count / WORKGROUP_SIZE));
  const x = Math.min(groups, MAX_GROUPS_PER_DIM);
  const y = Math.ceil(groups / x);
  return { x, y, rowStride: x * WORKGROUP_SIZE };
}

/** One thread per entry of a rows x voxels batch, as a 2D dispatch. */
export function batchDispatch(rows: number, voxels: number): { x: number; y: number; rowStride: number } {
  return dispatchFor(rows * voxels);
}

/** An explicit layout: a family of passes shares one bind group though not every pass reads every binding. */
export function bindingLayout(
  device: GPUDevice,
  label: string,
  types: readonly GPUBufferBindingType[],
): GPUPipelineLayout {
  const entries = types.map((type, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } }));
  return device.createPipelineLayout({ bindGroupLayouts: [device.createBindGroupLayout({ label, entries })] });
}

export function bindAll(
  device: GPUDevice,
  pipeline: GPUComputePipeline,
  buffers: readonly (GPUBuffer | GPUBufferBinding)[],
): GPUBindGroup {
  return device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((b, binding) => ({ binding, resource: 'buffer' in b ? b : { buffer: b } })),
  });
}

/** Appends one dispatch to the encoder (passes of one submission run in order, each seeing the last's writes). */
export function encodePass(
  enc: GPUCommandEncoder,
  pipeline: GPUComputePipeline,
  group: GPUBindGroup,
  x: number,
  y: number,
): void {
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(x, y);
  pass.end();
}

/** Submits work and turns a validation error (a wrong binding, a bad size) into an exception. */
export async function submitChecked(device: GPUDevice, commands: GPUCommandBuffer): Promise<void> {
  device.pushErrorScope('validation');
  device.queue.submit([commands]);
  const error = await device.popErrorScope();
  if (error) throw new Error(`WebGPU rejected the work: ${error.message}`);
}

/** One compute pass over buffers bound at 0, 1, 2... in order, submitted and checked. */
export async function runPass(
  device: GPUDevice,
  pipeline: GPUComputePipeline,
  buffers: readonly GPUBuffer[],
  d: { x: number; y: number },
): Promise<void> {
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(
    0,
    device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    }),
  );
  pass.dispatchWorkgroups(d.x, d.y);
  pass.end();
  await submitChecked(device, enc.finish());
}
