// Shared by the per-permutation cluster and TFCE passes: a batch of permuted t-maps, rows x voxels,
// labelled in the mask's own index space. The host lists each masked voxel's masked neighbours
// (src/compute/gpu/mask-neighbours.ts): the `backward` earlier ones first (x-fastest order, what
// one pass of unions needs), then the later ones (what a voxel joining an existing labelling
// needs); NONE where the neighbour is outside the mask or the volume. Row r's voxel v is entry
// r * voxels + v of every array, so one labelling covers the whole batch and no t-map is scattered
// into the volume or read back.
struct PermParams {
  voxels: u32,
  rows: u32,
  stride: u32,
  backward: u32,
  // Clusters: t_u. TFCE: this pass's level h_k.
  threshold: f32,
  // TFCE: the level above (h_k+1; a huge value at the top). A voxel at or above it joined earlier.
  above: f32,
  // TFCE: the level below (h_k-1), whose new voxels the add pass starts as trees.
  below: f32,
  twoSided: u32,
  rowStride: u32,
  // cluster-max: workgroups per row.
  groups: u32,
  // TFCE: h_k^H (from float64 on the host) and E.
  weight: f32,
  E: f32,
}

const NONE: u32 = 0xffffffffu;

@group(0) @binding(0) var<uniform> P: PermParams;
@group(0) @binding(1) var<storage, read> t: array<f32>;
@group(0) @binding(2) var<storage, read> neighbours: array<u32>;
@group(0) @binding(3) var<storage, read_write> labels: array<atomic<u32>>;

// This thread's entry of the batch, or NONE past its end.
fn batchEntry(gid: vec3<u32>) -> u32 {
  let i = gid.x + gid.y * P.rowStride;
  return select(NONE, i, i < P.voxels * P.rows);
}

// +1 at or above the level, -1 at or below minus the level when two-sided, else 0.
fn signAt(i: u32, level: f32) -> i32 {
  let x = t[i];
  if (x >= level) {
    return 1;
  }
  if (P.twoSided != 0u && x <= -level) {
    return -1;
  }
  return 0;
}

// The batch index of neighbour k of entry i, or NONE.
fn neighbourOf(i: u32, k: u32) -> u32 {
  let row = i / P.voxels;
  let v = i - row * P.voxels;
  let j = neighbours[v * P.stride + k];
  return select(row * P.voxels + j, NONE, j == NONE);
}
