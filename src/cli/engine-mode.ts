import { CPU_ENGINE_DESCRIPTION } from '../compute/cpu/description';
import type { EngineMode } from '../compute/select';
import { UsageError, flag, type Parsed } from './args';

const MODES: readonly EngineMode[] = ['auto', 'gpu', 'cpu'];

/** --engine's value (default auto), checked. Apart from engine.ts: `info` needs it without the engines' code. */
export function engineMode(p: Parsed): EngineMode {
  const mode = (flag(p, 'engine') ?? 'auto') as EngineMode;
  if (!MODES.includes(mode)) throw new UsageError(`--engine must be one of ${MODES.join(', ')}`);
  return mode;
}

/** The `engine` of a command that runs on the CPU alone: --engine is checked, and the answer says so. */
export function cpuOnlyEngine(p: Parsed, command: string): { kind: string; description: string; reason: string } {
  const mode = engineMode(p);
  const asked = mode === 'gpu' ? ` (--engine gpu has no GPU path to take here)` : '';
  return { kind: 'cpu', description: CPU_ENGINE_DESCRIPTION, reason: `${command} runs on the CPU alone${asked}` };
}
