import { checkMaskVoxels } from '../permutation';
import type {
  ClusterRule,
  GroupStack,
  MaskGeometry,
  PermutationBatch,
  PermutationEngine,
  PermutationMaxima,
  TfceRule,
} from '../permutation';
import { blockedGraph } from './mask-graph';
import { ClusterScratch, supraLattice } from './permutation-clusters';
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

  /** A row and its mirror share one pass over the voxels (PermutationBatch.mirrors). */
  readonly mirrors = true;

  async permutationMaxima(
    stack: GroupStack,
    batch: PermutationBatch,
    geometry: MaskGeometry,
    clusters: ClusterRule,
    tfce: TfceRule | null,
  ): Promise<PermutationMaxima> {
    checkMaskVoxels(geometry, stack.voxels);
    const m = stack.voxels;
    const pt = this.permuted(stack, batch);
    const lattice = supraLattice(geometry, clusters.connectivity);
    const tfceGraph = tfce && blockedGraph(geometry, tfce.connectivity);
    const work = this.scratchFor(m);
    const scratch = work.clusters;
    const tfceScratch = tfce && work.tfce;
    const out = emptyMaxima(batch.count, tfce !== null);
    // Mirrors: one-sided sign flips only (two-sided, a row's maxima are its mirror's).
    const mirrors =
      batch.kind === 'sign-flip' && !clusters.twoSided && batch.mirrors?.includes(1) ? batch.mirrors : null;
    if (mirrors && mirrors.length !== batch.count)
      throw new RangeError(`${mirrors.length} mirror flags for ${batch.count} permutations`);
    const mirror = mirrors && emptyMaxima(batch.count, tfce !== null);
    const mirrorScratch = mirrors && work.mirror;
    for (let p = 0; p < batch.count; p++) {
      const both = mirrors?.[p] === 1;
      if (!tfce || !tfceScratch || !tfceGraph) {
        out.maxT[p] = both
          ? pt.scanPair(p, clusters.threshold, scratch, mirrorScratch!)
          : pt.scan(p, clusters.threshold, clusters.twoSided, scratch);
        setClusters(out, p, scratch.finish(lattice));
        if (both) {
          mirror!.maxT[p] = pt.mirrorBest;
          setClusters(mirror!, p, mirrorScratch!.finish(lattice));
        }
        continue;
      }
      // TFCE needs the whole map: make it, then take its maxima (and its mirror's, from -t).
      const t = pt.compute(p);
      out.maxT[p] = largest(t, 1, clusters.twoSided);
      scratch.begin();
      scratch.addMap(t, clusters.threshold, clusters.twoSided);
      setClusters(out, p, scratch.finish(lattice));
      const pos = tfceScratch.run(t, 1, tfce.step, tfce.E, tfce.H, tfceGraph);
      out.maxTfce![p] = tfce.twoSided
        ? Math.max(pos, tfceScratch.run(t, -1, tfce.step, tfce.E, tfce.H, tfceGraph))
        : pos;
      if (both) {
        mirror!.maxT[p] = largest(t, -1, false);
        scratch.begin();
        scratch.addMirror(t, clusters.threshold);
        setClusters(mirror!, p, scratch.finish(lattice));
        mirror!.maxTfce![p] = tfceScratch.run(t, -1, tfce.step, tfce.E, tfce.H, tfceGraph);
      }
    }
    return mirror ? { ...out, mirror } : out;
  }

  /** The last batch's sums, kept for the next batch of the same stack (batches follow each other through a plan). */
  private last: PermutedT | null = null;

  /** Work arrays, reused from batch to batch while the voxel count stays (the TFCE one made when first needed). */
  private scratch: {
    voxels: number;
    clusters: ClusterScratch;
    mirror: ClusterScratch | null;
    tfceScratch: TfceScratch | null;
  } | null = null;

  private scratchFor(voxels: number): {
    clusters: ClusterScratch;
    readonly mirror: ClusterScratch;
    readonly tfce: TfceScratch;
  } {
    if (this.scratch?.voxels !== voxels)
      this.scratch = { voxels, clusters: new ClusterScratch(voxels), mirror: null, tfceScratch: null };
    const s = this.scratch;
    return {
      clusters: s.clusters,
      get mirror(): ClusterScratch {
        return (s.mirror ??= new ClusterScratch(voxels));
      },
      get tfce(): TfceScratch {
        return (s.tfceScratch ??= new TfceScratch(voxels));
      },
    };
  }

  private permuted(stack: GroupStack, batch: PermutationBatch): PermutedT {
    if (this.last?.stack === stack && this.last.continueWith(batch)) return this.last;
    this.last = new PermutedT(stack, batch);
    return this.last;
  }

  async tfce(t: Float32Array, geometry: MaskGeometry, rule: TfceRule): Promise<Float32Array> {
    checkMaskVoxels(geometry, t.length);
    const out = new Float32Array(t.length);
    const graph = blockedGraph(geometry, rule.connectivity);
    const scratch = new TfceScratch(t.length);
    scratch.run(t, 1, rule.step, rule.E, rule.H, graph, out);
    if (rule.twoSided) scratch.run(t, -1, rule.step, rule.E, rule.H, graph, out);
    return out;
  }
}

/** Max of sign * t (the mirror's max t for sign -1), or max |t| two-sided. */
function largest(t: Float32Array, sign: 1 | -1, twoSided: boolean): number {
  let best = -Infinity;
  for (let v = 0; v < t.length; v++) {
    const x = twoSided ? Math.abs(t[v]!) : sign * t[v]!;
    if (x > best) best = x;
  }
  return best;
}

interface WritableMaxima {
  readonly maxT: Float64Array;
  readonly maxExtent: Float64Array;
  readonly maxMass: Float64Array;
  readonly maxTfce: Float64Array | null;
}

function emptyMaxima(count: number, tfce: boolean): WritableMaxima {
  return {
    maxT: new Float64Array(count),
    maxExtent: new Float64Array(count),
    maxMass: new Float64Array(count),
    maxTfce: tfce ? new Float64Array(count) : null,
  };
}

function setClusters(m: WritableMaxima, p: number, c: { extent: number; mass: number }): void {
  m.maxExtent[p] = c.extent;
  m.maxMass[p] = c.mass;
}
