import { describe, expect, it } from 'vitest';
import { labelComponents } from '../../src/compute/cpu/labels';
import { labelSupraVoxels } from '../../src/compute/cpu/supra-labels';
import { INITIAL_LIST_CAPACITY } from '../../src/compute/cpu/union-find';
import { listRoots, type SupraComponents } from '../../src/compute/supra';
import type { Connectivity, Engine } from '../../src/compute/engine';
import { dawnEngine, useEngine } from '../helpers/engines';
import { adversarialVolumes, bfsLabels } from '../helpers/volumes';

const CONNECTIVITIES: Connectivity[] = [6, 18, 26];

function firstDifference(a: Int32Array, b: Int32Array): string {
  if (a.length !== b.length) return `lengths ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `voxel ${i}: ${a[i]} vs ${b[i]}`;
  return 'none';
}

function listDifference(a: SupraComponents, b: SupraComponents): string {
  const v = firstDifference(a.voxels, b.voxels);
  return v === 'none' ? firstDifference(a.roots, b.roots) : `voxels: ${v}`;
}

describe('labelling: CPU union-find vs an independent BFS, and the WGSL passes vs the CPU', () => {
  const gpu: Engine = useEngine(() => dawnEngine());

  for (const v of adversarialVolumes()) {
    for (const connectivity of CONNECTIVITIES) {
      for (const twoSided of [false, true]) {
        it(`${v.name}, ${connectivity}-connected, ${twoSided ? 'two' : 'one'}-sided`, async () => {
          const req = { data: v.data, dims: v.dims, threshold: 2.3, twoSided, connectivity };
          const ref = bfsLabels(v, 2.3, twoSided, connectivity);
          const cpu = labelComponents(req);
          expect(firstDifference(cpu, ref)).toBe('none');
          const onGpu = await gpu.label(req);
          expect(firstDifference(onGpu, cpu)).toBe('none');
          // The list form: the CPU's slice-by-slice labelling (no volume-sized array) and the GPU's.
          const listed = listRoots(cpu);
          expect(listDifference(labelSupraVoxels(req), listed)).toBe('none');
          expect(listDifference(await gpu.labelVoxels(req), listed)).toBe('none');
        });
      }
    }
  }

  it('the list form on a map with more supra-threshold voxels than its first capacity, every connectivity', () => {
    const dims = [70, 60, 50] as const;
    const data = new Float32Array(dims[0] * dims[1] * dims[2]);
    let seed = 11;
    for (let i = 0; i < data.length; i++) data[i] = ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.45) * 6;
    for (const connectivity of CONNECTIVITIES) {
      for (const twoSided of [false, true]) {
        const req = { data, dims, threshold: 0.2, twoSided, connectivity };
        const listed = labelSupraVoxels(req);
        expect(listed.voxels.length).toBeGreaterThan(INITIAL_LIST_CAPACITY);
        expect(listDifference(listed, listRoots(labelComponents(req)))).toBe('none');
      }
    }
  });
});
