// Clusters per permutation, pass 2 of 4: unite each supra-threshold voxel with its earlier masked
// neighbours of the same sign (the backward half of the neighbour list covers every pair once).
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = batchEntry(gid);
  if (i == NONE) {
    return;
  }
  let s = signAt(i, P.threshold);
  if (s == 0) {
    return;
  }
  for (var k = 0u; k < P.backward; k++) {
    let j = neighbourOf(i, k);
    if (j != NONE && signAt(j, P.threshold) == s) {
      unite(i, j);
    }
  }
}
