// Trilinear resampling of a source map onto a target grid (the twin of src/compute/cpu/resample.ts).
// Outside the source grid (beyond EDGE_EPS voxels) is 0; non-finite source values count as 0.
struct ResampleParams {
  // target voxel -> source voxel, rows of a 3x4 matrix
  row0: vec4<f32>,
  row1: vec4<f32>,
  row2: vec4<f32>,
  sourceDims: vec4<u32>,
  targetDims: vec4<u32>,
  rowStride: u32,
  edgeEps: f32,
  pad0: u32,
  pad1: u32,
}

@group(0) @binding(0) var<uniform> P: ResampleParams;
@group(0) @binding(1) var<storage, read> source: array<u32>;
@group(0) @binding(2) var<storage, read_write> dest: array<f32>;

fn value(i: u32) -> f32 {
  let bits = source[i];
  if ((bits & 0x7f800000u) == 0x7f800000u) {
    return 0.0;
  }
  return bitcast<f32>(bits);
}

// Positions within edgeEps of a grid point snap to it (as the CPU twin does).
fn snap(c: vec3<f32>) -> vec3<f32> {
  let r = round(c);
  return select(c, r, abs(c - r) <= vec3<f32>(P.edgeEps));
}

// Lower corner along one axis, or -1 when c lies outside [0, n-1].
fn corner(c: f32, n: u32) -> i32 {
  if (c < -P.edgeEps || c > f32(n - 1u) + P.edgeEps) {
    return -1;
  }
  if (n == 1u) {
    return 0;
  }
  return clamp(i32(floor(c)), 0, i32(n) - 2);
}

fn frac(c: f32, c0: i32, n: u32) -> f32 {
  if (n == 1u) {
    return 0.0;
  }
  return clamp(c - f32(c0), 0.0, 1.0);
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let o = gid.x + gid.y * P.rowStride;
  let tx = P.targetDims.x;
  let ty = P.targetDims.y;
  if (o >= tx * ty * P.targetDims.z) {
    return;
  }
  let p = vec4<f32>(f32(o % tx), f32((o / tx) % ty), f32(o / (tx * ty)), 1.0);
  let c = snap(vec3<f32>(dot(P.row0, p), dot(P.row1, p), dot(P.row2, p)));
  let s = P.sourceDims;
  let x0 = corner(c.x, s.x);
  let y0 = corner(c.y, s.y);
  let z0 = corner(c.z, s.z);
  if (x0 < 0 || y0 < 0 || z0 < 0) {
    dest[o] = 0.0;
    return;
  }
  let fx = frac(c.x, x0, s.x);
  let fy = frac(c.y, y0, s.y);
  let fz = frac(c.z, z0, s.z);
  let dx = select(1u, 0u, s.x == 1u);
  let dy = select(s.x, 0u, s.y == 1u);
  let dz = select(s.x * s.y, 0u, s.z == 1u);
  let b = u32(x0) + u32(y0) * s.x + u32(z0) * s.x * s.y;
  let c00 = value(b) * (1.0 - fx) + value(b + dx) * fx;
  let c10 = value(b + dy) * (1.0 - fx) + value(b + dy + dx) * fx;
  let c01 = value(b + dz) * (1.0 - fx) + value(b + dz + dx) * fx;
  let c11 = value(b + dz + dy) * (1.0 - fx) + value(b + dz + dy + dx) * fx;
  dest[o] = (c00 * (1.0 - fy) + c10 * fy) * (1.0 - fz) + (c01 * (1.0 - fy) + c11 * fy) * fz;
}
