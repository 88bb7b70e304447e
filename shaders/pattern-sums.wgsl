// Signature sums (the twin of src/compute/cpu/pattern-sums.ts): over voxels where the weight and the
// map are both finite and non-zero, each workgroup writes n, sum w, sum x, sum w^2, sum x^2, sum w*x
// for its WG * PER_THREAD voxels; the host adds the partials in float64. Each thread first sums
// PER_THREAD voxels in registers: far fewer barriers than one voxel a thread.
struct SumParams {
  count: u32,
  unused: u32,
  pad0: u32,
  pad1: u32,
}

const WG: u32 = 256u;
const PER_THREAD: u32 = 32u;

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
  @builtin(local_invocation_index) lid: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
) {
  let g = wid.x + wid.y * nwg.x;
  var s = array<f32, 6>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  for (var k = 0u; k < PER_THREAD; k++) {
    let i = g * WG * PER_THREAD + k * WG + lid;
    if (i >= P.count) {
      break;
    }
    let wb = weights[i];
    let xb = values[i];
    if (usable(wb) && usable(xb)) {
      let w = bitcast<f32>(wb);
      let x = bitcast<f32>(xb);
      s[0] += 1.0;
      s[1] += w;
      s[2] += x;
      s[3] += w * w;
      s[4] += x * x;
      s[5] += w * x;
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
    for (var k = 0u; k < 6u; k++) {
      partials[g * 6u + k] = acc[0][k];
    }
  }
}
