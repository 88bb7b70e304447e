// One thread of the command's permutation pool (thread-pool-engine.ts): its own CPU twin on the
// rows it is sent, over the study it shares with the other threads.
import { parentPort } from 'node:worker_threads';
import { CpuGlm } from '../compute/cpu/glm';
import { adoptGraph } from '../compute/cpu/mask-graph';
import { CpuPermutation } from '../compute/cpu/permutation';
import type { GlmData } from '../compute/glm';
import type { GroupStack, MaskGeometry, PermutationBatch, PermutationMaxima } from '../compute/permutation';
import { batchRows, glmBatchRows } from '../compute/row-split';
import { takeChunks } from './shared-rows';
import type { FromThread, ToThread } from './thread-protocol';

if (!parentPort) throw new Error('thread-worker.ts runs as a worker thread of siglens group');
const port = parentPort;
const engine = new CpuPermutation();
// Kept as the same objects from batch to batch: the engine caches per-stack sums and per-mask graphs.
let study: { id: number; stack: GroupStack; geometry: MaskGeometry } | null = null;

// The latest GLM contrast's data (a model's contrasts run one after another).
let glm: { id: number; data: GlmData; geometry: MaskGeometry } | null = null;
const glmEngine = new CpuGlm();

/** Keeps the latest study or GLM data; takes a batch's chunks until none is left, telling the pool of each. */
async function answer(m: ToThread): Promise<void> {
  if (m.type === 'study') {
    study = {
      id: m.id,
      stack: { subjects: m.subjects, voxels: m.voxels, values: m.values },
      geometry: { dims: m.dims, voxelIndex: m.voxelIndex },
    };
    return;
  }
  if (m.type === 'glm-data') {
    glm = {
      id: m.id,
      data: { rows: m.rows, voxels: m.voxels, residuals: m.residuals, sumSquares: m.sumSquares },
      geometry: { dims: m.dims, voxelIndex: m.voxelIndex },
    };
    return;
  }
  if (m.type === 'graph') {
    const geometry = study?.id === m.target ? study.geometry : glm?.id === m.target ? glm.geometry : null;
    if (geometry) adoptGraph(geometry, m.connectivity, { start: m.start, nbrs: m.nbrs, order: m.order });
    return;
  }
  const told = (): void => port.postMessage({ job: m.job, chunk: true } satisfies FromThread);
  try {
    if (m.type === 'glm-maxima') {
      const g = glm;
      if (!g || g.id !== m.data) throw new Error(`thread has no GLM data ${m.data}`);
      const run = (from: number, to: number): Promise<PermutationMaxima> =>
        glmEngine.glmMaxima(g.data, glmBatchRows(m.batch, g.data.rows, from, to), g.geometry, m.clusters, m.tfce);
      await takeChunks(m.rows, run, told);
      return;
    }
    const s = study;
    if (!s || s.id !== m.study) throw new Error(`thread has no study ${m.study}`);
    const batch: PermutationBatch = {
      kind: m.kind,
      count: m.rows.count,
      codes: m.codes,
      ...(m.mirrors ? { mirrors: m.mirrors } : {}),
    };
    const width = s.stack.subjects;
    const run = (from: number, to: number): Promise<PermutationMaxima> =>
      engine.permutationMaxima(s.stack, batchRows(batch, width, from, to), s.geometry, m.clusters, m.tfce);
    await takeChunks(m.rows, run, told);
  } catch (e) {
    port.postMessage({ job: m.job, error: e instanceof Error ? e.message : String(e) } satisfies FromThread);
  }
}

port.on('message', (m: ToThread) => void answer(m));
