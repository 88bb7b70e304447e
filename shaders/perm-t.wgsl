// Per-permutation t (the twin of the CPU engine's permuted t; src/compute/permutation.ts is the
// contract). A batch of permutations is one matrix product over the masked voxels,
// S[p, v] = sum_i codes[p, i] * x[i, v], from which t follows with per-voxel sums that no
// permutation changes: sign flips keep sum x^2 (s_i^2 = 1); relabellings keep sum x and sum x^2.
//
// Tiling: a workgroup owns 256 voxels (one a thread) and TP permutations. The TP x TK codes of the
// current tile of subjects sit in workgroup memory and every thread reads the same one at a time
// (a broadcast, no bank conflicts); each x value is read once from global memory, coalesced along
// the voxels, and used for TP permutations from a register. The t written out is coalesced too.
//
// Precision (float32): S is a float32 sum of n terms (relative error about n * 2^-24 of sum |x|);
// the variance Q - S^2/n loses about log2(1 + t^2/df) bits, so t stays within about 1e-6 relative
// for |t| < 100. Relabellings arrive centred on each voxel's mean (in float64, on the host), so a
// large common offset costs no bits. A variance below ZERO_VARIANCE x Q is indistinguishable from 0
// in float32 and gives t = 0, as a zero variance does.
struct TParams {
  voxels: u32,
  subjects: u32,
  rows: u32,
  relabel: u32,
  zeroVariance: f32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

const WG: u32 = 256u;
// Permutations per workgroup (the uses of one x value) and subjects per tile; TP * TK = WG, so each
// thread loads one code of the tile.
const TP: u32 = 16u;
const TK: u32 = 16u;

@group(0) @binding(0) var<uniform> P: TParams;
// Subject-major: values[i * voxels + v].
@group(0) @binding(1) var<storage, read> values: array<f32>;
// Per voxel: (sum x, sum x^2) over the subjects, from float64 on the host.
@group(0) @binding(2) var<storage, read> sums: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read> codes: array<f32>;
@group(0) @binding(4) var<storage, read_write> tOut: array<f32>;

var<workgroup> tile: array<f32, 256>;

fn signFlipT(s: f32, q: f32, n: f32) -> f32 {
  let m = s / n;
  let ss = q - s * m;
  if (!(ss > P.zeroVariance * q)) {
    return 0.0;
  }
  return m / sqrt(ss / (n * (n - 1.0)));
}

fn relabelT(sa: f32, a: f32, sum: vec2<f32>, n: f32) -> f32 {
  let b = n - a;
  if (a < 0.5 || b < 0.5) {
    return 0.0;
  }
  let sb = sum.x - sa;
  let ma = sa / a;
  let mb = sb / b;
  let ss = sum.y - sa * ma - sb * mb;
  if (!(ss > P.zeroVariance * sum.y)) {
    return 0.0;
  }
  return (ma - mb) / sqrt(ss / (n - 2.0) * (1.0 / a + 1.0 / b));
}

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let v = wid.x * WG + lid;
  let p0 = wid.y * TP;
  let inside = v < P.voxels;
  var s: array<f32, 16>;
  var count: array<f32, 16>;
  for (var k0 = 0u; k0 < P.subjects; k0 += TK) {
    let pp = p0 + lid / TK;
    let kk = k0 + lid % TK;
    var c = 0.0;
    if (pp < P.rows && kk < P.subjects) {
      c = codes[pp * P.subjects + kk];
    }
    tile[lid] = c;
    workgroupBarrier();
    let kn = min(TK, P.subjects - k0);
    for (var k = 0u; k < kn; k++) {
      var x = 0.0;
      if (inside) {
        x = values[(k0 + k) * P.voxels + v];
      }
      for (var q = 0u; q < TP; q++) {
        s[q] += tile[q * TK + k] * x;
      }
      // Group A's size, for relabellings only (a uniform branch).
      if (P.relabel != 0u) {
        for (var q = 0u; q < TP; q++) {
          count[q] += tile[q * TK + k];
        }
      }
    }
    workgroupBarrier();
  }
  if (!inside) {
    return;
  }
  let sum = sums[v];
  let n = f32(P.subjects);
  for (var q = 0u; q < TP; q++) {
    let p = p0 + q;
    if (p >= P.rows) {
      break;
    }
    var t: f32;
    if (P.relabel == 0u) {
      t = signFlipT(s[q], sum.y, n);
    } else {
      t = relabelT(s[q], count[q], sum, n);
    }
    tOut[p * P.voxels + v] = t;
  }
}
