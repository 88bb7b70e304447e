import * as Comlink from 'comlink';
import { browserShaderSources } from '../compute/gpu/shaders.browser';
import { AnalysisService, type PooledWorker } from './analysis';
import type { PermutationWorkerApi } from './permutation-pool';

const gpu = 'gpu' in navigator ? (navigator as Navigator & { gpu: GPU }).gpu : undefined;
/** Yields to the worker's message queue (a zero-delay timeout would be clamped to 4 ms). */
function pause(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });
}

/**
 * The CPU twin's permutations over the machine's cores: one worker per core but the page's and this
 * one, at most PERMUTATION_WORKERS_MAX (none on a machine of two cores or fewer: the shares would
 * only take turns).
 */
function permutationWorkers(): PooledWorker[] {
  const n = Math.min(PERMUTATION_WORKERS_MAX, (navigator.hardwareConcurrency || 1) - 1);
  if (n < 2) return [];
  return Array.from({ length: n }, (_, k) => {
    const w = new Worker(new URL('./permutation.worker.ts', import.meta.url), {
      type: 'module',
      name: `siglens-permutations-${k + 1}`,
    });
    return { api: Comlink.wrap<PermutationWorkerApi>(w), terminate: () => w.terminate() };
  });
}

/** Workers in the permutation pool, at most: past this, copies of the study cost more memory than the cores save time. */
const PERMUTATION_WORKERS_MAX = 8;

Comlink.expose(
  new AnalysisService(
    gpu,
    browserShaderSources,
    (value, buffers) => Comlink.transfer(value, buffers),
    pause,
    permutationWorkers,
  ),
);
