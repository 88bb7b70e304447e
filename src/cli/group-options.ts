import {
  DEFAULT_CONNECTIVITY,
  DEFAULT_PERMUTATION_SEED,
  DEFAULT_PERMUTATIONS,
  DEFAULT_Z_THRESHOLD,
  TFCE_CONNECTIVITY,
  TFCE_E,
  TFCE_H,
} from '../analysis/constants';
import type { MapInput } from '../analysis/group/stack';
import type { Connectivity } from '../compute/engine';
import type { Volume } from '../nifti';
import { flag, numberFlag, UsageError, type Parsed } from './args';
import { readNiftiFile } from './files';
import { defaultThreads } from './thread-pool-engine';

/** --threads above this is a typo, not a machine. */
const MAX_THREADS = 256;

function connectivityFlag(p: Parsed, name: string, fallback: Connectivity): Connectivity {
  const c = numberFlag(p, name) ?? fallback;
  if (c !== 6 && c !== 18 && c !== 26) throw new UsageError(`--${name} must be 6, 18 or 26`);
  return c;
}

/** `siglens group`'s options shared by the named designs (group.ts) and models (group-glm.ts). */
export function options(p: Parsed) {
  const thresholdZ = numberFlag(p, 'threshold', (z) => Number.isFinite(z) && z > 0) ?? DEFAULT_Z_THRESHOLD;
  const n = flag(p, 'permutations');
  const permutations: number | 'all' =
    n === undefined
      ? DEFAULT_PERMUTATIONS
      : n === 'all'
        ? 'all'
        : numberFlag(p, 'permutations', (k) => Number.isSafeInteger(k) && k >= 1)!;
  const seed = numberFlag(p, 'seed', (s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32) ?? DEFAULT_PERMUTATION_SEED;
  const tfceFlags = ['tfce-step', 'tfce-e', 'tfce-h', 'tfce-connectivity'].filter((f) => flag(p, f) !== undefined);
  if (!flag(p, 'tfce') && tfceFlags.length) throw new UsageError(`--${tfceFlags[0]} goes with --tfce`);
  const positive = (x: number): boolean => Number.isFinite(x) && x > 0;
  const tfce = flag(p, 'tfce')
    ? {
        step: numberFlag(p, 'tfce-step', positive),
        E: numberFlag(p, 'tfce-e', positive) ?? TFCE_E,
        H: numberFlag(p, 'tfce-h', positive) ?? TFCE_H,
        connectivity: connectivityFlag(p, 'tfce-connectivity', TFCE_CONNECTIVITY),
      }
    : null;
  const threads =
    numberFlag(p, 'threads', (k) => Number.isSafeInteger(k) && k >= 1 && k <= MAX_THREADS) ?? defaultThreads();
  return {
    threads,
    thresholdZ,
    twoSided: flag(p, 'two-sided') === 'true',
    connectivity: connectivityFlag(p, 'connectivity', DEFAULT_CONNECTIVITY),
    permutations,
    seed,
    tfce,
    mask: flag(p, 'mask'),
    out: flag(p, 'out'),
  };
}

export type GroupOptions = ReturnType<typeof options>;

/** One map read whole, with its volume (the first is the outputs' template). */
export async function readMap(path: string): Promise<MapInput & { volume: Volume }> {
  const img = await readNiftiFile(path);
  const volume = img.volume(0);
  return { name: img.name, dims: volume.dims, affine: volume.affine, pixdim: volume.pixdim, data: volume.data, volume };
}
