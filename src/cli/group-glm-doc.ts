import type { GlmCluster } from '../analysis/glm/inference';
import type { GlmResult, GlmTestResult } from '../analysis/glm/run';
import type { GroupDesign } from '../analysis/group/design';
import type { GlmFiles, GlmOutputFiles } from './group-glm-out';

/** One contrast or F-test in the document (../shared/SPEC.md "The general linear model", document). */
export interface GlmTestDocument {
  readonly index: number;
  readonly name: string;
  readonly kind: 't' | 'F';
  /** t: the contrast's weights. */
  readonly weights?: readonly number[];
  /** F: the 1-based indices of the contrasts it stacks, and its dfs. */
  readonly contrasts?: readonly number[];
  readonly df1?: number;
  readonly df2?: number;
  readonly df: number;
  readonly permutation: 'permutation' | 'sign-flip';
  readonly exhaustive: boolean;
  readonly count: number;
  readonly threshold: { readonly z: number; readonly stat: number };
  readonly tfce: {
    readonly step: number;
    readonly E: number;
    readonly H: number;
    readonly connectivity: number;
  } | null;
  readonly clusters: GlmCluster[];
  readonly nulls: GlmTestResult['nulls'];
  readonly files: GlmFiles | null;
}

export interface GlmDocument {
  readonly design: GroupDesign;
  readonly n: number;
  readonly rank: number;
  readonly df: number;
  readonly subjects: readonly string[];
  readonly model: { readonly columns: readonly string[]; readonly rows: readonly (readonly number[])[] };
  readonly maskVoxels: number;
  readonly connectivity: number;
  readonly permutations: {
    readonly count: number;
    readonly seed: number;
    readonly method: 'freedman-lane';
    readonly blocks: readonly number[] | null;
  };
  readonly contrasts: GlmTestDocument[];
  readonly fTests: GlmTestDocument[];
  readonly files: GlmOutputFiles['design'] | null;
  readonly excluded: GlmResult['excluded'];
  readonly engine: { kind: string; description: string; reason: string };
}

function testDocument(t: GlmTestResult, files: GlmFiles | null): GlmTestDocument {
  const common = {
    df: t.df,
    permutation: t.permutation,
    exhaustive: t.plan.exhaustive,
    count: t.plan.count,
    threshold: t.threshold,
    tfce: t.tfce && { step: t.tfce.step, E: t.tfce.E, H: t.tfce.H, connectivity: t.tfce.connectivity },
    clusters: t.clusters,
    nulls: t.nulls,
    files,
  };
  if (t.kind === 't') return { index: t.index, name: t.name, kind: 't', weights: t.weights ?? [], ...common };
  return {
    index: t.index,
    name: t.name,
    kind: 'F',
    contrasts: (t.contrasts ?? []).map((i) => i + 1),
    df1: t.df1,
    df2: t.df,
    ...common,
  };
}

export function glmDocument(
  design: GroupDesign,
  r: GlmResult,
  files: GlmOutputFiles | null,
  engine: GlmDocument['engine'],
): GlmDocument {
  const docs = r.tests.map((t, k) => testDocument(t, files?.tests[k] ?? null));
  return {
    design,
    n: r.n,
    rank: r.rank,
    df: r.df,
    subjects: r.subjects,
    model: { columns: r.model.columns, rows: r.model.rows },
    maskVoxels: r.maskVoxels,
    connectivity: r.connectivity,
    permutations: {
      count: Math.max(...r.tests.map((t) => t.plan.count)),
      seed: r.seed,
      method: 'freedman-lane',
      blocks: r.model.blocks,
    },
    contrasts: docs.filter((d) => d.kind === 't'),
    fTests: docs.filter((d) => d.kind === 'F'),
    files: files?.design ?? null,
    excluded: r.excluded,
    engine,
  };
}

const p3 = (p: number): string => (p < 1e-3 ? p.toExponential(2) : p.toFixed(4));

/** The plain-text answer: the model, then each contrast's and F-test's clusters. */
export function glmText(d: GlmDocument): string {
  const lines = [
    `${d.design} model: n ${d.n}, rank ${d.rank}, df ${d.df}, ${d.maskVoxels} voxels; columns ${d.model.columns.join(', ')}; Freedman-Lane, seed ${d.permutations.seed}; engine: ${d.engine.reason}`,
  ];
  for (const t of [...d.contrasts, ...d.fTests]) {
    const stat = t.kind === 't' ? 't' : 'F';
    const top = t.nulls.maxStat[0] ?? NaN;
    const pMax = t.nulls.maxStat.filter((x) => x >= top * (1 - 1e-6)).length / t.nulls.maxStat.length;
    lines.push(
      `${t.kind === 't' ? 'contrast' : 'F-test'} ${t.index} (${t.name}): ${t.count} ${t.permutation === 'sign-flip' ? 'sign flips' : 'permutations'}${t.exhaustive ? ' (exhaustive)' : ''}; max ${stat} ${top.toFixed(3)} (FWE p ${p3(pMax)}); clusters at ${stat} >= ${t.threshold.stat.toFixed(4)} (z ${t.threshold.z})`,
    );
    for (const c of t.clusters)
      lines.push(
        `  ${c.index}\t${c.voxels} voxels\tmass ${c.mass.toFixed(1)}\tp FWE ${p3(c.pFwe)}\tp FWE mass ${p3(c.pFweMass)}\tpeak ${stat} ${c.peak.stat.toFixed(2)} (${c.peak.mm.map((v) => v.toFixed(1)).join(', ')})`,
      );
  }
  for (const e of d.excluded) lines.push(`excluded ${e.file}: ${e.reason}`);
  return lines.join('\n');
}
