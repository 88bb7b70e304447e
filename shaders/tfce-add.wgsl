// TFCE per permutation, step 3 of 3 at level h_k: every voxel of {t >= h_k} adds e_k^E * h_k^H
// (negative for a negative voxel when two-sided: each sign apart, reported negative), in float32.
// The same pass starts the voxels that join at the next level down as trees of their own (they are
// outside {t >= h_k}, so no thread of this level reads them); run first with an unreachable level,
// it only starts the top level's voxels.
@group(0) @binding(4) var<storage, read_write> counts: array<atomic<u32>>;
@group(0) @binding(5) var<storage, read_write> tfce: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = batchEntry(gid);
  if (i == NONE) {
    return;
  }
  let s = signAt(i, P.threshold);
  if (s != 0) {
    let e = f32(atomicLoad(&counts[atomicLoad(&labels[i])]));
    let extentTerm = select(pow(e, P.E), sqrt(e), P.E == 0.5);
    tfce[i] += f32(s) * extentTerm * P.weight;
  } else if (signAt(i, P.below) != 0) {
    atomicStore(&labels[i], i);
  }
}
