// Per-permutation t or F of the general linear model (the twin of the CPU engine's glmStat;
// src/compute/glm.ts is the contract). Freedman-Lane: permutation j needs a = Q' P_j E at each voxel,
// r numbers, i.e. one matrix product of the batch's code rows (count * rank rows of length n) with the
// null model's residuals E (n x voxels); then RSS = |E|^2 - sum_k a_k^2 and
// t = a_0 / sqrt(RSS / df), F = (sum_{k<s} a_k^2 / s) / (RSS / df).
//
// One fused pass: a workgroup owns 256 voxels (one a thread) and TP permutations, and walks the
// model's rank one code row at a time. For code row k, the TP x TK codes of the current tile of rows
// sit in workgroup memory (every thread reads the same one: a broadcast) and each E value, read once
// from global memory coalesced along the voxels, is used for TP permutations from a register, as in
// perm-t.wgsl. Each finished a_k is folded at once into two running numbers per permutation (a_0
// for t or the effect's sum of squares for F, and the sum over all rows), so the registers a thread needs do not grow with
// the rank and no a_k is written out: the only output is the statistic, coalesced. With rank 1 this
// is perm-t.wgsl's sign-flip product exactly.
//
// Precision (float32): each a_k is a float32 sum of n terms; RSS = |E|^2 - |a|^2 (|E|^2 from float64
// on the host) loses about log2(|E|^2 / RSS) bits to cancellation, the same loss as the t-tests'
// variance. An RSS below ZERO_RSS x |E|^2 cannot be told from rounding and gives 0, as RSS = 0 does.
struct GlmParams {
  voxels: u32,
  rows: u32,
  count: u32,
  rank: u32,
  effect: u32,
  isF: u32,
  df: f32,
  zeroRss: f32,
}

const WG: u32 = 256u;
// Permutations per workgroup (the uses of one E value) and model rows per tile; TP * TK = WG, so
// each thread loads one code of the tile.
const TP: u32 = 16u;
const TK: u32 = 16u;

@group(0) @binding(0) var<uniform> P: GlmParams;
// Row-major: residuals[i * voxels + v].
@group(0) @binding(1) var<storage, read> residuals: array<f32>;
// |E_v|^2, from float64 on the host.
@group(0) @binding(2) var<storage, read> sumSquares: array<f32>;
// codes[(p * rank + k) * rows + i]
@group(0) @binding(3) var<storage, read> codes: array<f32>;
@group(0) @binding(4) var<storage, read_write> statOut: array<f32>;

var<workgroup> tile: array<f32, 256>;

// lead: a_0 for t; sum_{k<s} a_k^2 for F.
fn statistic(lead: f32, total: f32, ee: f32) -> f32 {
  let rss = max(ee - total, 0.0);
  if (!(rss > P.zeroRss * ee)) {
    return 0.0;
  }
  let sigma2 = rss / P.df;
  if (P.isF != 0u) {
    return lead / f32(P.effect) / sigma2;
  }
  return lead / sqrt(sigma2);
}

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let v = wid.x * WG + lid;
  let p0 = wid.y * TP;
  let inside = v < P.voxels;
  // Per permutation: a_0 (t) or the effect's sum of squares (F), and the sum over every row.
  var lead: array<f32, 16>;
  var total: array<f32, 16>;
  var acc: array<f32, 16>;
  for (var k = 0u; k < P.rank; k++) {
    // Cleared here, not by declaring acc inside the loop: WGSL zero-initialises such a declaration
    // on every pass, but on Dawn with SwiftShader the array kept the last pass's sums (the tests
    // caught it: rank >= 2 gave wrong statistics).
    for (var q = 0u; q < TP; q++) {
      acc[q] = 0.0;
    }
    for (var i0 = 0u; i0 < P.rows; i0 += TK) {
      let pp = p0 + lid / TK;
      let ii = i0 + lid % TK;
      var c = 0.0;
      if (pp < P.count && ii < P.rows) {
        c = codes[(pp * P.rank + k) * P.rows + ii];
      }
      tile[lid] = c;
      workgroupBarrier();
      let kn = min(TK, P.rows - i0);
      for (var i = 0u; i < kn; i++) {
        var x = 0.0;
        if (inside) {
          x = residuals[(i0 + i) * P.voxels + v];
        }
        for (var q = 0u; q < TP; q++) {
          acc[q] += tile[q * TK + i] * x;
        }
      }
      workgroupBarrier();
    }
    for (var q = 0u; q < TP; q++) {
      let sq = acc[q] * acc[q];
      total[q] += sq;
      if (P.isF == 0u) {
        if (k == 0u) {
          lead[q] = acc[q];
        }
      } else if (k < P.effect) {
        lead[q] += sq;
      }
    }
  }
  if (!inside) {
    return;
  }
  let ee = sumSquares[v];
  for (var q = 0u; q < TP; q++) {
    let p = p0 + q;
    if (p >= P.count) {
      break;
    }
    statOut[p * P.voxels + v] = statistic(lead[q], total[q], ee);
  }
}
