// Pass 1 of 3: every supra-threshold voxel starts as its own tree; the rest are NONE.
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = voxelIndex(gid);
  if (i >= P.nx * P.ny * P.nz) {
    return;
  }
  atomicStore(&labels[i], select(NONE, i, supraSign(values[i]) != 0));
}
