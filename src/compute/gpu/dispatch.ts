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

export function storageBuffer(device: GPUDevice, data: ArrayBufferView, label: string): GPUBuffer {
  const buf = device.createBuffer({
    label,
    size: Math.max(4, alignTo4(data.byteLength)),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    mappedAtCreation: true,
  });
  new Uint8Array(buf.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  buf.unmap();
  return buf;
}

export function emptyStorage(device: GPUDevice, bytes: number, label: string): GPUBuffer {
  return device.createBuffer({ label, size: Math.max(4, alignTo4(bytes)), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
}

export function uniformBuffer(device: GPUDevice, data: ArrayBuffer, label: string): GPUBuffer {
  const buf = device.createBuffer({ label, size: alignTo4(data.byteLength), usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buf, 0, data);
  return buf;
}

/** Copies a GPU buffer back to the host. */
export async function readBack(device: GPUDevice, src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ size: alignTo4(bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, staging, 0, alignTo4(bytes));
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = staging.getMappedRange().slice(0, bytes);
  staging.unmap();
  staging.destroy();
  return out;
}

function alignTo4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/** Uploads float32 data as its raw bits (the shaders read u32 so Inf/NaN are tested exactly). */
export function floatBits(data: Float32Array): Uint32Array {
  return new Uint32Array(data.buffer, data.byteOffset, data.length);
}

/** Submits work and turns a validation error (a wrong binding, a bad size) into an exception. */
export async function submitChecked(device: GPUDevice, commands: GPUCommandBuffer): Promise<void> {
  device.pushErrorScope('validation');
  device.queue.submit([commands]);
  const error = await device.popErrorScope();
  if (error) throw new Error(`WebGPU rejected the work: ${error.message}`);
}

/** One compute pass over buffers bound at 0, 1, 2... in order, submitted and checked. */
export async function runPass(device: GPUDevice, pipeline: GPUComputePipeline, buffers: readonly GPUBuffer[], d: { x: number; y: number }): Promise<void> {
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) }));
  pass.dispatchWorkgroups(d.x, d.y);
  pass.end();
  await submitChecked(device, enc.finish());
}
