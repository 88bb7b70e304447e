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
import type { NiftiImage, Volume } from '../nifti';
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
  const asked = numberFlag(p, 'threads', (k) => Number.isSafeInteger(k) && k >= 1 && k <= MAX_THREADS);
  return {
    threads: asked ?? defaultThreads(),
    /** --threads given: its threads start at once; by default they start when the run is long enough (POOL_MIN_RUN_MS). */
    threadsAsked: asked !== undefined,
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

/**
 * One map of a file, decoded when its data or volume is first wanted (the first is the outputs'
 * template), into `into` where it fits; `valuesAt` decodes the listed voxels alone.
 */
class ReadMap implements MapInput {
  readonly name: string;
  readonly dims: [number, number, number];
  readonly affine: number[];
  readonly pixdim: [number, number, number];
  readonly voxels: number;
  private decoded: Volume | null = null;

  constructor(
    private readonly img: NiftiImage,
    private readonly into: Float32Array | undefined,
  ) {
    this.name = img.name;
    this.dims = img.dims;
    this.affine = Array.from(img.affine);
    this.pixdim = [img.header.pixdim[1]!, img.header.pixdim[2]!, img.header.pixdim[3]!];
    this.voxels = img.voxels;
  }

  get volume(): Volume {
    return (this.decoded ??= this.img.volume(0, this.into?.length === this.img.voxels ? this.into : undefined));
  }

  get data(): Float32Array {
    return this.volume.data;
  }

  /** From the file's bytes whether or not `data` was decoded: the same arithmetic, so the same values. */
  readonly valuesAt = (at: Uint32Array, out: Float32Array): void => this.img.frameAt(0, at, out);

  /** The decoded data, where there is one, for the next map to be decoded into. */
  get decodedData(): Float32Array | null {
    return this.decoded?.data ?? null;
  }
}

/** One map read from a file (its frame 0), decoded when first wanted. */
export async function readMap(path: string, into?: Float32Array): Promise<ReadMap> {
  return new ReadMap(await readNiftiFile(path), into);
}

/** Buffers a study's reader keeps for the next maps: a paired subject's two. */
const REUSED_MAPS = 2;

/**
 * readMap for a study (StudyReading's read and release): each map is decoded into the data of a map
 * the study has released, so a paired study of n subjects writes two map-sized buffers instead of 2n
 * fresh ones (each fresh page costs a fault and zeroing: 20 maps, 40 ms). Only a whole buffer of its
 * own is reused, never a view of a file's bytes.
 */
export function studyMapReader(): { read: (path: string) => Promise<ReadMap>; release: (map: ReadMap) => void } {
  const free: Float32Array[] = [];
  return {
    read: (path) => readMap(path, free.pop()),
    release: (map) => {
      const data = map.decodedData;
      if (data && free.length < REUSED_MAPS && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength)
        free.push(data);
    },
  };
}
