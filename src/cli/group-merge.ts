import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { clusterTable } from '../analysis/clusters';
import { fweP } from '../analysis/group/inference';
import { CpuEngine } from '../compute/cpu/engine';
import type { Connectivity } from '../compute/engine';
import { writeNifti1 } from '../nifti';
import { flag, UsageError, type Parsed } from './args';
import { readNiftiFile } from './files';
import { groupText, namedContrast, type GroupDocument, type OutputName } from './group-doc';
import { mergeGlmNulls } from './group-glm-merge';
import type { GlmDocument } from './group-glm-doc';

/** What must agree between shards of one analysis. */
const SAME = ['design', 'contrast', 'n', 'df', 'maskVoxels', 'threshold', 'connectivity', 'twoSided', 'tfce'] as const;

/**
 * Shards of one analysis run with other seeds (a SLURM job array, as randomise_parallel): their nulls
 * pooled, the data's own permutation kept once, and every FWE p recomputed from the pool. With --out,
 * the corrp maps are rewritten from the first shard's t and TFCE maps.
 */
export async function mergeNulls(p: Parsed): Promise<{ doc: unknown; text: string }> {
  const paths = p.positionals;
  if (paths.length < 2)
    throw new UsageError('--merge-nulls takes two or more shard documents (siglens group ... --json > shard.json)');
  const docs = paths.map((f) => {
    try {
      return JSON.parse(readFileSync(f, 'utf8')) as GroupDocument;
    } catch (e) {
      throw new UsageError(`${f} is not a siglens group document (${e instanceof Error ? e.message : e})`);
    }
  });
  const first = docs[0]!;
  if ('model' in first && 'fTests' in first) return mergeGlmNulls(p, docs as unknown as GlmDocument[], paths);
  docs.forEach((d, k) => {
    if (!d.nulls || !d.permutations || !Array.isArray(d.nulls.maxT))
      throw new UsageError(`${paths[k]} is not a siglens group document (no nulls)`);
    for (const key of SAME)
      if (JSON.stringify(d[key]) !== JSON.stringify(first[key]))
        throw new UsageError(`${paths[k]} differs from ${paths[0]} in ${key}: not a shard of the same analysis`);
    if (d.permutations.exhaustive)
      throw new UsageError(`${paths[k]} ran every permutation already (exhaustive): there is nothing to merge`);
    if (d.nulls.maxT[0] !== first.nulls.maxT[0])
      throw new UsageError(`${paths[k]}'s unpermuted max t differs from ${paths[0]}'s: other data`);
  });
  const seeds = docs.map((d) => d.permutations.seed);
  const again = seeds.find((s, k) => seeds.indexOf(s) !== k);
  if (again !== undefined)
    throw new UsageError(
      `two shards ran seed ${again}: they drew the same permutations; give each shard its own --seed`,
    );
  // The data's own permutation leads every shard: keep it once.
  const pool = (pick: (d: GroupDocument) => number[] | null): number[] | null =>
    pick(first) && docs.flatMap((d, k) => (k === 0 ? pick(d)! : pick(d)!.slice(1)));
  const nulls = {
    maxT: pool((d) => d.nulls.maxT)!,
    maxClusterExtent: pool((d) => d.nulls.maxClusterExtent)!,
    maxClusterMass: pool((d) => d.nulls.maxClusterMass)!,
    maxTfce: pool((d) => d.nulls.maxTfce),
  };
  const pExtent = fweP(nulls.maxClusterExtent);
  const pMass = fweP(nulls.maxClusterMass);
  const clusters = first.clusters.map((c) => ({ ...c, pFwe: pExtent(c.voxels), pFweMass: pMass(c.mass) }));
  const out = flag(p, 'out');
  const files = out ? await rewriteMaps(out, first, clusters, nulls) : first.files;
  const doc: GroupDocument = {
    ...first,
    permutations: {
      count: nulls.maxT.length,
      exhaustive: false,
      seed: first.permutations.seed,
      shards: docs.map((d) => ({ seed: d.permutations.seed, count: d.permutations.count })),
    } as GroupDocument['permutations'],
    clusters,
    nulls,
    files,
  };
  // The one contrast's entry (../shared/SPEC.md: the named designs are models too) follows the pooled nulls.
  const merged = 'contrasts' in first ? { ...doc, contrasts: [namedContrast(doc, files)] } : doc;
  return { doc: merged, text: groupText(doc, `merged from ${docs.length} shards`) };
}

async function rewriteMaps(
  prefix: string,
  d: GroupDocument,
  clusters: GroupDocument['clusters'],
  nulls: GroupDocument['nulls'],
): Promise<Record<OutputName, string | null>> {
  if (!d.files.tstat) throw new UsageError('--out needs the first shard to have written its maps (run it with --out)');
  const files: Record<OutputName, string | null> = {
    tstat: `${prefix}_tstat.nii.gz`,
    zstat: null,
    vox_corrp: `${prefix}_vox_corrp.nii.gz`,
    clustere_corrp: `${prefix}_clustere_corrp.nii.gz`,
    tfce_tstat: null,
    tfce_corrp: null,
  };
  copyFileSync(d.files.tstat, files.tstat!);
  if (d.files.zstat) copyFileSync(d.files.zstat, (files.zstat = `${prefix}_zstat.nii.gz`));
  const img = await readNiftiFile(d.files.tstat);
  const vol = img.volume(0);
  const t = vol.data;
  const write = (path: string, data: Float32Array): void =>
    writeFileSync(
      path,
      gzipSync(writeNifti1({ ...vol, data, intent: { ...vol.intent, code: 0, p1: 0, p2: 0, p3: 0, name: '' } })),
    );
  const pT = fweP(nulls.maxT);
  // Outside the mask t is 0, so 1 - p is 0 there as the shards wrote it.
  write(
    files.vox_corrp!,
    t.map((v) => (v === 0 ? 0 : 1 - pT(d.twoSided ? Math.abs(v) : v))),
  );
  const table = await clusterTable(
    { data: t, dims: vol.dims, affine: vol.affine, pixdim: vol.pixdim },
    {
      threshold: d.threshold.t,
      twoSided: d.twoSided,
      connectivity: d.connectivity as Connectivity,
      extent: { kind: 'none' },
      smoothness: { kind: 'none' },
    },
    new CpuEngine(),
  );
  const byIndex = new Map(clusters.map((c) => [c.index, c.pFwe]));
  write(
    files.clustere_corrp!,
    Float32Array.from(table.labels, (c) => (c > 0 ? 1 - (byIndex.get(c) ?? 1) : 0)),
  );
  if (d.files.tfce_tstat && nulls.maxTfce) {
    files.tfce_tstat = `${prefix}_tfce_tstat.nii.gz`;
    files.tfce_corrp = `${prefix}_tfce_corrp.nii.gz`;
    copyFileSync(d.files.tfce_tstat, files.tfce_tstat);
    const tf = (await readNiftiFile(d.files.tfce_tstat)).volume(0).data;
    const pTf = fweP(nulls.maxTfce);
    write(
      files.tfce_corrp,
      tf.map((v) => (v === 0 ? 0 : 1 - pTf(Math.abs(v)))),
    );
  }
  return files;
}
