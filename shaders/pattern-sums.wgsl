// Signature sums (the twin of src/compute/cpu/pattern-sums.ts): over voxels where the weight and the
// map are both finite and non-zero, each workgroup writes n, sum w, sum x, sum w^2, sum x^2, sum w*x
// for its 256 voxels; the host adds the partials in float64.
struct SumParams {
  count: u32,
  rowStride: u32,
  pad0: u32,
  pad1: u32,
}

const WG: u32 = 256u;

@group(0) @binding(0) var<uniform> P: SumParams;
@group(0) @binding(1) var<storage, read> weights: array<u32>;
@group(0) @binding(2) var<storage, read> values: array<u32>;
@group(0) @binding(3) var<storage, read_write> partials: array<f32>;

var<workgroup> acc: array<array<f32, 6>, WG>;

fn usable(bits: u32) -> bool {
  // finite and not +0 / -0
  return (bits & 0x7f800000u) != 0x7f800000u && (bits & 0x7fffffffu) != 0u;
}

@compute @workgroup_size(256)
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
) {
  let i = gid.x + gid.y * P.rowStride;
  var s = array<f32, 6>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  if (i < P.count) {
    let wb = weights[i];
    let xb = values[i];
    if (usable(wb) && usable(xb)) {
      let w = bitcast<f32>(wb);
      let x = bitcast<f32>(xb);
      s = array<f32, 6>(1.0, w, x, w * w, x * x, w * x);
    }
  }
  acc[lid] = s;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      for (var k = 0u; k < 6u; k++) {
        acc[lid][k] = acc[lid][k] + acc[lid + stride][k];
      }
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let g = wid.x + wid.y * nwg.x;
    for (var k = 0u; k < 6u; k++) {
      partials[g * 6u + k] = acc[0][k];
    }
  }
}
