import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterTable, type ClusterTable } from '../../src/analysis/clusters';
import type { Connectivity } from '../../src/compute/engine';
import { readNiftiFile } from '../../src/cli/files';
import { ENGINES, useEngine } from '../helpers/engines';
import { runPython } from '../helpers/python';
import { HAS_SHARED, real, REPO, SHARED_MISSING } from '../helpers/shared';

interface RefCluster {
  sign: 1 | -1;
  voxels: number;
  peak: { value: number; voxel: number[] };
  cog: { mm: number[] };
  mean: number;
}

const MAPS = [
  { file: 'narps-4965_9U7M-hypo1_unthresh.nii.gz', threshold: 2.3 },
  { file: 'narps-4735_50GV-hypo1_unthresh.nii.gz', threshold: 2.3 },
  { file: 'spmMotor.nii.gz', threshold: 3.1 },
];
const CONNECTIVITIES: Connectivity[] = [6, 18, 26];

const refCache = new Map<string, RefCluster[]>();
function reference(file: string, t: number, c: Connectivity, twoSided: boolean): RefCluster[] {
  const key = [file, t, c, twoSided].join('|');
  if (!refCache.has(key)) {
    const out = runPython<{ clusters: RefCluster[] }>(join(REPO, 'scripts/scipy_clusters.py'), [
      real(file),
      String(t),
      String(c),
      twoSided ? 'TWO' : 'ONE',
    ]);
    refCache.set(key, out.clusters);
  }
  return refCache.get(key)!;
}

function expectSameAsScipy(table: ClusterTable, ref: RefCluster[]): void {
  expect(table.clusters.length).toBe(ref.length);
  table.clusters.forEach((c, k) => {
    const r = ref[k]!;
    const where = `cluster ${k + 1}`;
    expect([c.sign, c.voxels], where).toEqual([r.sign, r.voxels]);
    expect(c.peak.voxel, where).toEqual(r.peak.voxel);
    expect(c.peak.value, where).toBe(r.peak.value);
    c.cog.mm.forEach((v, a) => expect(Math.abs(v - r.cog.mm[a]!), `${where} cog`).toBeLessThan(1e-3));
    expect(Math.abs(c.mean - r.mean), `${where} mean`).toBeLessThan(1e-9 * Math.max(1, Math.abs(r.mean)));
  });
}

describe.skipIf(!HAS_SHARED)(
  `cluster tables on real maps equal scipy.ndimage.label + numpy (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    for (const factory of ENGINES) {
      describe(factory.name, () => {
        const engine = useEngine(factory.make);

        for (const m of MAPS) {
          it(`${m.file} at ${m.threshold}, 6/18/26-connected, one- and two-sided`, async () => {
            const img = await readNiftiFile(real(m.file));
            const grid = {
              data: img.frame(0),
              dims: img.dims,
              affine: Array.from(img.affine),
              pixdim: [1, 2, 3].map((i) => img.header.pixdim[i]!),
            };
            for (const connectivity of CONNECTIVITIES) {
              for (const twoSided of [false, true]) {
                const table = await clusterTable(
                  grid,
                  {
                    threshold: m.threshold,
                    twoSided,
                    connectivity,
                    extent: { kind: 'none' },
                    smoothness: { kind: 'none' },
                  },
                  engine,
                );
                expectSameAsScipy(table, reference(m.file, m.threshold, connectivity, twoSided));
                expect(table.clusters.every((c) => c.p === null)).toBe(true);
              }
            }
          });
        }
      });
    }
  },
);
