import type { Connectivity } from '../compute/engine';
import type { GlmBatch } from '../compute/glm';
import type { ClusterRule, TfceRule } from '../compute/permutation';
import type { SharedRows } from './shared-rows';

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

/** A sign-flip or relabelling batch, its codes and mirror flags shared: the thread takes chunks of `rows`. */
export interface MaximaMessage {
  readonly type: 'maxima';
  readonly job: number;
  readonly study: number;
  readonly kind: 'sign-flip' | 'relabel';
  readonly codes: Float32Array;
  readonly mirrors: Uint8Array | null;
  readonly rows: SharedRows;
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

/** A GLM batch, its code rows shared: the thread takes chunks of `rows`, a permutation `rank` code rows. */
export interface GlmMaximaMessage {
  readonly type: 'glm-maxima';
  readonly job: number;
  readonly data: number;
  readonly batch: GlmBatch;
  readonly rows: SharedRows;
  readonly clusters: ClusterRule;
  readonly tfce: TfceRule | null;
}

/** A TFCE graph (blockedGraph) the main thread built for a study's or a GLM data's mask (`target`, their id), in shared memory. */
export interface GraphMessage {
  readonly type: 'graph';
  readonly target: number;
  readonly connectivity: Connectivity;
  readonly start: Int32Array;
  readonly nbrs: Int32Array;
  readonly order: Int32Array;
}

export type ToThread = StudyMessage | MaximaMessage | GlmDataMessage | GlmMaximaMessage | GraphMessage;

/** A chunk of a job written (the pool checks whether the batch is complete), or the job's failure. */
export type FromThread =
  | { readonly job: number; readonly chunk: true }
  | { readonly job: number; readonly error: string };
