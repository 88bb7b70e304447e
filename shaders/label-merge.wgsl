// Pass 2 of 3: unite each supra-threshold voxel with its earlier neighbours of the same sign.
// unite() is in lib/union-find.wgsl (Playne & Hawick 2018). One dispatch suffices.

// The 13 neighbours earlier in x-fastest order (src/compute/neighbourhood.ts lists the same).
const OFFSETS = array<vec3<i32>, 13>(
  vec3<i32>(-1, -1, -1), vec3<i32>(0, -1, -1), vec3<i32>(1, -1, -1),
  vec3<i32>(-1, 0, -1), vec3<i32>(0, 0, -1), vec3<i32>(1, 0, -1),
  vec3<i32>(-1, 1, -1), vec3<i32>(0, 1, -1), vec3<i32>(1, 1, -1),
  vec3<i32>(-1, -1, 0), vec3<i32>(0, -1, 0), vec3<i32>(1, -1, 0),
  vec3<i32>(-1, 0, 0),
);

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = voxelIndex(gid);
  if (i >= P.nx * P.ny * P.nz) {
    return;
  }
  let s = supraSign(values[i]);
  if (s == 0) {
    return;
  }
  let x = i32(i % P.nx);
  let y = i32((i / P.nx) % P.ny);
  let z = i32(i / (P.nx * P.ny));
  let nx = i32(P.nx);
  let ny = i32(P.ny);
  for (var k = 0u; k < 13u; k++) {
    let o = OFFSETS[k];
    let axes = u32(abs(o.x) + abs(o.y) + abs(o.z));
    if ((P.connectivity == 6u && axes != 1u) || (P.connectivity == 18u && axes > 2u)) {
      continue;
    }
    let xx = x + o.x;
    let yy = y + o.y;
    if (xx < 0 || xx >= nx || yy < 0 || yy >= ny || z + o.z < 0) {
      continue;
    }
    let j = u32(xx + nx * (yy + ny * (z + o.z)));
    if (supraSign(values[j]) == s) {
      unite(i, j);
    }
  }
}
