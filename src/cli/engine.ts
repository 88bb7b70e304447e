import { chooseEngine, type EngineChoice } from '../compute/select';
import type { Parsed } from './args';
import { engineMode } from './engine-mode';
import { nodeGpu, nodeShaderSources, webgpuPackageMissing } from './node-gpu';

/** The engine named by --engine (default auto), and why it runs. */
export async function engineFrom(p: Parsed): Promise<EngineChoice> {
  const mode = engineMode(p);
  const gpu = mode === 'cpu' ? undefined : await nodeGpu();
  if (mode === 'gpu' && !gpu && webgpuPackageMissing())
    throw new Error('--engine gpu needs the optional webgpu package, which is not installed here (npm install webgpu)');
  return chooseEngine(mode, gpu, nodeShaderSources);
}

export function engineDocument(c: EngineChoice): { kind: string; description: string; reason: string } {
  return { kind: c.engine.kind, description: c.engine.description, reason: c.reason };
}
