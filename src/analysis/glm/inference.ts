import { CpuEngine } from '../../compute/cpu/engine';
import type { TfceRule } from '../../compute/permutation';
import { voxelToMm } from '../../nifti/affine';
import { clusterTable } from '../clusters';
import { clusterP } from '../grf';
import { fweP, scatter } from '../group/inference';
import { estimateSmoothness } from '../smoothness';
import { zFromF, zFromT } from '../group/zt';
import type { Test } from './model';
import type { GlmInput } from './input';

/** A cluster of a contrast's (or F-test's) map at its threshold: one-sided, as randomise. */
export interface GlmCluster {
  readonly index: number;
  readonly voxels: number;
  readonly volumeMm3: number;
  /** Sum of the statistic (t or F) over the cluster. */
  readonly mass: number;
  /** FWE p of the extent and of the mass, by permutation. */
  readonly pFwe: number;
  readonly pFweMass: number;
  /** t-contrasts: the extent's GRF p (smoothness from the z-map); null for F. */
  readonly pGrf: number | null;
  readonly peak: {
    readonly stat: number;
    readonly z: number;
    readonly voxel: [number, number, number];
    readonly mm: [number, number, number];
  };
  readonly cog: { readonly mm: [number, number, number] };
}

/** At the analysed voxels, as randomise names them (1 - p in the corrp and vox_p maps). */
export interface GlmMaps {
  /** t or F. */
  readonly stat: Float32Array;
  readonly z: Float32Array;
  readonly vox_corrp: Float32Array;
  readonly clustere_corrp: Float32Array;
  readonly clusterm_corrp: Float32Array;
  readonly tfce: Float32Array | null;
  readonly tfce_corrp: Float32Array | null;
  readonly vox_p: Float32Array | null;
}

interface InferenceInput {
  readonly input: GlmInput;
  readonly test: Test;
  readonly df: number;
  readonly df1: number;
  readonly stat: Float32Array;
  readonly z: Float32Array;
  readonly statThreshold: number;
  readonly tfce: TfceRule | null;
  readonly nulls: {
    readonly maxStat: Float64Array;
    readonly maxExtent: Float64Array;
    readonly maxMass: Float64Array;
    readonly maxTfce: Float64Array | null;
  };
  readonly exceed: Uint32Array | null;
  readonly count: number;
}

/** The observed map's clusters with their FWE p, and the randomise maps of one contrast or F-test. */
export async function glmInference(a: InferenceInput): Promise<{ clusters: GlmCluster[]; maps: GlmMaps }> {
  const { input, stat, z, nulls } = a;
  const { geometry, grid } = input;
  const idx = geometry.voxelIndex;
  const size = grid.dims[0] * grid.dims[1] * grid.dims[2];
  const cpu = new CpuEngine();
  const table = await clusterTable(
    { data: scatter(stat, idx, size), dims: grid.dims, affine: grid.affine, pixdim: grid.pixdim },
    {
      threshold: a.statThreshold,
      twoSided: false,
      connectivity: input.connectivity,
      extent: { kind: 'none' },
      smoothness: { kind: 'none' },
    },
    cpu,
  );
  const grf = a.test.kind === 't' ? smoothnessOf(z, idx, grid) : null;
  const mass = new Float64Array(table.clusters.length + 1);
  const labelAt = new Int32Array(idx.length);
  for (let j = 0; j < idx.length; j++) {
    const c = table.labels[idx[j]!]!;
    labelAt[j] = c;
    if (c > 0) mass[c] = mass[c]! + stat[j]!;
  }
  const pExtent = fweP(nulls.maxExtent);
  const pMass = fweP(nulls.maxMass);
  const toZ = (x: number): number => (a.test.kind === 't' ? zFromT(x, a.df) : zFromF(x, a.df1, a.df));
  const clusters: GlmCluster[] = table.clusters.map((c) => ({
    index: c.index,
    voxels: c.voxels,
    volumeMm3: c.volumeMm3,
    mass: mass[c.index]!,
    pFwe: pExtent(c.voxels),
    pFweMass: pMass(mass[c.index]!),
    pGrf: grf ? clusterP(c.voxels, { threshold: input.thresholdZ, dlh: grf.dlh, volume: grf.volume }) : null,
    peak: {
      stat: c.peak.value,
      z: toZ(c.peak.value),
      voxel: c.peak.voxel,
      mm: voxelToMm(grid.affine, ...c.peak.voxel),
    },
    cog: { mm: c.cog.mm },
  }));
  const clustere = new Float32Array(idx.length);
  const clusterm = new Float32Array(idx.length);
  for (let j = 0; j < idx.length; j++) {
    const c = labelAt[j]!;
    if (c <= 0) continue;
    clustere[j] = 1 - clusters[c - 1]!.pFwe;
    clusterm[j] = 1 - clusters[c - 1]!.pFweMass;
  }
  const pStat = fweP(nulls.maxStat);
  const tfceMap = a.tfce ? await cpu.tfce(a.test.kind === 't' ? stat : z, geometry, a.tfce) : null;
  const pTfce = nulls.maxTfce && fweP(nulls.maxTfce);
  const exceed = a.exceed;
  const maps: GlmMaps = {
    stat,
    z,
    vox_corrp: stat.map((x) => 1 - pStat(x)),
    clustere_corrp: clustere,
    clusterm_corrp: clusterm,
    tfce: tfceMap,
    tfce_corrp: tfceMap && pTfce ? tfceMap.map((v) => (v > 0 ? 1 - pTfce(v) : 0)) : null,
    vox_p: exceed ? Float32Array.from(exceed, (k) => 1 - k / a.count) : null,
  };
  return { clusters, maps };
}

function smoothnessOf(z: Float32Array, idx: Uint32Array, grid: GlmInput['grid']): { dlh: number; volume: number } {
  const size = grid.dims[0] * grid.dims[1] * grid.dims[2];
  const maskVol = new Float32Array(size);
  for (let j = 0; j < idx.length; j++) maskVol[idx[j]!] = 1;
  const sm = estimateSmoothness(
    { data: scatter(z, idx, size), dims: grid.dims, pixdim: grid.pixdim, affine: grid.affine },
    maskVol,
  );
  return { dlh: sm.dlh, volume: sm.volume };
}
