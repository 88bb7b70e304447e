import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelComponents } from '../../src/compute/cpu/labels';
import type { Connectivity, Engine } from '../../src/compute/engine';
import { dawnEngine } from '../helpers/engines';
import { adversarialVolumes, bfsLabels } from '../helpers/volumes';

const CONNECTIVITIES: Connectivity[] = [6, 18, 26];

function firstDifference(a: Int32Array, b: Int32Array): string {
  if (a.length !== b.length) return `lengths ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `voxel ${i}: ${a[i]} vs ${b[i]}`;
  return 'none';
}

describe('labelling: CPU union-find vs an independent BFS, and the WGSL passes vs the CPU', () => {
  let gpu: Engine;
  beforeAll(async () => {
    gpu = await dawnEngine();
  });
  afterAll(() => gpu?.dispose());

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
        });
      }
    }
  }
});
