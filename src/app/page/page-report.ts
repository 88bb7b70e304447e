import { buildReport } from '../../report/build';
import type { ReportClusterTable, ReportFile, ReportInput } from '../../report/types';
import { describeMap } from '../maps/maps';
import type { PageState } from './page-state';

/** What made the page's report (the command's says "siglens report"). */
const GENERATOR = 'SigLens (the page), Export report';

function settingsRows(s: PageState): { name: string; value: string }[] {
  const t = s.settings;
  const r = s.results;
  const first = r?.shown[0];
  const stat = first?.entry.df !== undefined ? 't' : 'z';
  const mode =
    t.mode === 'z'
      ? `${stat} ≥ ${t.value}`
      : t.mode === 'p'
        ? `voxelwise p < ${t.value} (uncorrected)`
        : t.mode === 'fdr'
          ? `FDR q < ${t.value}`
          : `Bonferroni α < ${t.value}`;
  const rows = [
    { name: 'threshold', value: mode },
    {
      name: 'threshold used',
      value: r ? (Number.isFinite(r.threshold) ? `${stat} ≥ ${r.threshold}` : 'none: no voxel survives') : '–',
    },
    { name: 'two-sided', value: t.twoSided ? 'yes' : 'no' },
    { name: 'connectivity', value: String(t.connectivity) },
    {
      name: 'cluster extent',
      value:
        t.extent === 'none'
          ? 'none'
          : t.extent === 'grf'
            ? `GRF cluster p < ${t.extentValue}`
            : `at least ${t.extentValue} ${t.extent === 'mm3' ? 'mm³' : 'voxels'}`,
    },
    { name: 'shown map', value: first?.entry.volume.name ?? '–' },
    { name: 'background', value: s.maps.find((m) => m.id === s.backgroundId)?.volume.name ?? '–' },
    {
      name: 'compare',
      value: s.compare.on
        ? `${s.maps.find((m) => m.id === s.compare.preId)?.volume.name ?? '?'} → ${s.maps.find((m) => m.id === s.compare.postId)?.volume.name ?? '?'}`
        : 'off',
    },
    {
      name: 'ROI spheres',
      value: s.spheres.map((p) => `${p.name} (${p.center.join(', ')}; r ${p.radiusMm} mm)`).join('; ') || 'none',
    },
    { name: 'signature weights', value: s.maps.find((m) => m.id === s.signature.weightsId)?.volume.name ?? 'none' },
    { name: 'signature metric', value: `${s.signature.metric} (${s.signature.direction})` },
    { name: 'engine', value: s.engine ? `${s.engine.description}: ${s.engine.reason}` : '–' },
  ];
  if (r?.height)
    rows.splice(2, 0, {
      name: 'height control',
      value: `${r.height.method} ${r.height.alpha} over ${r.height.voxels} voxels (${r.height.statistic}): ${r.height.survivors} survive`,
    });
  return rows;
}

function inputs(s: PageState): ReportFile[] {
  const sizes = new Map(s.entries.filter((e) => e.state === 'ready').map((e) => [e.name, e.total ?? null]));
  return s.maps.map((m) => ({ name: m.volume.name, bytes: sizes.get(m.volume.name) ?? null, kind: describeMap(m) }));
}

/** `regions[k]`: the region at each cluster's peak of shown map k, as its cluster table names them (null without an atlas). */
function clusterTables(s: PageState, regions: readonly (readonly string[] | null)[]): ReportClusterTable[] {
  return (s.results?.shown ?? []).map(({ entry, table }, k) => ({
    file: entry.volume.name,
    threshold: Number.isFinite(table.threshold) ? table.threshold : null,
    twoSided: table.twoSided,
    connectivity: table.connectivity,
    minVoxels: table.minVoxels,
    dlh: table.dlh,
    ...(s.results?.height ? { heightControl: s.results.height } : {}),
    warnings: table.warnings,
    clusters: table.clusters.map((c) => {
      const region = regions[k]?.[c.index - 1];
      return region === undefined ? c : { ...c, region };
    }),
  }));
}

/**
 * The page's report: what it shows, as `siglens report` would write it (i12cli's builder): the maps,
 * every setting, the cluster tables, ROI means and signature responses of every map, the batch's
 * paired, group and association statistics, and the figure (a PNG data URL) when given. With an
 * atlas open, `regions` (the view model's peakRegions, one list per shown map) name each peak's region.
 */
export function pageReportHtml(
  s: PageState,
  generated: string,
  figure: { title: string; png: string } | null,
  regions: readonly (readonly string[] | null)[] = [],
): string {
  const r = s.results;
  const weights = s.maps.find((m) => m.id === s.signature.weightsId);
  const input: ReportInput = {
    title: `SigLens report: ${r?.shown.map((x) => x.entry.volume.name).join(' vs ') || 'no map shown'}`,
    generated,
    generator: GENERATOR,
    inputs: inputs(s),
    settings: settingsRows(s),
    clusterTables: clusterTables(s, regions),
    rois: r && s.spheres.length ? r.columns.map((c, k) => ({ file: c.volume.name, rois: r.roi[k] ?? [] })) : [],
    ...(r && weights && r.signature.length
      ? { signature: { weights: weights.volume.name, metric: s.signature.metric, results: r.signature } }
      : {}),
    ...(s.batch.summary ? { batch: s.batch.summary } : {}),
    figures: figure ? [figure] : [],
  };
  return buildReport(input);
}
