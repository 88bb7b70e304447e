// Small synthetic group studies and a float64 reference for the permutation passes, written from
// the definitions (SPEC "Group analysis"; Smith & Nichols 2009 for TFCE), not from the engines.
import type { Connectivity } from '../../src/compute/engine';
import type { GroupStack, MaskGeometry, PermutationBatch } from '../../src/compute/permutation';
import { bfsLabels, mulberry32, type Dims } from './volumes';

export interface Study {
  readonly stack: GroupStack;
  readonly geometry: MaskGeometry;
}

/**
 * n subjects on a dims grid, masked to an ellipsoid with a few holes; each subject's map is smooth-ish
 * noise plus `effect` in two blobs (one negative), so permutations see clusters of both signs.
 */
export function syntheticStudy(seed: number, dims: Dims, n: number, effect: number, offset = 0): Study {
  const rand = mulberry32(seed);
  const [nx, ny, nz] = dims;
  const index: number[] = [];
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const r =
          ((x - (nx - 1) / 2) / (nx / 2)) ** 2 +
          ((y - (ny - 1) / 2) / (ny / 2)) ** 2 +
          ((z - (nz - 1) / 2) / (nz / 2)) ** 2;
        if (r <= 1.05 && rand() > 0.05) index.push(x + nx * (y + ny * z));
      }
  const V = index.length;
  const values = new Float32Array(n * V);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  for (let i = 0; i < n; i++) {
    const noise = new Float64Array(nx * ny * nz).map(normal);
    index.forEach((f, v) => {
      const x = f % nx;
      const y = Math.floor(f / nx) % ny;
      // Neighbours along x and y share some noise: blobs of supra-threshold voxels, not salt and pepper.
      const smooth = (noise[f]! + (x > 0 ? noise[f - 1]! : 0) + (y > 0 ? noise[f - nx]! : 0)) / Math.sqrt(3);
      const blob = x < nx / 2 ? (y < ny / 2 ? effect : 0) : y >= ny / 2 ? -effect : 0;
      values[i * V + v] = offset + smooth + blob;
    });
  }
  return { stack: { subjects: n, voxels: V, values }, geometry: { dims, voxelIndex: Uint32Array.from(index) } };
}

/** Every sign flip of n subjects (2^n), the data's own first; or `count` seeded random ones. */
export function signFlips(n: number, count: number, seed = 1): PermutationBatch {
  const codes = new Float32Array(count * n).fill(1);
  const rand = mulberry32(seed);
  const exhaustive = count === 2 ** n;
  for (let p = 1; p < count; p++)
    for (let i = 0; i < n; i++) codes[p * n + i] = (exhaustive ? (p >> i) & 1 : rand() < 0.5) ? -1 : 1;
  return { kind: 'sign-flip', count, codes };
}

/** Random relabellings into nA of group A (1) and the rest B (0); row 0 is the first nA as A. */
export function relabellings(n: number, nA: number, count: number, seed = 2): PermutationBatch {
  const codes = new Float32Array(count * n);
  const rand = mulberry32(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let p = 0; p < count; p++) {
    if (p > 0) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    }
    for (let k = 0; k < nA; k++) codes[p * n + order[k]!] = 1;
  }
  return { kind: 'relabel', count, codes };
}

/** t of every permutation in float64: one-sample t of s_i x_i, or Student's pooled t of A - B. */
export function referenceT(stack: GroupStack, batch: PermutationBatch): Float64Array {
  const { subjects: n, voxels: V, values } = stack;
  const out = new Float64Array(batch.count * V);
  for (let p = 0; p < batch.count; p++) {
    const c = batch.codes.subarray(p * n, (p + 1) * n);
    for (let v = 0; v < V; v++) {
      const x = (i: number): number => values[i * V + v]!;
      let t = 0;
      if (batch.kind === 'sign-flip') {
        let m = 0;
        for (let i = 0; i < n; i++) m += c[i]! * x(i);
        m /= n;
        let ss = 0;
        for (let i = 0; i < n; i++) ss += (c[i]! * x(i) - m) ** 2;
        t = ss > 0 ? m / Math.sqrt(ss / (n - 1) / n) : 0;
      } else {
        let na = 0,
          ma = 0,
          mb = 0;
        for (let i = 0; i < n; i++) {
          if (c[i]) na++, (ma += x(i));
          else mb += x(i);
        }
        const nb = n - na;
        ma /= na;
        mb /= nb;
        let ss = 0;
        for (let i = 0; i < n; i++) ss += (x(i) - (c[i] ? ma : mb)) ** 2;
        t = ss > 0 ? (ma - mb) / Math.sqrt((ss / (n - 2)) * (1 / na + 1 / nb)) : 0;
      }
      out[p * V + v] = t;
    }
  }
  return out;
}

/** The components of one masked map at a level, through the volume BFS (outside the mask is NaN). */
function components(
  t: ArrayLike<number>,
  geometry: MaskGeometry,
  level: number,
  twoSided: boolean,
  connectivity: Connectivity,
): Int32Array {
  const [nx, ny, nz] = geometry.dims;
  const data = new Float32Array(nx * ny * nz).fill(NaN);
  geometry.voxelIndex.forEach((f, v) => (data[f] = t[v]!));
  const labels = bfsLabels({ name: 'map', dims: [nx, ny, nz], data }, level, twoSided, connectivity);
  return Int32Array.from(geometry.voxelIndex, (f) => labels[f]!);
}

/** Largest cluster extent and mass (sum |t|) of one map at t >= threshold (and <= -threshold apart). */
export function referenceClusters(
  t: ArrayLike<number>,
  geometry: MaskGeometry,
  threshold: number,
  twoSided: boolean,
  connectivity: Connectivity,
): { extent: number; mass: number } {
  const labels = components(t, geometry, threshold, twoSided, connectivity);
  const size = new Map<number, number>();
  const mass = new Map<number, number>();
  labels.forEach((l, v) => {
    if (l < 0) return;
    size.set(l, (size.get(l) ?? 0) + 1);
    mass.set(l, (mass.get(l) ?? 0) + Math.abs(t[v]!));
  });
  return { extent: Math.max(0, ...size.values()), mass: Math.max(0, ...mass.values()) };
}

/** TFCE by its definition, one labelling per level h_k = k * step <= t (in float64). */
export function referenceTfce(
  t: ArrayLike<number>,
  geometry: MaskGeometry,
  step: number,
  E: number,
  H: number,
  twoSided: boolean,
  connectivity: Connectivity,
): Float64Array {
  const V = geometry.voxelIndex.length;
  const out = new Float64Array(V);
  let top = 0;
  for (let v = 0; v < V; v++) top = Math.max(top, twoSided ? Math.abs(t[v]!) : t[v]!);
  for (let k = 1; k * step <= top; k++) {
    const h = k * step;
    // The volume BFS compares t with its threshold rounded to float32; a float32 t is >= h exactly
    // when it is >= the smallest float32 >= h.
    let u = Math.fround(h);
    if (u < h) u = nextFloat32Up(u);
    const labels = components(t, geometry, u, twoSided, connectivity);
    const size = new Map<number, number>();
    for (const l of labels) if (l >= 0) size.set(l, (size.get(l) ?? 0) + 1);
    labels.forEach((l, v) => {
      if (l >= 0) out[v]! += Math.sign(t[v]!) * size.get(l)! ** E * h ** H;
    });
  }
  return out;
}

/** The largest |x| (or x) of each row of a rows x voxels array. */
export function rowMax(data: ArrayLike<number>, rows: number, voxels: number, abs: boolean): Float64Array {
  const out = new Float64Array(rows).fill(-Infinity);
  for (let p = 0; p < rows; p++)
    for (let v = 0; v < voxels; v++)
      out[p] = Math.max(out[p]!, abs ? Math.abs(data[p * voxels + v]!) : data[p * voxels + v]!);
  return out;
}

function nextFloat32Up(f: number): number {
  const a = new Float32Array([f]);
  new Uint32Array(a.buffer)[0]! += 1;
  return a[0]!;
}
