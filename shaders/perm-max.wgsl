// Per-permutation maxima of a rows x voxels float32 array (permuted t, or TFCE): each row's max and
// max |value|. A workgroup reduces PER_THREAD * 256 voxels of one row in workgroup memory; its
// thread 0 folds the result into the row's slot with atomicMax on an order-preserving u32 key, so
// the maxima are exact (a max has no rounding) and the host reads back two words a permutation.
struct MaxParams {
  voxels: u32,
  rows: u32,
  pad0: u32,
  pad1: u32,
}

const WG: u32 = 256u;
const PER_THREAD: u32 = 16u;
const LOWEST: f32 = -3.4028234e38;

@group(0) @binding(0) var<uniform> P: MaxParams;
@group(0) @binding(1) var<storage, read> data: array<f32>;
// Per row: (key of the max, bits of the max |value|); cleared to 0 (below every key) beforehand.
@group(0) @binding(2) var<storage, read_write> maxima: array<atomic<u32>>;

var<workgroup> hiVal: array<f32, 256>;
var<workgroup> hiAbs: array<f32, 256>;

// Flips the float's bits so that unsigned order is numeric order (negatives reversed).
fn orderKey(f: f32) -> u32 {
  let b = bitcast<u32>(f);
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let row = wid.y;
  var m = LOWEST;
  var a = 0.0;
  for (var k = 0u; k < PER_THREAD; k++) {
    let v = (wid.x * PER_THREAD + k) * WG + lid;
    if (v >= P.voxels) {
      break;
    }
    let x = data[row * P.voxels + v];
    m = max(m, x);
    a = max(a, abs(x));
  }
  hiVal[lid] = m;
  hiAbs[lid] = a;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      hiVal[lid] = max(hiVal[lid], hiVal[lid + stride]);
      hiAbs[lid] = max(hiAbs[lid], hiAbs[lid + stride]);
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    atomicMax(&maxima[row * 2u], orderKey(hiVal[0]));
    // Non-negative floats already order as their bits.
    atomicMax(&maxima[row * 2u + 1u], bitcast<u32>(hiAbs[0]));
  }
}
