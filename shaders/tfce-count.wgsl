// TFCE per permutation, step 2 of 3 at level h_k: every voxel of {t >= h_k} points straight at its
// root and adds 1 to the root's count (cleared by the host before this pass): e_k of its component.
@group(0) @binding(4) var<storage, read_write> counts: array<atomic<u32>>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = batchEntry(gid);
  if (i == NONE) {
    return;
  }
  if (signAt(i, P.threshold) == 0) {
    return;
  }
  let r = findRoot(i);
  atomicStore(&labels[i], r);
  atomicAdd(&counts[r], 1u);
}
