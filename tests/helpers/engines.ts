import { CpuEngine } from '../../src/compute/cpu/engine';
import type { Engine } from '../../src/compute/engine';
import { GpuEngine, type GpuEngineOptions } from '../../src/compute/gpu/engine';
import { nodeGpu, nodeShaderSources } from '../../src/cli/node-gpu';
import { useResource } from './suite-resource';

/** The WebGPU engine on Dawn + SwiftShader; the test fails (never skips) when it cannot start. */
export async function dawnEngine(options: GpuEngineOptions = {}): Promise<GpuEngine> {
  const gpu = await nodeGpu();
  if (!gpu) throw new Error('the webgpu package (Dawn) did not load');
  const adapter = await gpu.requestAdapter();
  if (!adapter)
    throw new Error(
      'Dawn found no adapter: is libvulkan1 installed and VK_ICD_FILENAMES set to SwiftShader? (scripts/test.sh does both)',
    );
  return GpuEngine.create(adapter, await nodeShaderSources(), options);
}

export type EngineFactory = { name: string; make: () => Promise<Engine> };

/** Every engine the shared suite runs against: the CPU reference and the WGSL passes through Dawn. */
export const ENGINES: EngineFactory[] = [
  { name: 'cpu', make: async () => new CpuEngine() },
  { name: 'gpu (Dawn)', make: dawnEngine },
];

/** An engine for the enclosing `describe`: made before its tests, disposed after them. */
export function useEngine<E extends Engine>(make: () => Promise<E>): E {
  return useResource('engine', make, (e) => e.dispose());
}
