import type { AnalysisResults } from './analyzer';
import type { DemoStep } from './demo';

const f = (v: number | null | undefined, d = 2): string => (v === null || v === undefined ? '–' : v.toFixed(d));

/** The numbers a demo step is about, in plain words, from the results on screen. */
export function demoFacts(step: DemoStep, r: AnalysisResults | null): string[] {
  if (!r) return [];
  const facts: string[] = [];
  const pre = r.shown.find((s) => s.role === 'pre' || s.role === 'single');
  const post = r.shown.find((s) => s.role === 'post');
  const col = (id: number | undefined): number => r.columns.findIndex((c) => c.id === id);
  if (step.countClusters && pre) {
    const n = pre.table.clusters.length;
    facts.push(`${n} cluster${n === 1 ? '' : 's'} survive${n === 1 ? 's' : ''} (cluster p < ${step.settings.extentValue}).`);
  }
  if (step.crosshair === 'peak' && pre?.table.clusters[0]) {
    const c = pre.table.clusters[0];
    facts.push(`Largest cluster: ${c.voxels} voxels, peak z ${f(c.peak.value)} at (${c.peak.mm.join(', ')}) mm.`);
  }
  step.spheres.forEach((s, k) => {
    const a = r.roi[col(pre?.entry.id)]?.[k]?.mean;
    const b = post ? r.roi[col(post.entry.id)]?.[k]?.mean : undefined;
    facts.push(post ? `${s.name} mean z: before ${f(a)}, after ${f(b)} (change ${f(b !== undefined && b !== null && a !== undefined && a !== null ? b - a : null)}).` : `${s.name} mean z: ${f(a)}.`);
  });
  if (step.signature && pre && post) {
    const a = r.signature[col(pre.entry.id)]?.value;
    const b = r.signature[col(post.entry.id)]?.value;
    facts.push(`Demo signature response: before ${f(a)}, after ${f(b)}.`);
  }
  return facts;
}
