// Lock-free union-find on `labels` (declared by the pass's own bindings), shared by the volume
// labelling (label-*.wgsl) and the per-permutation clusters and TFCE (cluster-*.wgsl, tfce-*.wgsl).
// Playne & Hawick 2018: the larger root is hung under the smaller with atomicMin; when another
// thread got there first, retry from the new root. Parents only ever decrease, so every root is the
// smallest index of its tree: the CPU twin's label convention.

// Root of x's tree, halving the path on the way.
fn findRoot(start: u32) -> u32 {
  var x = start;
  loop {
    let p = atomicLoad(&labels[x]);
    if (p == x) {
      break;
    }
    let gp = atomicLoad(&labels[p]);
    if (gp != p) {
      atomicMin(&labels[x], gp);
    }
    x = p;
  }
  return x;
}

fn unite(a0: u32, b0: u32) {
  var a = findRoot(a0);
  var b = findRoot(b0);
  loop {
    if (a == b) {
      break;
    }
    if (a > b) {
      let t = a;
      a = b;
      b = t;
    }
    let old = atomicMin(&labels[b], a);
    if (old == b) {
      break;
    }
    b = findRoot(old);
    a = findRoot(a);
  }
}
