// Trilinear resampling of a source map onto a target grid (the twin of src/compute/cpu/resample.ts)
// for grid-aligned mappings. Where each target voxel falls along each source axis comes from per-axis
// tables the host computed in float64 (src/compute/resample-axes.ts), so the GPU samples at exactly the
// CPU's positions and gets the same voxel set; only the weighted sum runs in float32.
// Outside the source grid is 0; non-finite source values count as 0.
struct ResampleParams {
  // the target axis (0, 1, 2) that drives each source axis
  driver: vec4<u32>,
  // first table entry of each source axis
  offset: vec4<u32>,
  // flat source step from the lower to the upper corner (0 on a one-voxel axis)
  step: vec4<u32>,
  // flat source stride of each axis
  stride: vec4<u32>,
  targetDims: vec4<u32>,
  rowStride: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

// One table entry: lower corner (-1 outside the grid), weight of the lower corner, of the upper one.
struct AxisEntry {
  lower: i32,
  w0: f32,
  w1: f32,
  pad: f32,
}

@group(0) @binding(0) var<uniform> P: ResampleParams;
@group(0) @binding(1) var<storage, read> source: array<u32>;
@group(0) @binding(2) var<storage, read_write> dest: array<f32>;
@group(0) @binding(3) var<storage, read> axes: array<AxisEntry>;

fn value(i: u32) -> f32 {
  let bits = source[i];
  if ((bits & 0x7f800000u) == 0x7f800000u) {
    return 0.0;
  }
  return bitcast<f32>(bits);
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let o = gid.x + gid.y * P.rowStride;
  let tx = P.targetDims.x;
  let ty = P.targetDims.y;
  if (o >= tx * ty * P.targetDims.z) {
    return;
  }
  var q = array<u32, 3>(o % tx, (o / tx) % ty, o / (tx * ty));
  let ex = axes[P.offset.x + q[P.driver.x]];
  let ey = axes[P.offset.y + q[P.driver.y]];
  let ez = axes[P.offset.z + q[P.driver.z]];
  if (ex.lower < 0 || ey.lower < 0 || ez.lower < 0) {
    dest[o] = 0.0;
    return;
  }
  let dx = P.step.x;
  let dy = P.step.y;
  let dz = P.step.z;
  let b = u32(ex.lower) * P.stride.x + u32(ey.lower) * P.stride.y + u32(ez.lower) * P.stride.z;
  let c00 = value(b) * ex.w0 + value(b + dx) * ex.w1;
  let c10 = value(b + dy) * ex.w0 + value(b + dy + dx) * ex.w1;
  let c01 = value(b + dz) * ex.w0 + value(b + dz + dx) * ex.w1;
  let c11 = value(b + dz + dy) * ex.w0 + value(b + dz + dy + dx) * ex.w1;
  dest[o] = (c00 * ey.w0 + c10 * ey.w1) * ez.w0 + (c01 * ey.w0 + c11 * ey.w1) * ez.w1;
}
