// Clusters per permutation, pass 1 of 4: every supra-threshold voxel of every row starts as its own
// tree. The other labels are never read (the passes test t first), so they need no value.
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = batchEntry(gid);
  if (i == NONE) {
    return;
  }
  if (signAt(i, P.threshold) != 0) {
    atomicStore(&labels[i], i);
  }
}
