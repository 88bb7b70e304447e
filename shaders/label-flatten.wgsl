// Pass 3 of 3: every supra-threshold voxel points straight at its root, the first voxel of its cluster.
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = voxelIndex(gid);
  if (i >= P.nx * P.ny * P.nz) {
    return;
  }
  if (atomicLoad(&labels[i]) != NONE) {
    atomicStore(&labels[i], findRoot(i));
  }
}
