import type { ClusterRule, GroupStack, MaskGeometry, PermutationBatch, PermutationEngine, PermutationMaxima, TfceRule } from '../permutation';
import { maskGraph } from './mask-graph';
import { ClusterScratch } from './permutation-clusters';
import { PermutedT } from './permuted-t';
import { TfceScratch } from './tfce';

/**
 * The float64 reference of the permutation passes: sums in float64, each permuted t-map rounded to
 * float32 (as the GPU holds it) before it is thresholded, so clusters are compared in float32 as
 * every labelling here is.
 */
export class CpuPermutation implements PermutationEngine {
  async permutedT(stack: GroupStack, batch: PermutationBatch): Promise<Float32Array> {
    const m = stack.voxels;
    const out = new Float32Array(batch.count * m);
    const pt = new PermutedT(stack, batch);
    for (let p = 0; p < batch.count; p++) out.set(pt.compute(p), p * m);
    return out;
  }

  async permutationMaxima(stack: GroupStack, batch: PermutationBatch, geometry: MaskGeometry, clusters: ClusterRule, tfce: TfceRule | null): Promise<PermutationMaxima> {
    if (geometry.voxelIndex.length !== stack.voxels) throw new RangeError(`the mask lists ${geometry.voxelIndex.length} voxels, the stack holds ${stack.voxels}`);
    const m = stack.voxels;
    const pt = new PermutedT(stack, batch);
    const clusterGraph = maskGraph(geometry, clusters.connectivity, false);
    const tfceGraph = tfce && maskGraph(geometry, tfce.connectivity, true);
    const scratch = new ClusterScratch(m);
    const tfceScratch = tfce && new TfceScratch(m);
    const maxT = new Float64Array(batch.count);
    const maxExtent = new Float64Array(batch.count);
    const maxMass = new Float64Array(batch.count);
    const maxTfce = tfce ? new Float64Array(batch.count) : null;
    for (let p = 0; p < batch.count; p++) {
      let t: Float32Array | null = null;
      if (tfce) {
        // TFCE needs the whole map: make it, then take its maxima.
        t = pt.compute(p);
        maxT[p] = largest(t, clusters.twoSided);
        scratch.begin();
        scratch.addMap(t, clusters.threshold, clusters.twoSided);
      } else {
        maxT[p] = pt.scan(p, clusters.threshold, clusters.twoSided, scratch);
      }
      const c = scratch.finish(clusterGraph);
      maxExtent[p] = c.extent;
      maxMass[p] = c.mass;
      if (t && maxTfce && tfceScratch && tfceGraph && tfce) {
        const pos = tfceScratch.run(t, 1, tfce.step, tfce.E, tfce.H, tfceGraph);
        maxTfce[p] = tfce.twoSided ? Math.max(pos, tfceScratch.run(t, -1, tfce.step, tfce.E, tfce.H, tfceGraph)) : pos;
      }
    }
    return { maxT, maxExtent, maxMass, maxTfce };
  }

  async tfce(t: Float32Array, geometry: MaskGeometry, rule: TfceRule): Promise<Float32Array> {
    if (geometry.voxelIndex.length !== t.length) throw new RangeError(`the mask lists ${geometry.voxelIndex.length} voxels, the map holds ${t.length}`);
    const out = new Float32Array(t.length);
    const graph = maskGraph(geometry, rule.connectivity, true);
    const scratch = new TfceScratch(t.length);
    scratch.run(t, 1, rule.step, rule.E, rule.H, graph, out);
    if (rule.twoSided) scratch.run(t, -1, rule.step, rule.E, rule.H, graph, out);
    return out;
  }
}

/** Max t, or max |t| two-sided. */
function largest(t: Float32Array, twoSided: boolean): number {
  let best = -Infinity;
  for (let v = 0; v < t.length; v++) {
    const x = twoSided ? Math.abs(t[v]!) : t[v]!;
    if (x > best) best = x;
  }
  return best;
}
