import { maxAbs, suprathresholdVolume } from '../../view/layers';
import type { AnalysisResults } from './analyzer';
import type { FigureInput } from '../../figure/figure-layout';
import { statName } from '../../analysis/map-kind';
import type { MapEntry } from '../maps/maps';
import type { ThresholdSettings } from '../../analysis/threshold-settings';

/** What a figure of the first shown map needs, as the page shows it: its thresholded values, scale and clusters. */
export interface FigureSource {
  readonly input: FigureInput;
  /** The map's name (the figure's default title) and its statistic (the colour bar's units). */
  readonly name: string;
  readonly units: string;
}

/** The figure of the map shown first (the single pane, or the pre pane), over the page's background. */
export function figureSource(
  results: AnalysisResults,
  background: MapEntry | null,
  settings: Pick<ThresholdSettings, 'twoSided' | 'extent' | 'extentValue'>,
): FigureSource | null {
  const shown = results.shown[0];
  if (!shown) return null;
  const v = shown.entry.volume;
  const k = shown.entry.kind;
  // The map's own statistic and df (the kind the map list shows, which the user may have set).
  const stat = statName(k.kind);
  const df =
    k.kind === 't' && k.df !== undefined
      ? ` (df ${k.df})`
      : k.kind === 'f' && k.df !== undefined
        ? ` (df ${k.df}, ${k.df2})`
        : '';
  // The panes share one colour scale across the maps shown (scene.ts): the figure uses the same.
  // The threshold the viewer shows now: the shown table's (its labels are the clusters drawn), as the panes and the glass view.
  const threshold = shown.table.threshold;
  const max = Math.max(threshold * 1.0001, ...results.shown.map((s) => maxAbs(s.entry.volume.data)));
  const t = Number(threshold.toPrecision(4));
  const extent =
    settings.extent === 'grf'
      ? `, clusters p < ${settings.extentValue} (GRF)`
      : settings.extent === 'voxels'
        ? `, clusters ≥ ${settings.extentValue} voxels`
        : settings.extent === 'mm3'
          ? `, clusters ≥ ${settings.extentValue} mm³`
          : '';
  const note = `${shown.table.twoSided ? `|${stat}|` : stat} ≥ ${t}${df}${extent}; ${shown.table.clusters.length} cluster${shown.table.clusters.length === 1 ? '' : 's'}`;
  return {
    input: {
      background: (background ?? shown.entry).volume,
      map: suprathresholdVolume(v, shown.table.labels),
      // The glass brain's outline: the map's own search volume (its finite non-zero voxels), as the page's glass view.
      outline: v.data,
      labels: shown.table.labels,
      threshold,
      max,
      twoSided: shown.table.twoSided,
      clusters: shown.table.clusters.map((c) => ({ index: c.index, sign: c.sign, peak: c.peak.mm })),
      thresholdNote: note,
    },
    name: v.name.replace(/\.(nii|hdr|img)(\.gz)?$/i, ''),
    units:
      k.kind === 't' && k.df !== undefined
        ? `t, df ${k.df}`
        : k.kind === 'f' && k.df !== undefined
          ? `F(${k.df}, ${k.df2})`
          : stat,
  };
}

/** Slice coordinates typed as a list ("-20, 0, 24" or "-20 0 24"); an error message when one is not a number. */
export function parseSliceList(text: string): number[] | { error: string } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (!parts.length) return { error: 'List at least one slice coordinate (mm).' };
  const out = parts.map(Number);
  const bad = parts.find((_, k) => !Number.isFinite(out[k]));
  return bad === undefined ? out : { error: `"${bad}" is not a coordinate in mm.` };
}
