import type { GroupResult } from '../analysis/group/run';

/** The randomise names of the outputs, in the document's order. */
export const OUTPUTS = ['tstat', 'zstat', 'vox_corrp', 'clustere_corrp', 'tfce_tstat', 'tfce_corrp'] as const;
export type OutputName = (typeof OUTPUTS)[number];

/** The SPEC's JSON document of a group analysis (the maps stay in their files). */
export function groupDocument(
  r: GroupResult,
  files: Record<OutputName, string | null> | null,
  engine: { kind: string; description: string; reason: string },
): Record<string, unknown> {
  return {
    design: r.design,
    contrast: r.contrast,
    n: r.n,
    df: r.df,
    maskVoxels: r.maskVoxels,
    threshold: r.threshold,
    connectivity: r.connectivity,
    twoSided: r.twoSided,
    permutations: r.permutations,
    tfce: r.tfce && { step: r.tfce.step, E: r.tfce.E, H: r.tfce.H, connectivity: r.tfce.connectivity },
    clusters: r.clusters,
    grf: r.grf,
    nulls: r.nulls,
    files: files ?? {
      tstat: null,
      zstat: null,
      vox_corrp: null,
      clustere_corrp: null,
      tfce_tstat: null,
      tfce_corrp: null,
    },
    excluded: r.excluded,
    engine,
    contrasts: [namedContrast(r, files)],
  };
}

/**
 * A named design as the GLM document describes its one contrast (../shared/SPEC.md: the three named
 * designs are models too): the mean of the maps or of the changes, or A - B with one column per group.
 */
export function namedContrast(
  r: Pick<GroupResult, 'design' | 'contrast' | 'df' | 'permutations' | 'threshold' | 'clusters' | 'nulls'>,
  files: Record<OutputName, string | null> | null,
): Record<string, unknown> {
  return {
    index: 1,
    name: r.contrast,
    kind: 't',
    weights: r.design === 'two-sample' ? [1, -1] : [1],
    df: r.df,
    permutation: r.design === 'two-sample' ? 'permutation' : 'sign-flip',
    exhaustive: r.permutations.exhaustive,
    threshold: { z: r.threshold.z, stat: r.threshold.t },
    clusters: r.clusters.map((c) => ({ ...c, peak: { ...c.peak, stat: c.peak.t } })),
    nulls: {
      maxStat: r.nulls.maxT,
      maxClusterExtent: r.nulls.maxClusterExtent,
      maxClusterMass: r.nulls.maxClusterMass,
      maxTfce: r.nulls.maxTfce,
    },
    files: files && {
      stat: files.tstat,
      vox_corrp: files.vox_corrp,
      clustere_corrp: files.clustere_corrp,
      tfce_corrp: files.tfce_corrp,
    },
  };
}

/** The document as it is read back (shards for --merge-nulls). */
export type GroupDocument = Omit<GroupResult, 'maps' | 'voxelIndex' | 'tfce' | 'connectivity'> & {
  readonly connectivity: number;
  readonly tfce: {
    readonly step: number;
    readonly E: number;
    readonly H: number;
    readonly connectivity: number;
  } | null;
  readonly files: Record<OutputName, string | null>;
  readonly engine: { kind: string; description: string; reason: string };
};

const p3 = (p: number): string => (p < 1e-3 ? p.toExponential(2) : p.toFixed(4));

export function groupText(
  d: Pick<
    GroupDocument,
    | 'design'
    | 'contrast'
    | 'n'
    | 'df'
    | 'maskVoxels'
    | 'threshold'
    | 'twoSided'
    | 'connectivity'
    | 'permutations'
    | 'clusters'
    | 'excluded'
  >,
  reason: string,
): string {
  const rows = d.clusters.map(
    (c) =>
      `${c.index}\t${c.sign > 0 ? '+' : '-'}\t${c.voxels}\t${c.mass.toFixed(1)}\t${p3(c.pFwe)}\t${p3(c.pFweMass)}\t${p3(c.pGrf)}\t${c.peak.t.toFixed(2)}\t${c.peak.z.toFixed(2)}\t(${c.peak.mm.map((v) => v.toFixed(1)).join(', ')})`,
  );
  return [
    `${d.design} (${d.contrast}): n ${d.n}, df ${d.df}, ${d.maskVoxels} voxels; clusters at z ${d.twoSided ? '|z| ' : ''}>= ${d.threshold.z} (t >= ${d.threshold.t.toFixed(4)}), ${d.connectivity}-connected`,
    `${d.permutations.count} permutations (${d.permutations.exhaustive ? 'exhaustive' : `random, seed ${d.permutations.seed}`}); engine: ${reason}`,
    'index\tsign\tvoxels\tmass\tp FWE extent\tp FWE mass\tp GRF\tpeak t\tpeak z\tpeak mm',
    ...rows,
    ...d.excluded.map((e) => `excluded ${e.file}: ${e.reason}`),
  ].join('\n');
}
