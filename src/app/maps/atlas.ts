import { atlasValueAtMm, clusterRegionCounts } from '../../analysis/regions';
import type { SparseClusterTable } from '../../analysis/clusters';
import type { Volume } from '../../nifti';
import type { LabelColours } from '../../view/layers';
import { labelColour, regionName, type LabelTable } from './label-table';
import type { MapEntry } from './maps';

/** The distinct non-zero values of an atlas, ascending (cached per array). */
export function atlasValues(data: Float32Array): number[] {
  let v = values.get(data);
  if (!v) {
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i++) {
      const x = data[i]!;
      if (x && !Number.isNaN(x)) seen.add(x);
    }
    v = [...seen].sort((a, b) => a - b);
    values.set(data, v);
  }
  return v;
}
const values = new WeakMap<Float32Array, number[]>();

/** NiiVue's label colour map for an atlas: its table's colours where it gives them, 0 transparent. */
export function atlasColours(atlas: MapEntry): LabelColours {
  const key = atlas.labels;
  const hit = colours.get(atlas.volume.data);
  if (hit && hit.table === key) return hit.colours;
  const vs = atlasValues(atlas.volume.data);
  const I = [0, ...vs];
  const rgb = I.map((v) => (v === 0 ? ([0, 0, 0] as const) : labelColour(atlas.labels, v)));
  const c: LabelColours = {
    I,
    R: rgb.map((x) => x[0]),
    G: rgb.map((x) => x[1]),
    B: rgb.map((x) => x[2]),
    A: I.map((v) => (v === 0 ? 0 : 255)),
    labels: I.map((v) => (v === 0 ? '' : (regionName(atlas.labels, v) ?? ''))),
  };
  colours.set(atlas.volume.data, { table: key, colours: c });
  return c;
}
const colours = new WeakMap<Float32Array, { table: LabelTable | null; colours: LabelColours }>();

/** The region at each cluster's peak, named from the atlas (and its table). */
export function peakRegions(atlas: MapEntry, peaks: readonly (readonly [number, number, number])[]): string[] {
  return peaks.map((mm) => regionName(atlas.labels, atlasValueAtMm(atlas.volume, mm)) ?? 'no region');
}

/** Each cluster's voxels by region, largest share first: "Precentral_L 62%; Postcentral_L 30%; none 8%". */
export function regionShares(
  atlas: MapEntry,
  table: SparseClusterTable,
  map: Pick<Volume, 'dims' | 'affine'>,
): string[] {
  const counts = clusterRegionCounts(table.labels, map, atlas.volume, table.clusters.length);
  return counts.map((c) => {
    const total = [...c.values()].reduce((a, b) => a + b, 0);
    return [...c.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([v, n]) => `${regionName(atlas.labels, v) ?? 'no region'} ${((100 * n) / total).toFixed(1)}%`)
      .join('; ');
  });
}
