import { describeGrid, sameGrid, voxelToVoxel, type Grid, type GridMap } from '../../analysis/grid';
import { valueAtMm, voxelAtMm } from '../../analysis/sample';
import { resampleTrilinear } from '../../compute/cpu/resample';
import type { Volume } from '../../nifti';
import type { AnalysisResults } from './analyzer';
import { regionName } from '../maps/label-table';
import type { MapEntry } from '../maps/maps';

type Vox = [number, number, number];

export interface ReadoutValue {
  /** What the value is: the map's name, or "pre", "post", "post − pre" in a comparison. */
  readonly label: string;
  readonly name: string;
  readonly value: number | null;
  readonly voxel: Vox | null;
  /** The region the value names, for a label atlas. */
  readonly region?: string | null;
}

/** What the readout line shows: the focused values, the rest on demand, and how the values were sampled. */
export interface ReadoutModel {
  readonly primary: ReadoutValue[];
  readonly others: ReadoutValue[];
  /** How the primary values were taken, in words (a comparison: one world point for all three). */
  readonly how: string | null;
}

const EMPTY: ReadoutModel = { primary: [], others: [], how: null };

/** A map's value at the voxel nearest to a point (and for a label atlas, the region it names). */
function nearest(label: string, v: Volume, mm: readonly [number, number, number], entry?: MapEntry): ReadoutValue {
  const at = valueAtMm(v, mm);
  const region =
    entry?.kind.kind === 'label' ? (regionName(entry.labels, at?.value ?? null) ?? 'no region') : undefined;
  return { label, name: v.name, value: at?.value ?? null, voxel: at?.voxel ?? null, ...(region ? { region } : {}) };
}

/** The open atlas's value joins the focused ones, so the region at the crosshair is always in view. */
function withAtlas(model: ReadoutModel, maps: readonly MapEntry[], atlasId: number | null): ReadoutModel {
  const atlas = maps.find((m) => m.id === atlasId && m.kind.kind === 'label');
  const k = atlas ? model.others.findIndex((v) => v.name === atlas.volume.name) : -1;
  if (k < 0) return model;
  return { ...model, primary: [...model.primary, model.others[k]!], others: model.others.filter((_, i) => i !== k) };
}

/**
 * `b` at the centre of voxel `v` of `a`'s grid, as the difference map takes it: trilinear through
 * both affines, NaN kept, NaN outside `b` (the same code on a one-voxel target, translated to `v`,
 * so the figure is the difference map's to the last bit).
 */
export function onGridOf(a: Grid, b: GridMap, v: Vox): number {
  const m = voxelToVoxel(b.affine, a.affine);
  const t = Float64Array.from(m);
  for (let r = 0; r < 3; r++)
    t[4 * r + 3] = m[4 * r]! * v[0] + m[4 * r + 1]! * v[1] + m[4 * r + 2]! * v[2] + m[4 * r + 3]!;
  return resampleTrilinear(
    { source: b.data, sourceDims: b.dims, targetDims: [1, 1, 1], targetToSource: t },
    'propagate',
    NaN,
  )[0]!;
}

/**
 * The readout at a point. In a comparison all three values are taken at one world point, the centre
 * of pre's voxel nearest the crosshair: pre's value there, post's (its own voxel when the grids are
 * the same, else trilinear, as the difference map is made), and post − pre from the difference map
 * (or their difference), so post − pre is post minus pre. Alone, the shown map's nearest voxel.
 * The open label atlas (atlasId) is focused too, with the region it names there.
 */
export function readoutModel(
  maps: readonly MapEntry[],
  results: AnalysisResults | null,
  selectedId: number | null,
  mm: readonly [number, number, number] | null,
  atlasId: number | null = null,
): ReadoutModel {
  return mm ? withAtlas(modelAt(maps, results, selectedId, mm), maps, atlasId) : EMPTY;
}

function modelAt(
  maps: readonly MapEntry[],
  results: AnalysisResults | null,
  selectedId: number | null,
  mm: readonly [number, number, number],
): ReadoutModel {
  const pre = results?.shown.find((s) => s.role === 'pre')?.entry.volume;
  const post = results?.shown.find((s) => s.role === 'post')?.entry.volume;
  if (pre && post) {
    const others = maps
      .filter((m) => m.volume !== pre && m.volume !== post)
      .map((m) => nearest(m.volume.name, m.volume, mm, m));
    const v = voxelAtMm(pre, mm);
    if (!v) return { primary: [], others, how: 'outside the pre map' };
    const i = v[0] + pre.dims[0] * (v[1] + pre.dims[1] * v[2]);
    const a = pre.data[i]!;
    const same = sameGrid(pre, post);
    const b = same ? post.data[i]! : onGridOf(pre, post, v);
    const d = results.difference ? results.difference.data[i]! : Math.fround(b - a);
    const c = pre.affine;
    const centre = [0, 1, 2].map((r) => c[4 * r]! * v[0] + c[4 * r + 1]! * v[1] + c[4 * r + 2]! * v[2] + c[4 * r + 3]!);
    const where = `(${centre.map((x) => x.toFixed(1)).join(', ')}) mm`;
    const how = same
      ? `at ${where}, voxel [${v.join(', ')}] of both maps (one grid)`
      : `at ${where} (pre voxel [${v.join(', ')}]); post resampled (trilinear) there from its ${describeGrid(post)} grid, as for post − pre`;
    return {
      primary: [
        { label: 'pre', name: pre.name, value: a, voxel: v },
        { label: 'post', name: post.name, value: b, voxel: same ? v : null },
        { label: 'post − pre', name: 'post − pre', value: d, voxel: v },
      ],
      others,
      how,
    };
  }
  const shown = maps.find((m) => m.id === selectedId) ?? results?.shown[0]?.entry;
  const all: { v: Volume; m?: MapEntry }[] = [
    ...maps.map((m) => ({ v: m.volume, m })),
    ...(results?.difference ? [{ v: results.difference }] : []),
  ];
  return {
    primary: shown ? [nearest(shown.volume.name, shown.volume, mm, shown)] : [],
    others: all.filter(({ v }) => v !== shown?.volume).map(({ v, m }) => nearest(v.name, v, mm, m)),
    how: null,
  };
}

/** "56, -44, 30", "56 -44 30", "(56; -44; 30)": a point in mm, or null when it is not three numbers. */
export function parseMm(text: string): [number, number, number] | null {
  const parts = text
    .trim()
    .replace(/^\(|\)$/g, '')
    .split(/\s*[,;\s]\s*/)
    .filter((p) => p !== '');
  if (parts.length !== 3) return null;
  const v = parts.map(Number);
  return v.every((x) => Number.isFinite(x)) ? [v[0]!, v[1]!, v[2]!] : null;
}
