import * as Comlink from 'comlink';
import { CpuPermutation } from '../compute/cpu/permutation';
import type { ClusterRule, GroupStack, MaskGeometry, PermutationBatch, TfceRule } from '../compute/permutation';
import type { PermutationWorkerApi } from './permutation-pool';

/** One worker of the permutation pool: the CPU twin on the rows it is sent. */
const engine = new CpuPermutation();
let study: { stack: GroupStack; geometry: MaskGeometry } | null = null;

const api: PermutationWorkerApi = {
  setStudy(stack: GroupStack, geometry: MaskGeometry): void {
    study = { stack, geometry };
  },
  maxima(batch: PermutationBatch, clusters: ClusterRule, tfce: TfceRule | null) {
    if (!study) throw new Error('no study was sent to this permutation worker');
    return engine.permutationMaxima(study.stack, batch, study.geometry, clusters, tfce);
  },
};

Comlink.expose(api);
