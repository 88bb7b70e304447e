import type { ClusterRule } from '../permutation';
import { uniformBuffer } from './buffers';
import { batchDispatch, bindAll, bindingLayout, encodePass } from './dispatch';
import { PERM_PARAMS_BYTES, writePermParams } from './perm-params';
import type { NeighbourTable } from './mask-neighbours';
import { computePipeline, type ShaderSources } from './shaders';

/** Voxels one workgroup of cluster-max reduces (WG * PER_THREAD in shaders/cluster-max.wgsl). */
const VOXELS_PER_GROUP = 256 * 16;
/** Words per workgroup partial: extent, mass whole part, mass fraction * 2^32. */
const PARTIAL_WORDS = 3;

/** The batch's buffers, rows x voxels each (partials: rows x groups x 3 words). */
export interface ClusterBuffers {
  readonly t: GPUBuffer;
  readonly neighbours: GPUBuffer;
  readonly labels: GPUBuffer;
  readonly extent: GPUBuffer;
  readonly massLo: GPUBuffer;
  readonly massHi: GPUBuffer;
  readonly partials: GPUBuffer;
}

export interface ClusterMaxima {
  readonly maxExtent: Float64Array;
  readonly maxMass: Float64Array;
}

/**
 * Clusters of every permuted t-map of a batch at t_u, in four passes of one submission: the volume
 * labelling's union-find (Playne & Hawick) in the mask's index space, a root-wise extent and exact
 * fixed-point mass, and a reduction to each row's largest. No t-map leaves the GPU.
 */
export class ClusterPipeline {
  private readonly passes: GPUComputePipeline[];

  constructor(
    private readonly device: GPUDevice,
    sources: ShaderSources,
  ) {
    const layout = bindingLayout(device, 'cluster passes', [
      'uniform',
      'read-only-storage',
      'read-only-storage',
      'storage',
      'storage',
      'storage',
      'storage',
      'storage',
    ]);
    this.passes = (['cluster-init', 'cluster-merge', 'cluster-size', 'cluster-max'] as const).map((name) =>
      computePipeline(device, sources, name, layout),
    );
  }

  static groupsPerRow(voxels: number): number {
    return Math.ceil(voxels / VOXELS_PER_GROUP);
  }

  static partialBytes(rows: number, voxels: number): number {
    return rows * ClusterPipeline.groupsPerRow(voxels) * PARTIAL_WORDS * 4;
  }

  /** Appends the four passes; returns the uniform to free after submission. */
  encode(
    enc: GPUCommandEncoder,
    b: ClusterBuffers,
    rows: number,
    voxels: number,
    table: NeighbourTable,
    rule: ClusterRule,
  ): GPUBuffer {
    const d = batchDispatch(rows, voxels);
    const groups = ClusterPipeline.groupsPerRow(voxels);
    const params = new ArrayBuffer(PERM_PARAMS_BYTES);
    writePermParams(params, 0, {
      voxels,
      rows,
      stride: table.stride,
      backward: table.backward,
      // Compared in float32, as the volume labelling does (src/compute/engine.ts, LabelRequest).
      threshold: rule.threshold,
      above: 0,
      below: 0,
      twoSided: rule.twoSided,
      rowStride: d.rowStride,
      groups,
      weight: 0,
      E: 0,
    });
    const uniform = uniformBuffer(this.device, params, 'cluster params');
    const bytes = rows * voxels * 4;
    enc.clearBuffer(b.extent, 0, bytes);
    enc.clearBuffer(b.massLo, 0, bytes);
    enc.clearBuffer(b.massHi, 0, bytes);
    const group = bindAll(this.device, this.passes[0]!, [
      uniform,
      b.t,
      b.neighbours,
      b.labels,
      b.extent,
      b.massLo,
      b.massHi,
      b.partials,
    ]);
    for (const pipeline of this.passes.slice(0, 3)) encodePass(enc, pipeline, group, d.x, d.y);
    encodePass(enc, this.passes[3]!, group, groups, rows);
    return uniform;
  }
}

/** Each row's largest extent and mass from the workgroups' partials (mass = whole + fraction / 2^32, in float64). */
export function reduceClusterPartials(words: Uint32Array, rows: number, voxels: number): ClusterMaxima {
  const groups = ClusterPipeline.groupsPerRow(voxels);
  const maxExtent = new Float64Array(rows);
  const maxMass = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < groups; g++) {
      const o = (r * groups + g) * PARTIAL_WORDS;
      maxExtent[r] = Math.max(maxExtent[r]!, words[o]!);
      maxMass[r] = Math.max(maxMass[r]!, words[o + 1]! + words[o + 2]! / 2 ** 32);
    }
  }
  return { maxExtent, maxMass };
}
