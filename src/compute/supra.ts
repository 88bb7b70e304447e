/**
 * The labelling of a map as a list: its supra-threshold voxels in x-fastest order, each with the flat
 * index of its component's first voxel. The same information as a root volume, at a few per cent of
 * its memory where clusters cover a few per cent of the map.
 */
export interface SupraComponents {
  /** Flat indices of the supra-threshold voxels, ascending. */
  readonly voxels: Int32Array;
  /** The root (first voxel) of each one's component. */
  readonly roots: Int32Array;
}

/** The list form of a root volume (-1 = not supra-threshold), as `Engine.label` returns it. */
export function listRoots(roots: Int32Array): SupraComponents {
  let n = 0;
  for (let i = 0; i < roots.length; i++) if (roots[i]! >= 0) n++;
  const voxels = new Int32Array(n);
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < roots.length; i++) {
    const r = roots[i]!;
    if (r < 0) continue;
    voxels[k] = i;
    out[k++] = r;
  }
  return { voxels, roots: out };
}
