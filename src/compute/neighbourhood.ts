import type { Connectivity } from './engine';

/**
 * The 13 neighbours that come earlier in x-fastest order; visiting only these unites every pair once.
 * The same table, in the same order, is in shaders/label-merge.wgsl.
 */
export const BACKWARD_NEIGHBOURS: readonly (readonly [number, number, number])[] = (() => {
  const out: [number, number, number][] = [];
  for (let dz = -1; dz <= 0; dz++) {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if (dz === 0 && (dy > 0 || (dy === 0 && dx >= 0))) continue;
        out.push([dx, dy, dz]);
      }
    }
  }
  return out;
})();

/** Whether a neighbour at this offset counts under the connectivity (by how many axes it moves along). */
export function connects(offset: readonly [number, number, number], connectivity: Connectivity): boolean {
  const axes = Math.abs(offset[0]) + Math.abs(offset[1]) + Math.abs(offset[2]);
  return connectivity === 26 || (connectivity === 18 ? axes <= 2 : axes === 1);
}
