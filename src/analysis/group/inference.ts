import { CpuEngine } from '../../compute/cpu/engine';
import { voxelToMm } from '../../nifti/affine';
import { clusterTable } from '../clusters';
import { FWE_TIE_RELATIVE } from '../constants';
import { clusterP } from '../grf';
import { estimateSmoothness } from '../smoothness';
import type { Connectivity } from '../../compute/engine';
import type { GroupStack, MaskGeometry } from '../../compute/permutation';
import type { SizedGrid } from '../grid';
import { zFromT } from './zt';

export interface GroupCluster {
  /** 1 = the largest. */
  readonly index: number;
  readonly sign: 1 | -1;
  readonly voxels: number;
  readonly volumeMm3: number;
  /** Sum of t over the cluster (of |t| for a negative one). */
  readonly mass: number;
  /** FWE p of the extent and of the mass, by permutation. */
  readonly pFwe: number;
  readonly pFweMass: number;
  /** The extent's p under Gaussian random field theory, smoothness from the z-map. */
  readonly pGrf: number;
  readonly peak: {
    readonly t: number;
    readonly z: number;
    readonly voxel: [number, number, number];
    readonly mm: [number, number, number];
  };
  readonly cog: { readonly mm: [number, number, number] };
}

/** At the analysed voxels: t, z, 1 - FWE p of max-T (vox_corrp), of each voxel's cluster extent, TFCE and its 1 - p. */
export interface GroupMaps {
  readonly tstat: Float32Array;
  readonly zstat: Float32Array;
  readonly vox_corrp: Float32Array;
  readonly clustere_corrp: Float32Array;
  readonly tfce_tstat: Float32Array | null;
  readonly tfce_corrp: Float32Array | null;
}

interface Nulls {
  readonly maxT: Float64Array;
  readonly maxExtent: Float64Array;
  readonly maxMass: Float64Array;
  readonly maxTfce: Float64Array | null;
}

/** The FWE p of each value: the share of the nulls that reach it (the data's own among them). */
export function fweP(nulls: ArrayLike<number>): (x: number) => number {
  const sorted = Float64Array.from(nulls).sort();
  const P = sorted.length;
  return (x) => {
    const edge = x - FWE_TIE_RELATIVE * Math.abs(x);
    let lo = 0;
    let hi = P;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < edge) lo = mid + 1;
      else hi = mid;
    }
    return (P - lo) / P;
  };
}

/**
 * The permutation cut-off for cluster size: the fewest voxels whose extent FWE p (fweP of the null
 * maximum extents) is below alpha, so the clusters of at least this many voxels are exactly those
 * with p FWE < alpha (p falls as the size grows). Infinity when no size is.
 */
export function criticalExtent(maxExtent: ArrayLike<number>, alpha: number): number {
  const p = fweP(maxExtent);
  const sizes = new Set<number>([1]);
  for (let k = 0; k < maxExtent.length; k++) sizes.add(Math.floor(maxExtent[k]!) + 1);
  let best = Infinity;
  for (const s of sizes) if (s < best && p(s) < alpha) best = s;
  return best;
}

/** What the observed map's inference reads of a group analysis's input (run.ts's GroupInput). */
export interface ObservedInput {
  readonly geometry: MaskGeometry;
  readonly grid: SizedGrid;
  readonly stack: Pick<GroupStack, 'subjects'>;
  /** Two-sample: group labels (two means estimated, one more df spent); null for a one-sample test. */
  readonly labels: Uint8Array | null;
  /** Cluster-forming threshold in z. */
  readonly thresholdZ: number;
  readonly twoSided: boolean;
  readonly connectivity: Connectivity;
}

/** The observed map's clusters with their permutation and GRF p, and the randomise maps. */
export async function observedInference(a: {
  input: ObservedInput;
  tObs: Float32Array;
  zObs: Float32Array;
  tfceObs: Float32Array | null;
  tU: number;
  nulls: Nulls;
}) {
  const { input, tObs, zObs, tfceObs, tU, nulls } = a;
  const { geometry, grid } = input;
  const idx = geometry.voxelIndex;
  const size = grid.dims[0] * grid.dims[1] * grid.dims[2];
  const tVol = scatter(tObs, idx, size);
  const table = await clusterTable(
    { data: tVol, dims: grid.dims, affine: grid.affine, pixdim: grid.pixdim },
    {
      threshold: tU,
      twoSided: input.twoSided,
      connectivity: input.connectivity,
      extent: { kind: 'none' },
      smoothness: { kind: 'none' },
    },
    new CpuEngine(),
  );
  const zVol = scatter(zObs, idx, size);
  // FSL's smoothest -z over the analysis mask (the zstat is 0 outside it).
  const maskVol = new Float32Array(size);
  for (let j = 0; j < idx.length; j++) maskVol[idx[j]!] = 1;
  const sm = estimateSmoothness({ data: zVol, dims: grid.dims, pixdim: grid.pixdim, affine: grid.affine }, maskVol);
  const df = input.labels ? input.stack.subjects - 2 : input.stack.subjects - 1;
  const mass = new Float64Array(table.clusters.length + 1);
  const labelAt = new Int32Array(idx.length);
  for (let j = 0; j < idx.length; j++) {
    const c = table.labels[idx[j]!]!;
    labelAt[j] = c;
    if (c > 0) mass[c]! += Math.abs(tObs[j]!);
  }
  const pExtent = fweP(nulls.maxExtent);
  const pMass = fweP(nulls.maxMass);
  const clusters: GroupCluster[] = table.clusters.map((c) => ({
    index: c.index,
    sign: c.sign,
    voxels: c.voxels,
    volumeMm3: c.volumeMm3,
    mass: mass[c.index]!,
    pFwe: pExtent(c.voxels),
    pFweMass: pMass(mass[c.index]!),
    pGrf: clusterP(c.voxels, { threshold: input.thresholdZ, dlh: sm.dlh, volume: sm.volume }),
    peak: {
      t: c.peak.value,
      z: zFromT(c.peak.value, df),
      voxel: c.peak.voxel,
      mm: voxelToMm(grid.affine, ...c.peak.voxel),
    },
    cog: { mm: c.cog.mm },
  }));
  const pT = fweP(nulls.maxT);
  const two = input.twoSided;
  const voxCorrp = tObs.map((t) => 1 - pT(two ? Math.abs(t) : t));
  const clusterCorrp = new Float32Array(idx.length);
  for (let j = 0; j < idx.length; j++) if (labelAt[j]! > 0) clusterCorrp[j] = 1 - clusters[labelAt[j]! - 1]!.pFwe;
  const pTfce = nulls.maxTfce && fweP(nulls.maxTfce);
  const maps: GroupMaps = {
    tstat: tObs,
    zstat: zObs,
    vox_corrp: voxCorrp,
    clustere_corrp: clusterCorrp,
    tfce_tstat: tfceObs,
    tfce_corrp: tfceObs && pTfce ? tfceObs.map((v) => 1 - pTfce(Math.abs(v))) : null,
  };
  const grf = {
    dlh: sm.dlh,
    volume: sm.volume,
    fwhmMm: sm.fwhmMm,
    source: 'smoothness estimated from the z-map within the mask (as FSL smoothest on a zstat)',
  };
  return { clusters, grf, maps };
}

/** Values at the analysed voxels into a volume of zeros. */
export function scatter(values: Float32Array, voxelIndex: Uint32Array, size: number): Float32Array {
  const out = new Float32Array(size);
  for (let j = 0; j < voxelIndex.length; j++) out[voxelIndex[j]!] = values[j]!;
  return out;
}
