// Clusters per permutation, pass 3 of 4: each supra-threshold voxel adds 1 to its root's extent
// and |t| to its root's mass. WGSL has no float atomics, so the mass is a 64-bit fixed-point sum in
// two u32 words (whole part; fraction * 2^32, carried by hand): integer adds are exact and
// order-free, so the mass is the exact sum of the float32 |t| for every |t| >= 2^-9 (whose
// fraction fits 32 bits), the same whatever order the threads run in.
@group(0) @binding(4) var<storage, read_write> extent: array<atomic<u32>>;
@group(0) @binding(5) var<storage, read_write> massLo: array<atomic<u32>>;
@group(0) @binding(6) var<storage, read_write> massHi: array<atomic<u32>>;

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
  atomicAdd(&extent[r], 1u);
  let a = abs(t[i]);
  let whole = floor(a);
  let lo = u32((a - whole) * 4294967296.0);
  let old = atomicAdd(&massLo[r], lo);
  let carry = select(0u, 1u, old + lo < old);
  atomicAdd(&massHi[r], u32(whole) + carry);
}
