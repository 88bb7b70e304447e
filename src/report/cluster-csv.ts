import { version } from '../../package.json';
import { P_REPORT_FLOOR } from '../analysis/constants';
import type { ClusterTable } from '../analysis/clusters';
import type { HeightControl } from '../analysis/height';
import { statName, type MapKindInfo } from '../analysis/map-kind';
import { toCsv } from './csv';
import { fmtP } from './escape';
import type { ThresholdSettings } from '../analysis/threshold-settings';

/** What a cluster table was computed with, besides its rows: its settings, as the table reports them. */
export type TableBasis = Pick<
  ClusterTable,
  'threshold' | 'connectivity' | 'twoSided' | 'dlh' | 'volume' | 'smoothness' | 'minVoxels' | 'engine'
> &
  Partial<Pick<ClusterTable, 'warnings' | 'zThreshold' | 'grfWithheld'>>;

export interface ClusterReport {
  /** The map's file name. */
  readonly file: string;
  /** In a comparison, which side the map is. */
  readonly role: 'pre' | 'post' | null;
  readonly settings: ThresholdSettings;
  /** The map's degrees of freedom (a t-map), or undefined (a z-map); `kind`, when given, says more. */
  readonly df: number | undefined;
  /** What the map is (z, t(df), F(df1, df2), 1 − p...), as the map list shows it. */
  readonly kind?: MapKindInfo;
  /** What FDR or Bonferroni gave, in those modes. */
  readonly height?: HeightControl | null;
  readonly table: TableBasis & Pick<ClusterTable, 'clusters'>;
  /** With an atlas: the region at each cluster's peak and each cluster's shares of regions (by position in clusters). */
  readonly regions?: { readonly peak: readonly string[]; readonly shares: readonly string[] } | null;
}

/** The statistic's name with its df: z, t(262), F(1, 262), 1 − p. */
function statText(df: number | undefined, kind: MapKindInfo | undefined): string {
  if (!kind) return df === undefined ? 'z' : `t(${round(df, 1)})`;
  if (kind.kind === 't') return kind.df === undefined ? 't (df unknown)' : `t(${round(kind.df, 1)})`;
  if (kind.kind === 'f')
    return kind.df === undefined || kind.df2 === undefined
      ? 'F (df unknown)'
      : `F(${round(kind.df, 1)}, ${round(kind.df2, 1)})`;
  return statName(kind.kind);
}

/** The threshold in its units: what was typed (a p, FDR q or Bonferroni α), and the map value it means. */
export function thresholdText(
  s: ThresholdSettings,
  threshold: number,
  df: number | undefined,
  kind?: MapKindInfo,
  height?: HeightControl | null,
): string {
  const stat = statText(df, kind);
  const sides = s.twoSided
    ? `|${stat}| >= ${round(threshold, 4)} (two-sided)`
    : `${stat} >= ${round(threshold, 4)} (one-sided)`;
  if (s.mode === 'p') return `voxelwise p < ${s.value}, i.e. ${sides}`;
  if (s.mode === 'fdr' || s.mode === 'bonferroni') {
    const what = `${s.mode === 'fdr' ? 'FDR q' : 'Bonferroni α'} < ${s.value}${height ? ` over ${height.voxels} voxels` : ''}`;
    return height && height.threshold === null ? `${what}: no voxel survives` : `${what}, i.e. ${sides}`;
  }
  return sides;
}

/** The extent rule as set, and the size it came to. */
export function extentText(s: ThresholdSettings, minVoxels: number): string {
  switch (s.extent) {
    case 'none':
      return 'none';
    case 'voxels':
      return `at least ${s.extentValue} voxels`;
    case 'mm3':
      return `at least ${s.extentValue} mm³ (${minVoxels} voxels)`;
    case 'grf':
      return `GRF cluster p < ${s.extentValue} (at least ${minVoxels} voxels)`;
  }
}

/**
 * The smoothness and search volume behind the GRF p, in words: FWHM in mm and voxels, DLH, resels
 * and V (as FSL's smoothest prints them). Null when no p could be computed.
 */
export function smoothnessText(t: Pick<TableBasis, 'dlh' | 'volume' | 'smoothness'>): string | null {
  const s = t.smoothness;
  if (s) {
    const mm = s.fwhmMm.map((v) => round(v, 2)).join(' × ');
    const vox = s.fwhmVoxels.map((v) => round(v, 2)).join(' × ');
    return `FWHM ${mm} mm (${vox} voxels), DLH ${round(s.dlh, 6)}, ${round(s.resels, 1)} resels, V ${s.volume} voxels`;
  }
  if (t.dlh !== null) return `DLH ${round(t.dlh, 6)} (given)${t.volume !== null ? `, V ${t.volume} voxels` : ''}`;
  return null;
}

/** The header lines of a cluster CSV: two cells each ("# key", value), so a spreadsheet shows them and pandas' comment='#' skips them. */
export function reportHeader(r: ClusterReport): [string, string][] {
  const t = r.table;
  const lines: [string, string][] = [
    ['# SigLens cluster table', `version ${version}`],
    ['# file', r.file],
  ];
  if (r.role) lines.push(['# compare', r.role]);
  lines.push(
    ['# threshold', thresholdText(r.settings, t.threshold, r.df, r.kind, r.height)],
    ['# connectivity', `${t.connectivity}-connected`],
    ['# extent', extentText(r.settings, t.minVoxels)],
    ['# smoothness', smoothnessText(t) ?? 'unknown: no cluster p-values'],
    ['# engine', t.engine],
  );
  return lines;
}

const COLUMNS = [
  'index',
  'subpeak',
  'sign',
  'voxels',
  'volume_mm3',
  'p',
  'peak_value',
  'peak_x_mm',
  'peak_y_mm',
  'peak_z_mm',
  'cog_x_mm',
  'cog_y_mm',
  'cog_z_mm',
  'mean',
];

/**
 * The table as a CSV a paper can take: the settings as header lines, then one row per cluster
 * (subpeak 0) followed by its sub-peaks (subpeak 1, 2, ...: the cluster's index, the sub-peak's
 * value and position, the cluster's own figures left empty).
 */
export function clusterCsv(r: ClusterReport): string {
  const g = r.regions;
  const rows = r.table.clusters.flatMap((c, k) => [
    [
      c.index,
      0,
      c.sign,
      c.voxels,
      c.volumeMm3,
      c.p === null ? null : c.p < P_REPORT_FLOOR ? fmtP(c.p) : c.p,
      c.peak.value,
      ...c.peak.mm,
      ...c.cog.mm,
      c.mean,
      ...(g ? [g.peak[k] ?? '', g.shares[k] ?? ''] : []),
    ],
    ...c.subpeaks.map((s, j) => [
      c.index,
      j + 1,
      c.sign,
      null,
      null,
      null,
      s.value,
      ...s.mm,
      null,
      null,
      null,
      null,
      ...(g ? [null, null] : []),
    ]),
  ]);
  const [first, ...rest] = reportHeader(r);
  return toCsv(first!, rest) + toCsv([...COLUMNS, ...(g ? ['peak_region', 'region_shares'] : [])], rows);
}

function round(v: number, digits: number): string {
  return Number.isFinite(v) ? String(Number(v.toFixed(digits))) : String(v);
}
