import type { AnalysisResults } from '../page/analyzer';
import type { DemoStep } from './demo';
import type { GlmSummary } from '../group/group-glm';
import type { RunCluster } from '../group/group-session';

/** The group steps' runs as the facts need them: the paired test's clusters, the model's tests, once finished. */
export interface DemoGroupFacts {
  readonly running: boolean;
  readonly clusters: readonly RunCluster[] | null;
  readonly glm?: GlmSummary | null;
}

/** A contrast's cluster is reported as significant below this FWE p. */
const DEMO_ALPHA = 0.05;

const p = (v: number): string => (v < 1e-3 ? v.toExponential(2) : v.toFixed(3));

const f = (v: number | null | undefined, d = 2): string => (v === null || v === undefined ? '–' : v.toFixed(d));

/** The numbers a demo step is about, in plain words, from the results on screen. */
export function demoFacts(step: DemoStep, r: AnalysisResults | null, group: DemoGroupFacts | null = null): string[] {
  if (!r) return [];
  const facts: string[] = [];
  if (step.group?.model) facts.push(modelFacts(group));
  else if (step.group) {
    // The caption compares GRF and permutation p: state the run's own pair, so it is true of the page.
    const c = group && !group.running ? group.clusters?.[0] : undefined;
    facts.push(
      c && c.pGrf !== null
        ? `Largest cluster: ${c.voxels} voxels, GRF p ${p(c.pGrf)}, permutation p FWE ${p(c.pFwe)}.`
        : "The paired test is running: the largest cluster's GRF p and permutation p FWE show here when it ends.",
    );
  }
  const pre = r.shown.find((s) => s.role === 'pre' || s.role === 'single');
  const post = r.shown.find((s) => s.role === 'post');
  const col = (id: number | undefined): number => r.columns.findIndex((c) => c.id === id);
  if (step.countClusters && pre) {
    const n = pre.table.clusters.length;
    facts.push(
      `${n} cluster${n === 1 ? '' : 's'} survive${n === 1 ? 's' : ''} (cluster p < ${step.settings.extentValue}).`,
    );
  }
  if (step.crosshair === 'peak' && pre?.table.clusters[0]) {
    const c = pre.table.clusters[0];
    facts.push(`Largest cluster: ${c.voxels} voxels, peak z ${f(c.peak.value)} at (${c.peak.mm.join(', ')}) mm.`);
  }
  step.spheres.forEach((s, k) => {
    const a = r.roi[col(pre?.entry.id)]?.[k]?.mean;
    const b = post ? r.roi[col(post.entry.id)]?.[k]?.mean : undefined;
    facts.push(
      post
        ? `${s.name} mean z: before ${f(a)}, after ${f(b)} (change ${f(b !== undefined && b !== null && a !== undefined && a !== null ? b - a : null)}).`
        : `${s.name} mean z: ${f(a)}.`,
    );
  });
  if (step.signature && pre && post) {
    const a = r.signature[col(pre.entry.id)]?.value;
    const b = r.signature[col(post.entry.id)]?.value;
    facts.push(`Demo signature response: before ${f(a)}, after ${f(b)}.`);
  }
  return facts;
}

/** The model step's numbers from its run, in one line: the F-test's largest cluster, and which contrasts have a cluster below DEMO_ALPHA. */
function modelFacts(group: DemoGroupFacts | null): string {
  const g = group?.glm;
  if (!g)
    return "The model runs after any group analysis under way: the F-test's largest cluster and each contrast's FWE p show here when it ends.";
  const out: string[] = [];
  for (const t of g.tests.filter((x) => x.kind === 'F')) {
    const c = t.clusters[0];
    out.push(
      c
        ? `F-test (${t.name}): largest cluster ${c.voxels} voxels, peak F ${c.peak.stat.toFixed(1)} at (${c.peak.mm.join(', ')}) mm, p FWE ${p(c.pFwe)}.`
        : `F-test (${t.name}): no cluster at F ≥ ${t.threshold.toFixed(2)}.`,
    );
  }
  const sig = g.tests.filter((t) => t.kind === 't' && t.clusters.some((c) => c.pFwe < DEMO_ALPHA));
  const best = (t: GlmSummary['tests'][number]) => t.clusters.reduce((a, c) => (c.pFwe < a.pFwe ? c : a));
  out.push(
    sig.length
      ? `Contrasts with a cluster at p FWE < ${DEMO_ALPHA}: ${sig.map((t) => `${t.name} (${best(t).voxels} voxels, p ${p(best(t).pFwe)})`).join('; ')}.`
      : `No contrast has a cluster at p FWE < ${DEMO_ALPHA}.`,
  );
  return out.join(' ');
}
