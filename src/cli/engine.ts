import { chooseEngine, type EngineChoice, type EngineMode } from '../compute/select';
import { UsageError, flag, type Parsed } from './args';
import { nodeGpu, nodeShaderSources } from './node-gpu';

const MODES: readonly EngineMode[] = ['auto', 'gpu', 'cpu'];

/** The engine named by --engine (default auto), and why it runs. */
export async function engineFrom(p: Parsed): Promise<EngineChoice> {
  const mode = (flag(p, 'engine') ?? 'auto') as EngineMode;
  if (!MODES.includes(mode)) throw new UsageError(`--engine must be one of ${MODES.join(', ')}`);
  return chooseEngine(mode, mode === 'cpu' ? undefined : await nodeGpu(), nodeShaderSources);
}

export function engineDocument(c: EngineChoice): { kind: string; description: string; reason: string } {
  return { kind: c.engine.kind, description: c.engine.description, reason: c.reason };
}
