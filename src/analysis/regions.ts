import { invertAffine } from '../nifti/affine';
import type { Grid } from './grid';
import type { SparseLabels } from './sparse-labels';

/**
 * The map-voxel -> atlas-voxel matrix (3x4, row-major): the atlas's inverse affine after the map's,
 * so each map voxel finds the atlas voxel whose centre is nearest its own centre in mm.
 */
function mapToAtlas(map: Grid, atlas: Grid): number[] {
  const inv = invertAffine(atlas.affine);
  const a = map.affine;
  const m: number[] = [];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += inv[r * 4 + k]! * a[k * 4 + c]!;
      m.push(s);
    }
  return m;
}

/** The atlas value at the map voxel (i, j, k), 0 outside the atlas. */
function atlasValue(
  m: number[],
  atlas: Grid & { readonly data: Float32Array },
  i: number,
  j: number,
  k: number,
): number {
  const [nx, ny, nz] = atlas.dims;
  const x = Math.round(m[0]! * i + m[1]! * j + m[2]! * k + m[3]!);
  const y = Math.round(m[4]! * i + m[5]! * j + m[6]! * k + m[7]!);
  const z = Math.round(m[8]! * i + m[9]! * j + m[10]! * k + m[11]!);
  if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) return 0;
  return atlas.data[x + nx * (y + ny * z)]!;
}

/**
 * For each cluster (1 = the first), how many of its voxels fall in each atlas value (0: outside every
 * region), nearest atlas voxel to each voxel's centre.
 */
export function clusterRegionCounts(
  labels: SparseLabels,
  map: Grid,
  atlas: Grid & { readonly data: Float32Array },
  clusters: number,
): Map<number, number>[] {
  const out = Array.from({ length: clusters }, () => new Map<number, number>());
  const m = mapToAtlas(map, atlas);
  const [nx, ny] = map.dims;
  for (let n = 0; n < labels.voxels.length; n++) {
    const c = labels.index[n]! - 1;
    const counts = out[c];
    if (!counts) continue;
    const v = labels.voxels[n]!;
    const i = v % nx;
    const j = Math.floor(v / nx) % ny;
    const k = Math.floor(v / (nx * ny));
    const a = atlasValue(m, atlas, i, j, k);
    counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  return out;
}

/** The atlas value at a point given in mm (nearest voxel), 0 outside the atlas. */
export function atlasValueAtMm(
  atlas: Grid & { readonly data: Float32Array },
  mm: readonly [number, number, number],
): number {
  const inv = invertAffine(atlas.affine);
  const [nx, ny, nz] = atlas.dims;
  const p = [0, 1, 2].map((r) =>
    Math.round(inv[r * 4]! * mm[0] + inv[r * 4 + 1]! * mm[1] + inv[r * 4 + 2]! * mm[2] + inv[r * 4 + 3]!),
  );
  const [x, y, z] = p as [number, number, number];
  if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) return 0;
  return atlas.data[x + nx * (y + ny * z)]!;
}
