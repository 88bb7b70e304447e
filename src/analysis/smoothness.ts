import { det3 } from '../nifti/affine';
import { SMOOTHEST_CLAMPED_RATIO, SMOOTHEST_EXTREME_RATIO, SMOOTHEST_MASK_LEVEL } from './constants';

/** 8 ln 2: FWHM^2 = sigma^2 * this. */
const FWHM2_PER_SIGMA2 = 8 * Math.LN2;

export interface Smoothness {
  /** DLH = |Lambda|^(1/2) in voxels^-D, FSL smoothest's DLH: (4 ln 2)^1.5 / (FWHMx FWHMy FWHMz) in 3D. */
  readonly dlh: number;
  /** Search volume: voxels in the mask (smoothest's VOLUME). */
  readonly volume: number;
  /** FWHM per axis, in voxels and in mm (z is 0 for a single-slice map, as smoothest reports it). */
  readonly fwhmVoxels: [number, number, number];
  readonly fwhmMm: [number, number, number];
  /** Size of one resel in voxels (FWHMx FWHMy FWHMz; smoothest prints it as RESELS), and the search volume in resels. */
  readonly reselSize: number;
  readonly resels: number;
  /** What smoothest would warn of (extreme smoothness clamped), or why no estimate exists. */
  readonly warnings: string[];
}

/** A map as the smoothness estimate needs it: its values, grid, voxel sizes and affine (for its x order). */
export interface SmoothnessMap {
  readonly data: Float32Array;
  readonly dims: readonly [number, number, number];
  readonly pixdim: readonly number[];
  readonly affine: readonly number[];
}

/**
 * Smoothness of a z-map as FSL's `smoothest -z ZMAP -m MASK` computes it (smoothest.cc): the mask is
 * the map's finite non-zero voxels unless one is given (> 0.5 counts). A voxel enters the sums only
 * when it and its three backward neighbours (x-1, y-1, z-1) are in the mask; per axis,
 * SS = sum R(v) R(v-1) and S2 = sum (R(v)^2 + R(v-1)^2) / 2 on the raw values (products in float32,
 * sums in float64, as smoothest does), sigma^2 = -1 / (4 ln |SS / S2|) with smoothest's clamp near 1.
 * FSL reads a neurological file (positive determinant) as radiological, x reversed, and "backward"
 * along x is then the file's x + 1. A single-slice map uses smoothest's 2D form.
 */
export function estimateSmoothness(map: SmoothnessMap, mask?: Float32Array): Smoothness {
  // It depends on the map alone, and a threshold slider asks for it on every change: compute it once.
  const known = mask ? undefined : estimated.get(map.data);
  if (known && sameGeometry(known.map, map)) return known.smoothness;
  const smoothness = estimate(map, mask);
  if (!mask) rememberSmoothness(map, smoothness);
  return smoothness;
}

type Geometry = Omit<SmoothnessMap, 'data'>;
const estimated = new WeakMap<Float32Array, { map: Geometry; smoothness: Smoothness }>();
const sameGeometry = (a: Geometry, b: Geometry): boolean =>
  a.pixdim.every((p, i) => p === b.pixdim[i]) &&
  a.affine.every((v, i) => v === b.affine[i]) &&
  a.dims.every((d, i) => d === b.dims[i]);

/** Records an estimate made elsewhere (another thread, on its copy of the same map). */
export function rememberSmoothness(map: SmoothnessMap, smoothness: Smoothness): void {
  estimated.set(map.data, {
    map: { dims: [...map.dims], pixdim: [...map.pixdim], affine: [...map.affine] },
    smoothness,
  });
}

/** The mask as bytes: given (> 0.5) or the map's finite non-zero voxels. */
function maskOf(data: Float32Array, mask: Float32Array | undefined): Uint8Array {
  const m = new Uint8Array(data.length);
  if (mask) {
    if (mask.length !== data.length)
      throw new RangeError(`the smoothness mask has ${mask.length} voxels where the map has ${data.length}`);
    for (let i = 0; i < m.length; i++) m[i] = mask[i]! > SMOOTHEST_MASK_LEVEL ? 1 : 0;
  } else {
    for (let i = 0; i < m.length; i++) {
      const v = data[i]!;
      m[i] = v !== 0 && v - v === 0 ? 1 : 0;
    }
  }
  return m;
}

function estimate(map: SmoothnessMap, given: Float32Array | undefined): Smoothness {
  const { data, dims, pixdim } = map;
  const [nx, ny, nz] = dims;
  const mask = maskOf(data, given);
  let volume = 0;
  for (let i = 0; i < mask.length; i++) volume += mask[i]!;
  const threeD = nz > 1;
  // FSL's x index X = nx - 1 - x for a neurological file; its x - 1 is then the file's x + 1.
  const flip = det3(map.affine) > 0;
  const bx = flip ? 1 : -1;
  const by = -nx;
  const bz = -nx * ny;
  const ss = [0, 0, 0];
  const s2 = [0, 0, 0];
  const fr = Math.fround;
  for (let z = threeD ? 1 : 0; z < nz; z++) {
    for (let y = 1; y < ny; y++) {
      const row = nx * (y + ny * z);
      for (let x = flip ? 0 : 1, xEnd = flip ? nx - 1 : nx; x < xEnd; x++) {
        const i = row + x;
        if (!mask[i] || !mask[i + bx] || !mask[i + by] || (threeD && !mask[i + bz])) continue;
        const r = data[i]!;
        const rr = fr(r * r);
        const rx = data[i + bx]!;
        const ry = data[i + by]!;
        ss[0]! += fr(r * rx);
        ss[1]! += fr(r * ry);
        s2[0]! += 0.5 * fr(rr + fr(rx * rx));
        s2[1]! += 0.5 * fr(rr + fr(ry * ry));
        if (threeD) {
          const rz = data[i + bz]!;
          ss[2]! += fr(r * rz);
          s2[2]! += 0.5 * fr(rr + fr(rz * rz));
        }
      }
    }
  }
  const warnings: string[] = [];
  const axes = threeD ? 3 : 2;
  const sigma2 = [0, 0, 0];
  for (let a = 0; a < axes; a++) {
    if (ss[a]! >= SMOOTHEST_EXTREME_RATIO * s2[a]!) {
      ss[a] = SMOOTHEST_CLAMPED_RATIO * s2[a]!;
      if (s2[a]! > 0)
        warnings.push(
          `extreme smoothness along ${'xyz'[a]}: the lag-1 ratio was clamped to ${SMOOTHEST_CLAMPED_RATIO} as FSL smoothest does (possibly biased)`,
        );
    }
    sigma2[a] = -1 / (4 * Math.log(Math.abs(ss[a]! / s2[a]!)));
  }
  const fwhmVoxels = sigma2.map((s, a) => (a < axes ? Math.sqrt(FWHM2_PER_SIGMA2 * s) : 0)) as [number, number, number];
  const dlh = threeD
    ? (sigma2[0]! * sigma2[1]! * sigma2[2]!) ** -0.5 * 8 ** -0.5
    : (sigma2[0]! * sigma2[1]!) ** -0.5 * 4 ** -0.5;
  const reselSize = threeD ? fwhmVoxels[0] * fwhmVoxels[1] * fwhmVoxels[2] : fwhmVoxels[0] * fwhmVoxels[1];
  if (!(Number.isFinite(dlh) && dlh > 0)) {
    warnings.push(
      s2.slice(0, axes).every((s) => s > 0)
        ? 'no smoothness estimate: a lag-1 ratio of magnitude 1 or more along an axis (e.g. a checkerboard) gives no finite FWHM'
        : 'no smoothness estimate: no masked voxel has its backward neighbours in the mask',
    );
  }
  return {
    dlh,
    volume,
    fwhmVoxels,
    fwhmMm: [
      fwhmVoxels[0] * Math.abs(pixdim[0]!),
      fwhmVoxels[1] * Math.abs(pixdim[1]!),
      fwhmVoxels[2] * Math.abs(pixdim[2] ?? 1),
    ],
    reselSize,
    resels: volume / reselSize,
    warnings,
  };
}
