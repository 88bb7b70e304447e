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

export type ToThread = StudyMessage | MaximaMessage;

export type FromThread = { readonly job: number; readonly maxima: PermutationMaxima } | { readonly job: number; readonly error: string };
