import { CPU_ENGINE_DESCRIPTION } from '../compute/cpu/description';
import type { EngineChoice, EngineMode } from '../compute/select';
import { UsageError, flag, type Parsed } from './args';

const MODES: readonly EngineMode[] = ['auto', 'gpu', 'cpu'];

function engineMode(p: Parsed): EngineMode {
  const mode = (flag(p, 'engine') ?? 'auto') as EngineMode;
  if (!MODES.includes(mode)) throw new UsageError(`--engine must be one of ${MODES.join(', ')}`);
  return mode;
}

/** The engine named by --engine (default auto), and why it runs. */
export async function engineFrom(p: Parsed): Promise<EngineChoice> {
  const mode = engineMode(p);
  // Imported here: a command on the CPU alone (info) loads neither the engines nor Dawn's binding.
  const [{ chooseEngine }, { nodeGpu, nodeShaderSources, webgpuPackageMissing }] = await Promise.all([
    import('../compute/select'),
    import('./node-gpu'),
  ]);
  const gpu = mode === 'cpu' ? undefined : await nodeGpu();
  if (mode === 'gpu' && !gpu && webgpuPackageMissing())
    throw new Error('--engine gpu needs the optional webgpu package, which is not installed here (npm install webgpu)');
  return chooseEngine(mode, gpu, nodeShaderSources);
}

export function engineDocument(c: EngineChoice): { kind: string; description: string; reason: string } {
  return { kind: c.engine.kind, description: c.engine.description, reason: c.reason };
}

/** The `engine` of a command that runs on the CPU alone: --engine is checked, and the answer says so. */
export function cpuOnlyEngine(p: Parsed, command: string): { kind: string; description: string; reason: string } {
  const mode = engineMode(p);
  const asked = mode === 'gpu' ? ` (--engine gpu has no GPU path to take here)` : '';
  return { kind: 'cpu', description: CPU_ENGINE_DESCRIPTION, reason: `${command} runs on the CPU alone${asked}` };
}
