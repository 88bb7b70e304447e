import { copyFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { clusterTable } from '../analysis/clusters';
import { fweP } from '../analysis/group/inference';
import { CpuEngine } from '../compute/cpu/engine';
import type { Connectivity } from '../compute/engine';
import { writeNifti1 } from '../nifti';
import { flag, UsageError, type Parsed } from './args';
import { readNiftiFile } from './files';
import { glmText, type GlmDocument, type GlmTestDocument } from './group-glm-doc';
import type { GlmFiles } from './group-glm-out';
import { statName } from './group-glm-out';

/** What must agree between shards of one model's analysis. */
const SAME = ['design', 'n', 'rank', 'df', 'subjects', 'model', 'maskVoxels', 'connectivity'] as const;

/**
 * Shards of one model run with other seeds: each contrast's and F-test's nulls pooled (the data's own
 * permutation kept once) and every FWE p recomputed; with --out the corrp maps are rewritten from the
 * first shard's statistic (and TFCE) maps.
 */
export async function mergeGlmNulls(
  p: Parsed,
  docs: GlmDocument[],
  paths: readonly string[],
): Promise<{ doc: unknown; text: string }> {
  const first = docs[0]!;
  docs.forEach((d, k) => {
    if (!Array.isArray(d.contrasts) || !Array.isArray(d.fTests))
      throw new UsageError(`${paths[k]} is not a siglens group model document`);
    for (const key of SAME)
      if (JSON.stringify(d[key]) !== JSON.stringify(first[key]))
        throw new UsageError(`${paths[k]} differs from ${paths[0]} in ${key}: not a shard of the same analysis`);
    if ([...d.contrasts, ...d.fTests].some((t) => t.exhaustive))
      throw new UsageError(`${paths[k]} ran every permutation already (exhaustive): there is nothing to merge`);
  });
  const seeds = docs.map((d) => d.permutations.seed);
  const again = seeds.find((s, k) => seeds.indexOf(s) !== k);
  if (again !== undefined)
    throw new UsageError(
      `two shards ran seed ${again}: they drew the same permutations; give each shard its own --seed`,
    );
  const out = flag(p, 'out');
  const merge = async (pick: (d: GlmDocument) => GlmTestDocument[]): Promise<GlmTestDocument[]> =>
    Promise.all(
      pick(first).map((t, k) =>
        mergeTest(
          pick,
          docs,
          paths,
          t,
          k,
          out ? { prefix: out, connectivity: first.connectivity as Connectivity } : undefined,
        ),
      ),
    );
  const contrasts = await merge((d) => d.contrasts);
  const fTests = await merge((d) => d.fTests);
  const doc = {
    ...first,
    permutations: {
      ...first.permutations,
      count: Math.max(...[...contrasts, ...fTests].map((t) => t.count)),
      shards: docs.map((d) => ({ seed: d.permutations.seed, count: d.permutations.count })),
    },
    contrasts,
    fTests,
  };
  return { doc, text: glmText(doc) };
}

async function mergeTest(
  pick: (d: GlmDocument) => GlmTestDocument[],
  docs: GlmDocument[],
  paths: readonly string[],
  t: GlmTestDocument,
  k: number,
  out: { prefix: string; connectivity: Connectivity } | undefined,
): Promise<GlmTestDocument> {
  const all = docs.map((d, j) => {
    const u = pick(d)[k];
    if (
      !u ||
      u.name !== t.name ||
      JSON.stringify(u.threshold) !== JSON.stringify(t.threshold) ||
      JSON.stringify(u.tfce) !== JSON.stringify(t.tfce)
    )
      throw new UsageError(
        `${paths[j]}'s ${t.kind === 't' ? 'contrast' : 'F-test'} ${t.index} differs from ${paths[0]}'s: not a shard of the same analysis`,
      );
    if (u.nulls.maxStat[0] !== t.nulls.maxStat[0])
      throw new UsageError(`${paths[j]}'s unpermuted max statistic differs from ${paths[0]}'s: other data`);
    return u;
  });
  const pool = (f: (u: GlmTestDocument) => number[] | null): number[] | null =>
    f(t) && all.flatMap((u, j) => (j === 0 ? f(u)! : f(u)!.slice(1)));
  const nulls = {
    maxStat: pool((u) => u.nulls.maxStat)!,
    maxClusterExtent: pool((u) => u.nulls.maxClusterExtent)!,
    maxClusterMass: pool((u) => u.nulls.maxClusterMass)!,
    maxTfce: pool((u) => u.nulls.maxTfce),
  };
  const pExtent = fweP(nulls.maxClusterExtent);
  const pMass = fweP(nulls.maxClusterMass);
  const clusters = t.clusters.map((c) => ({ ...c, pFwe: pExtent(c.voxels), pFweMass: pMass(c.mass) }));
  const merged: GlmTestDocument = { ...t, count: nulls.maxStat.length, clusters, nulls };
  return { ...merged, files: out ? await rewriteTestMaps(out.prefix, out.connectivity, merged) : t.files };
}

async function rewriteTestMaps(prefix: string, connectivity: Connectivity, t: GlmTestDocument): Promise<GlmFiles> {
  if (!t.files) throw new UsageError('--out needs the first shard to have written its maps (run it with --out)');
  const name = statName(t);
  const path = (kind: string): string => `${prefix}_${kind}${kind ? '_' : ''}${name}.nii.gz`;
  const stat = path('');
  copyFileSync(t.files.stat, stat);
  const vol = (await readNiftiFile(t.files.stat)).volume(0);
  const write = (file: string, data: Float32Array): string => {
    writeFileSync(
      file,
      gzipSync(writeNifti1({ ...vol, data, intent: { ...vol.intent, code: 0, p1: 0, p2: 0, p3: 0, name: '' } })),
    );
    return file;
  };
  const pStat = fweP(t.nulls.maxStat);
  const vox = write(
    path('vox_corrp'),
    vol.data.map((v) => (v === 0 ? 0 : 1 - pStat(v))),
  );
  const table = await clusterTable(
    { data: vol.data, dims: vol.dims, affine: vol.affine, pixdim: vol.pixdim },
    {
      threshold: t.threshold.stat,
      twoSided: false,
      connectivity,
      extent: { kind: 'none' },
      smoothness: { kind: 'none' },
    },
    new CpuEngine(),
  );
  const byIndex = new Map(t.clusters.map((c) => [c.index, c]));
  const clustere = write(
    path('clustere_corrp'),
    Float32Array.from(table.labels, (c) => (c > 0 ? 1 - (byIndex.get(c)?.pFwe ?? 1) : 0)),
  );
  const clusterm = write(
    path('clusterm_corrp'),
    Float32Array.from(table.labels, (c) => (c > 0 ? 1 - (byIndex.get(c)?.pFweMass ?? 1) : 0)),
  );
  let tfce: string | null = null;
  let tfceCorrp: string | null = null;
  if (t.files.tfce && t.nulls.maxTfce) {
    tfce = path('tfce');
    copyFileSync(t.files.tfce, tfce);
    const raw = (await readNiftiFile(t.files.tfce)).volume(0).data;
    const pTfce = fweP(t.nulls.maxTfce);
    tfceCorrp = write(
      path('tfce_corrp'),
      raw.map((v) => (v > 0 ? 1 - pTfce(v) : 0)),
    );
  }
  return {
    stat,
    vox_corrp: vox,
    clustere_corrp: clustere,
    clusterm_corrp: clusterm,
    tfce,
    tfce_corrp: tfceCorrp,
    vox_p: null,
    permutations: null,
  };
}
