/** The MNI152 2 mm grid (FSL's MNI152_T1_2mm): 91 x 109 x 91 voxels. */
export const DIMS: [number, number, number] = [91, 109, 91];
export const AFFINE = [-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1];
export const N = DIMS[0] * DIMS[1] * DIMS[2];

export type Mm = readonly [number, number, number];

/** A small deterministic PRNG: the same seed gives the same sample data on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Calls f(i, x_mm, y_mm, z_mm) for every voxel, x fastest. */
export function forEachVoxel(f: (i: number, x: number, y: number, z: number) => void): void {
  const [nx, ny, nz] = DIMS;
  for (let k = 0, i = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let v = 0; v < nx; v++, i++)
        f(i, AFFINE[0]! * v + AFFINE[3]!, AFFINE[5]! * j + AFFINE[7]!, AFFINE[10]! * k + AFFINE[11]!);
}

/** Gaussian white noise, blurred with a Gaussian of `sigma` voxels, scaled to unit SD inside the mask. */
export function smoothNoise(seed: number, sigma: number, mask: Uint8Array): Float32Array {
  const rnd = mulberry32(seed);
  let data = new Float32Array(N);
  for (let i = 0; i < N; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rnd()));
    const t = 2 * Math.PI * rnd();
    data[i] = r * Math.cos(t);
    if (i + 1 < N) data[i + 1] = r * Math.sin(t);
  }
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
  const steps = [1, DIMS[0], DIMS[0] * DIMS[1]];
  for (let axis = 0; axis < 3; axis++) {
    const out = new Float32Array(N);
    const step = steps[axis]!;
    const len = DIMS[axis]!;
    for (let i = 0; i < N; i++) {
      const c = Math.floor(i / step) % len;
      let s = 0;
      for (let k = -radius; k <= radius; k++) {
        const cc = c + k;
        if (cc >= 0 && cc < len) s += kernel[k + radius]! * data[i + k * step]!;
      }
      out[i] = s;
    }
    data = out;
  }
  let ss = 0;
  let n = 0;
  for (let i = 0; i < N; i++) if (mask[i]) (ss += data[i]! ** 2), n++;
  const sd = Math.sqrt(ss / n);
  for (let i = 0; i < N; i++) data[i] = mask[i] ? data[i]! / sd : 0;
  return data;
}

/** A Gaussian bump of a given height and width (sigma, mm) at a point in MNI mm. */
export interface Blob {
  readonly at: Mm;
  readonly height: number;
  readonly sigmaMm: number;
}

export function addBlobs(data: Float32Array, blobs: readonly Blob[], mask: Uint8Array, scale = 1): void {
  forEachVoxel((i, x, y, z) => {
    if (!mask[i]) return;
    let s = 0;
    for (const b of blobs) {
      const d2 = (x - b.at[0]) ** 2 + (y - b.at[1]) ** 2 + (z - b.at[2]) ** 2;
      if (d2 < 9 * b.sigmaMm * b.sigmaMm * 4) s += b.height * Math.exp(-d2 / (2 * b.sigmaMm * b.sigmaMm));
    }
    data[i] = data[i]! + scale * s;
  });
}
