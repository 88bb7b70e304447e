// Clusters per permutation, pass 4 of 4: the largest extent and the largest mass (64-bit, compared
// whole word first) over each row's roots (other voxels hold 0). Each workgroup writes its row
// segment's (extent, mass high, mass low) and the host takes the max of a row's few partials.
@group(0) @binding(4) var<storage, read_write> extent: array<atomic<u32>>;
@group(0) @binding(5) var<storage, read_write> massLo: array<atomic<u32>>;
@group(0) @binding(6) var<storage, read_write> massHi: array<atomic<u32>>;
@group(0) @binding(7) var<storage, read_write> partials: array<u32>;

const WG: u32 = 256u;
const PER_THREAD: u32 = 16u;

var<workgroup> bestExtent: array<u32, 256>;
var<workgroup> bestHi: array<u32, 256>;
var<workgroup> bestLo: array<u32, 256>;

fn heavier(hi: u32, lo: u32, hi2: u32, lo2: u32) -> bool {
  return hi > hi2 || (hi == hi2 && lo > lo2);
}

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let row = wid.y;
  var e = 0u;
  var hi = 0u;
  var lo = 0u;
  for (var k = 0u; k < PER_THREAD; k++) {
    let v = (wid.x * PER_THREAD + k) * WG + lid;
    if (v >= P.voxels) {
      break;
    }
    let i = row * P.voxels + v;
    e = max(e, atomicLoad(&extent[i]));
    let h = atomicLoad(&massHi[i]);
    let l = atomicLoad(&massLo[i]);
    if (heavier(h, l, hi, lo)) {
      hi = h;
      lo = l;
    }
  }
  bestExtent[lid] = e;
  bestHi[lid] = hi;
  bestLo[lid] = lo;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      bestExtent[lid] = max(bestExtent[lid], bestExtent[lid + stride]);
      if (heavier(bestHi[lid + stride], bestLo[lid + stride], bestHi[lid], bestLo[lid])) {
        bestHi[lid] = bestHi[lid + stride];
        bestLo[lid] = bestLo[lid + stride];
      }
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let o = (row * P.groups + wid.x) * 3u;
    partials[o] = bestExtent[0];
    partials[o + 1u] = bestHi[0];
    partials[o + 2u] = bestLo[0];
  }
}
