import { BACKWARD_NEIGHBOURS, connects } from '../neighbourhood';
import type { Connectivity } from '../engine';

/** The earlier neighbours under a connectivity as flat typed arrays: the inner loop runs 13 times per supra-threshold voxel. */
export interface BackwardOffsets {
  readonly count: number;
  readonly dxs: Int32Array;
  readonly dys: Int32Array;
  readonly dzs: Int32Array;
  /** The offset as a flat index step on an nx x ny grid. */
  readonly flat: Int32Array;
}

export function backwardOffsets(connectivity: Connectivity, nx: number, ny: number): BackwardOffsets {
  const offsets = BACKWARD_NEIGHBOURS.filter((o) => connects(o, connectivity));
  return {
    count: offsets.length,
    dxs: Int32Array.from(offsets, (o) => o[0]),
    dys: Int32Array.from(offsets, (o) => o[1]),
    dzs: Int32Array.from(offsets, (o) => o[2]),
    flat: Int32Array.from(offsets, ([dx, dy, dz]) => dx + dy * nx + dz * nx * ny),
  };
}

/**
 * The root of x, halving the path on the way (each node visited is hung from its grandparent): one
 * pass, and the trees stay as flat as full compression keeps them. Every union-find of the project
 * (labels, permutation clusters, TFCE, the cluster index) finds its roots through this one function;
 * it is small enough for the JIT to inline into their per-voxel loops.
 */
export function findRoot(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    const up = parent[parent[x]!]!;
    parent[x] = up;
    x = up;
  }
  return x;
}

/**
 * Unites x's component with the one whose root is `root`, linking the larger root under the smaller
 * (roots stay the first voxel of their component), and returns the root of the union.
 */
export function unite(parent: Int32Array, root: number, x: number): number {
  const rx = findRoot(parent, x);
  if (rx === root) return root;
  if (rx < root) {
    parent[root] = rx;
    return rx;
  }
  parent[rx] = root;
  return root;
}

/** First capacity of a labeller's growing per-voxel lists; they double as needed. */
export const INITIAL_LIST_CAPACITY = 1 << 16;

/** A copy of a union-find's growing per-voxel list at twice the length (the labellers number voxels as they meet them). */
export function grown<A extends Int32Array<ArrayBuffer> | Float32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>(
  a: A,
  Kind: new (n: number) => A,
): A {
  const b = new Kind(a.length * 2);
  b.set(a);
  return b;
}
