import type { GlmBatch } from '../compute/glm';
import type { ClusterRule, PermutationMaxima, TfceRule } from '../compute/permutation';

/** Messages between the command's thread pool (thread-pool-engine.ts) and each thread (thread-worker.ts). */

/** The study every thread reads: the stack and the mask, in SharedArrayBuffers (one copy for all threads). */
export interface StudyMessage {
  readonly type: 'study';
  readonly id: number;
  readonly subjects: number;
  readonly voxels: number;
  readonly values: Float32Array;
  readonly dims: readonly [number, number, number];
  readonly voxelIndex: Uint32Array;
}

/** One share of a sign-flip or relabelling batch. */
export interface MaximaMessage {
  readonly type: 'maxima';
  readonly job: number;
  readonly study: number;
  readonly kind: 'sign-flip' | 'relabel';
  readonly count: number;
  readonly codes: Float32Array;
  readonly mirrors: Uint8Array | null;
  readonly clusters: ClusterRule;
  readonly tfce: TfceRule | null;
}

/** One GLM contrast's data (src/compute/glm.ts) and its mask, in SharedArrayBuffers. */
export interface GlmDataMessage {
  readonly type: 'glm-data';
  readonly id: number;
  readonly rows: number;
  readonly voxels: number;
  readonly residuals: Float32Array;
  readonly sumSquares: Float32Array;
  readonly dims: readonly [number, number, number];
  readonly voxelIndex: Uint32Array;
}

/** One share of a GLM batch: its permutations' code rows. */
export interface GlmMaximaMessage {
  readonly type: 'glm-maxima';
  readonly job: number;
  readonly data: number;
  readonly batch: GlmBatch;
  readonly clusters: ClusterRule;
  readonly tfce: TfceRule | null;
}

export type ToThread = StudyMessage | MaximaMessage | GlmDataMessage | GlmMaximaMessage;

export type FromThread =
  | { readonly job: number; readonly maxima: PermutationMaxima }
  | { readonly job: number; readonly error: string };
