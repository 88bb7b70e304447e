import { volumeStats, type VolumeStats } from '../../analysis/stats';
import type { Volume } from '../../nifti';
import type { LabelTable } from './label-table';
import { guessKind, isStatKind, kindLabel, type MapKindInfo } from '../../analysis/map-kind';
import { mapSpace, spaceLabel, type Space } from './space';

/** A loaded map and what the page needs to know about it. */
export interface MapEntry {
  readonly id: number;
  readonly volume: Volume;
  readonly stats: VolumeStats;
  /** What the map is (z, t with df, atlas, ...), guessed on load or set by the user. */
  readonly kind: MapKindInfo;
  /** df of a t-map, when known (the kind's df, kept here for the analysis). */
  readonly df: number | undefined;
  /** Anatomy to show underneath (a template, a mean functional image). */
  readonly anatomy: boolean;
  /** MNI or scanner millimetres, from the file's affine and grid. */
  readonly space: Space;
  /** Where it came from, when loaded by URL (kept in shared links). */
  readonly url: string | null;
  /** What identifies the file, so the same file opened twice is one entry. */
  readonly fileKey: string;
  /** The parse job of a 4D map, whose other frames the parser keeps. */
  readonly loadId: number | null;
  /** Region names of a label atlas, once its label table is opened. */
  readonly labels: LabelTable | null;
  /**
   * The kinds the user set, by frame: each frame of a 4D map is its own statistic (AFNI names one per
   * frame: a coefficient, then its t), so the kind is kept per frame, not per file.
   */
  readonly frameKinds?: ReadonlyMap<number, MapKindInfo>;
}

export interface EntrySource {
  readonly url: string | null;
  readonly fileKey: string;
  readonly loadId: number | null;
}

export function mapEntry(id: number, volume: Volume, from: EntrySource): MapEntry {
  const stats = volumeStats(volume.data);
  return withKind(
    {
      id,
      volume,
      stats,
      space: mapSpace(volume),
      labels: null,
      ...from,
      kind: { kind: 'other', source: 'values' },
      df: undefined,
      anatomy: false,
    },
    guessKind(volume, stats),
  );
}

/** The entry with another kind (the user's choice, or a df given, kept for the frame shown). */
export function withKind(m: MapEntry, kind: MapKindInfo): MapEntry {
  const frameKinds = kind.source === 'user' ? new Map(m.frameKinds ?? []).set(m.volume.frame, kind) : m.frameKinds;
  return {
    ...m,
    kind,
    df: kind.kind === 't' ? kind.df : undefined,
    anatomy: kind.kind === 'anatomy',
    ...(frameKinds ? { frameKinds } : {}),
  };
}

/**
 * The entry showing another frame of its file, with that frame's kind: the user's for the frame, else
 * the one its own intent (AFNI's per-frame statistic), name and values give.
 */
export function withFrame(m: MapEntry, volume: Volume): MapEntry {
  const stats = volumeStats(volume.data);
  const next = { ...m, volume, stats };
  return withKind(next, m.frameKinds?.get(volume.frame) ?? guessKind(volume, stats));
}

/** A map thresholded into clusters: not anatomy, not an atlas. */
export function isStatMap(m: MapEntry): boolean {
  return isStatKind(m.kind.kind);
}

export function describeMap(m: MapEntry): string {
  const v = m.volume;
  const range = m.stats.finiteCount
    ? `${m.stats.min.toPrecision(4)} to ${m.stats.max.toPrecision(4)}`
    : 'no finite values';
  return `${v.dims.join('×')}${v.frames > 1 ? ` (frame ${v.frame + 1} of ${v.frames})` : ''}, ${v.pixdim.map((p) => +p.toFixed(2)).join('×')} mm, ${spaceLabel(m.space)}, ${v.datatype.name}, ${kindLabel(m.kind)}; values ${range}${m.stats.nanCount ? `, ${m.stats.nanCount} NaN` : ''}`;
}
