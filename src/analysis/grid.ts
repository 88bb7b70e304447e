/** Flat index (x fastest) to voxel [i, j, k]. */
export function unflat(i: number, nx: number, ny: number): [number, number, number] {
  const x = i % nx;
  const rest = (i - x) / nx;
  const y = rest % ny;
  return [x, y, (rest - y) / ny];
}
