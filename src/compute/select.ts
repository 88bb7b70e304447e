import { CpuEngine } from './cpu/engine';
import type { Engine } from './engine';
import { describeAdapter, GpuEngine } from './gpu/engine';
import type { ShaderSources } from './gpu/shaders';

export type EngineMode = 'auto' | 'gpu' | 'cpu';

export interface EngineChoice {
  readonly engine: Engine;
  /** Why this engine runs, in words for the user. */
  readonly reason: string;
}

/**
 * Picks the compute path. `auto` takes WebGPU only on a hardware adapter: a software adapter
 * (SwiftShader) gives the same answers but is slower than the CPU engine, so auto says so and uses the CPU.
 */
export async function chooseEngine(
  mode: EngineMode,
  gpu: GPU | undefined,
  shaders: () => Promise<ShaderSources>,
): Promise<EngineChoice> {
  if (mode === 'cpu') return { engine: new CpuEngine(), reason: 'the CPU engine was requested' };
  const adapter = gpu ? await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null) : null;
  if (!adapter) {
    if (mode === 'gpu')
      throw new Error(gpu ? 'WebGPU found no adapter on this machine' : 'WebGPU is not available here');
    return {
      engine: new CpuEngine(),
      reason: gpu
        ? 'WebGPU found no adapter, so the CPU engine runs'
        : 'WebGPU is not available, so the CPU engine runs',
    };
  }
  const summary = describeAdapter(adapter);
  if (mode === 'auto' && summary.software) {
    return {
      engine: new CpuEngine(),
      reason: `the only WebGPU adapter is a software one (${summary.name}), slower than the CPU engine`,
    };
  }
  try {
    const engine = await GpuEngine.create(adapter, await shaders());
    return {
      engine,
      reason:
        mode === 'gpu'
          ? `WebGPU was requested (${summary.name})`
          : `a hardware WebGPU adapter is available (${summary.name})`,
    };
  } catch (e) {
    if (mode === 'gpu') throw e;
    return {
      engine: new CpuEngine(),
      reason: `WebGPU failed to start (${e instanceof Error ? e.message : String(e)}), so the CPU engine runs`,
    };
  }
}
