import { volumeStats, type VolumeStats } from '../analysis/stats';
import { tMapDf, type Volume } from '../nifti';
import { INTENT_TTEST, INTENT_ZSCORE } from '../nifti/intent';

/** A loaded map and what the page needs to know about it. */
export interface MapEntry {
  readonly id: number;
  readonly volume: Volume;
  readonly stats: VolumeStats;
  /** df of a t-map, from intent_p1. */
  readonly df: number | undefined;
  /** Looks like anatomy (a template): no stat intent and no negative values. */
  readonly anatomy: boolean;
  /** Where it came from, when loaded by URL (kept in shared links). */
  readonly url: string | null;
}

const STAT_INTENTS = new Set([INTENT_TTEST, INTENT_ZSCORE, 2, 4, 6, 22, 23, 24]);

export function mapEntry(id: number, volume: Volume, url: string | null): MapEntry {
  const stats = volumeStats(volume.data);
  const anatomy = !STAT_INTENTS.has(volume.intent.code) && stats.finiteCount > 0 && stats.min >= 0 && /t1|t2|template|mni|anat|brain|mean_func/i.test(volume.name);
  return { id, volume, stats, df: tMapDf(volume.intent), anatomy, url };
}

export function describeMap(m: MapEntry): string {
  const v = m.volume;
  const kind = m.df !== undefined ? `t-map (df ${m.df})` : v.intent.kind === 'zscore' ? 'z-map' : m.anatomy ? 'anatomy' : 'map';
  const range = m.stats.finiteCount ? `${m.stats.min.toPrecision(4)} to ${m.stats.max.toPrecision(4)}` : 'no finite values';
  return `${v.dims.join('×')}${v.frames > 1 ? ` (frame ${v.frame + 1} of ${v.frames})` : ''}, ${v.pixdim.map((p) => +p.toFixed(2)).join('×')} mm, ${v.datatype.name}, ${kind}; values ${range}${m.stats.nanCount ? `, ${m.stats.nanCount} NaN` : ''}`;
}
