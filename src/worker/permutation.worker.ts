import * as Comlink from 'comlink';
import { CpuGlm } from '../compute/cpu/glm';
import { CpuPermutation } from '../compute/cpu/permutation';
import type { GlmBatch, GlmData } from '../compute/glm';
import type { ClusterRule, GroupStack, MaskGeometry, PermutationBatch, TfceRule } from '../compute/permutation';
import type { PermutationWorkerApi } from './permutation-pool';

/** One worker of the permutation pool: the CPU twin on the rows it is sent. */
const engine = new CpuPermutation();
let study: { stack: GroupStack; geometry: MaskGeometry } | null = null;
const glmEngine = new CpuGlm();
let glm: { data: GlmData; geometry: MaskGeometry } | null = null;

const api: PermutationWorkerApi = {
  setStudy(stack: GroupStack, geometry: MaskGeometry): void {
    study = { stack, geometry };
  },
  maxima(batch: PermutationBatch, clusters: ClusterRule, tfce: TfceRule | null) {
    if (!study) throw new Error('no study was sent to this permutation worker');
    return engine.permutationMaxima(study.stack, batch, study.geometry, clusters, tfce);
  },
  setGlm(data: GlmData, geometry: MaskGeometry): void {
    glm = { data, geometry };
  },
  glmMaxima(batch: GlmBatch, clusters: ClusterRule, tfce: TfceRule | null) {
    if (!glm) throw new Error('no GLM data were sent to this permutation worker');
    return glmEngine.glmMaxima(glm.data, batch, glm.geometry, clusters, tfce);
  },
};

Comlink.expose(api);
