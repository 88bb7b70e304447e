// Shared by the labelling passes: which side of the threshold a voxel is on.
// Values arrive as raw float bits so that Inf and NaN are recognised exactly (never supra-threshold),
// whatever the shader compiler assumes about non-finite floats.
struct LabelParams {
  nx: u32,
  ny: u32,
  nz: u32,
  threshold: f32,
  twoSided: u32,
  connectivity: u32,
  rowStride: u32,
  pad: u32,
}

const NONE: u32 = 0xffffffffu;

@group(0) @binding(0) var<uniform> P: LabelParams;
@group(0) @binding(1) var<storage, read> values: array<u32>;
@group(0) @binding(2) var<storage, read_write> labels: array<atomic<u32>>;

fn supraSign(bits: u32) -> i32 {
  if ((bits & 0x7f800000u) == 0x7f800000u) {
    return 0;
  }
  let v = bitcast<f32>(bits);
  if (v >= P.threshold) {
    return 1;
  }
  if (P.twoSided != 0u && v <= -P.threshold) {
    return -1;
  }
  return 0;
}

fn voxelIndex(gid: vec3<u32>) -> u32 {
  return gid.x + gid.y * P.rowStride;
}
