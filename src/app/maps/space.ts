import type { Volume } from '../../nifti';

/** Where a map's millimetres are: a standard template space, or the scanner's (native) space. */
export type Space = 'mni' | 'native';

/** NIfTI xform code for MNI152 coordinates (nifti1.h NIFTI_XFORM_MNI_152). */
const XFORM_MNI_152 = 4;

/**
 * Voxel-centre bounding boxes (mm, [min, max] per axis) of the MNI grids the packages write:
 * FSL's MNI152 (91x109x91 at 2 mm, 182x218x182 at 1 mm), SPM's default bounding box, and the
 * ICBM 2009 grid (fMRIPrep's MNI152NLin2009cAsym, NARPS).
 */
const MNI_BOXES: readonly (readonly [number, number])[][] = [
  [
    [-90, 90],
    [-126, 90],
    [-72, 108],
  ],
  [
    [-78, 78],
    [-112, 76],
    [-70, 85],
  ],
  [
    [-96, 96],
    [-132, 96],
    [-78, 114],
  ],
  // AAL and other atlases on a 181x217x181 1 mm grid.
  [
    [-90, 90],
    [-126, 90],
    [-72, 108],
  ],
];

/** How far a box may be from a standard one and still be it (one voxel and rounding). */
const BOX_TOLERANCE_MM = 2.5;

/** The bounding box of voxel centres, or null when the grid is oblique (then no standard grid). */
function box(v: Pick<Volume, 'dims' | 'affine'>): [number, number][] | null {
  const a = v.affine;
  const out: [number, number][] = [];
  for (let r = 0; r < 3; r++) {
    const row = [a[r * 4]!, a[r * 4 + 1]!, a[r * 4 + 2]!];
    const nonZero = row.filter((x) => Math.abs(x) > 1e-6 * Math.max(...row.map(Math.abs)));
    if (nonZero.length !== 1) return null;
    const c = row.findIndex((x) => Math.abs(x) > 1e-6 * Math.max(...row.map(Math.abs)));
    const ends = [a[r * 4 + 3]!, a[r * 4 + 3]! + row[c]! * (v.dims[c]! - 1)];
    out.push([Math.min(...ends), Math.max(...ends)]);
  }
  return out;
}

/**
 * MNI only when the file says so (sform/qform code MNI152) or its grid is a standard MNI grid, or it
 * shares the grid of a background that is; every other map's coordinates are scanner (native) mm.
 */
export function mapSpace(
  v: Pick<Volume, 'dims' | 'affine'> & { readonly xformCode?: number },
  background?: (Pick<Volume, 'dims' | 'affine'> & { readonly space: Space }) | null,
): Space {
  if (v.xformCode === XFORM_MNI_152) return 'mni';
  const b = box(v);
  if (
    b &&
    MNI_BOXES.some((m) =>
      m.every(
        ([lo, hi], k) => Math.abs(b[k]![0] - lo) <= BOX_TOLERANCE_MM && Math.abs(b[k]![1] - hi) <= BOX_TOLERANCE_MM,
      ),
    )
  )
    return 'mni';
  if (b && MNI_BOXES.some((m) => croppedFrom(v, b, m))) return 'mni';
  if (background?.space === 'mni' && sameGrid(v, background)) return 'mni';
  return 'native';
}

/**
 * A standard grid cropped along one axis, as CANlab ships SIIPS1 (SPM's 2 mm box with z from −50
 * to 84): two axes are the box's, the third lies inside it, and every voxel centre sits on the box's
 * lattice. A scanner grid meets all of that only by design, whatever its sform code says.
 */
function croppedFrom(
  v: Pick<Volume, 'affine'>,
  b: [number, number][],
  m: readonly (readonly [number, number])[],
): boolean {
  const a = v.affine;
  const sizes = [0, 1, 2].map((r) => Math.max(Math.abs(a[r * 4]!), Math.abs(a[r * 4 + 1]!), Math.abs(a[r * 4 + 2]!)));
  const near = (x: number, y: number): boolean => Math.abs(x - y) <= BOX_TOLERANCE_MM;
  const exact = m.filter(([lo, hi], k) => near(b[k]![0], lo) && near(b[k]![1], hi)).length;
  const inside = m.every(([lo, hi], k) => b[k]![0] >= lo - BOX_TOLERANCE_MM && b[k]![1] <= hi + BOX_TOLERANCE_MM);
  const onLattice = m.every(([lo], k) => {
    const steps = (b[k]![0] - lo) / sizes[k]!;
    return Math.abs(steps - Math.round(steps)) < LATTICE_TOLERANCE;
  });
  return exact >= 2 && inside && onLattice;
}

/** How far (in voxels) a voxel centre may be from a standard grid's lattice point and still be on it. */
const LATTICE_TOLERANCE = 0.05;

function sameGrid(a: Pick<Volume, 'dims' | 'affine'>, b: Pick<Volume, 'dims' | 'affine'>): boolean {
  return a.dims.every((d, k) => d === b.dims[k]) && a.affine.every((x, k) => Math.abs(x - b.affine[k]!) < 1e-3);
}

export function spaceLabel(s: Space): string {
  return s === 'mni' ? 'MNI' : 'scanner/native';
}
