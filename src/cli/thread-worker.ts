// One thread of the command's permutation pool (thread-pool-engine.ts): its own CPU twin on the
// rows it is sent, over the study it shares with the other threads.
import { parentPort } from 'node:worker_threads';
import { CpuGlm } from '../compute/cpu/glm';
import { CpuPermutation } from '../compute/cpu/permutation';
import type { GlmData } from '../compute/glm';
import type { GroupStack, MaskGeometry, PermutationMaxima } from '../compute/permutation';
import type { FromThread, ToThread } from './thread-protocol';

const port = parentPort;
if (!port) throw new Error('thread-worker.ts runs as a worker thread of siglens group');
const engine = new CpuPermutation();
// Kept as the same objects from batch to batch: the engine caches per-stack sums and per-mask graphs.
let study: { id: number; stack: GroupStack; geometry: MaskGeometry } | null = null;

// The latest GLM contrast's data (a model's contrasts run one after another).
let glm: { id: number; data: GlmData; geometry: MaskGeometry } | null = null;
const glmEngine = new CpuGlm();

async function answer(m: ToThread): Promise<FromThread | null> {
  if (m.type === 'study') {
    study = {
      id: m.id,
      stack: { subjects: m.subjects, voxels: m.voxels, values: m.values },
      geometry: { dims: m.dims, voxelIndex: m.voxelIndex },
    };
    return null;
  }
  if (m.type === 'glm-data') {
    glm = {
      id: m.id,
      data: { rows: m.rows, voxels: m.voxels, residuals: m.residuals, sumSquares: m.sumSquares },
      geometry: { dims: m.dims, voxelIndex: m.voxelIndex },
    };
    return null;
  }
  try {
    if (m.type === 'glm-maxima') {
      if (!glm || glm.id !== m.data) throw new Error(`thread has no GLM data ${m.data}`);
      return { job: m.job, maxima: await glmEngine.glmMaxima(glm.data, m.batch, glm.geometry, m.clusters, m.tfce) };
    }
    if (!study || study.id !== m.study) throw new Error(`thread has no study ${m.study}`);
    const maxima = await engine.permutationMaxima(
      study.stack,
      { kind: m.kind, count: m.count, codes: m.codes, ...(m.mirrors ? { mirrors: m.mirrors } : {}) },
      study.geometry,
      m.clusters,
      m.tfce,
    );
    return { job: m.job, maxima };
  } catch (e) {
    return { job: m.job, error: e instanceof Error ? e.message : String(e) };
  }
}

const buffers = (m: PermutationMaxima): ArrayBuffer[] =>
  [m.maxT, m.maxExtent, m.maxMass, ...(m.maxTfce ? [m.maxTfce] : [])]
    .map((a) => a.buffer as ArrayBuffer)
    .concat(m.mirror ? buffers(m.mirror) : []);

port.on('message', (m: ToThread) => {
  void answer(m).then((reply) => {
    if (reply) port.postMessage(reply, 'maxima' in reply ? buffers(reply.maxima) : []);
  });
});
