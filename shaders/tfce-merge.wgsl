// TFCE per permutation, step 1 of 3 at level h_k (levels run from the top down, and the labelling
// carries over: {t >= h_k} only grows as h_k falls, so components only merge). Each voxel that
// joins at this level (h_k <= t < h_k+1) unites with every masked neighbour of its sign already in
// {t >= h_k}: both halves of the neighbour list, since a neighbour that joined at a higher level
// never saw this voxel. Every edge is thus united once over all the levels, not once per level.
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = batchEntry(gid);
  if (i == NONE) {
    return;
  }
  let s = signAt(i, P.threshold);
  if (s == 0 || signAt(i, P.above) != 0) {
    return;
  }
  for (var k = 0u; k < P.stride; k++) {
    let j = neighbourOf(i, k);
    if (j != NONE && signAt(j, P.threshold) == s) {
      unite(i, j);
    }
  }
}
