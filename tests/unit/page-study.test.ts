import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { BatchSummary } from '../../src/analysis/batch';
import type { GroupCluster } from '../../src/analysis/group/inference';
import { ClusterDocumentError } from '../../src/analysis/peak-spheres';
import { groupVolumes, permutationP, type GroupMapsRef } from '../../src/app/group/group-session';
import { withPeakSpheres } from '../../src/app/maps/peak-spheres';
import { associationPoints, SCATTER, scatterGeometry } from '../../src/app/batch/scatter-plot';
import { leastSquares } from '../../src/report/axes';
import type { GroupRun } from '../../src/worker/group';
import { PYTHON } from '../helpers/python';

const cluster = (index: number, voxels: number, voxel: [number, number, number], pFwe: number): GroupCluster => ({
  index,
  sign: 1,
  voxels,
  volumeMm3: voxels * 8,
  mass: voxels * 3,
  pFwe,
  pFweMass: pFwe / 2,
  pGrf: pFwe * 3,
  peak: { t: 5, z: 4, voxel, mm: [voxel[0] * 2, voxel[1] * 2, voxel[2] * 2] },
  cog: { mm: [0, 0, 0] },
});

describe('scatter plots of change against a covariate', () => {
  it('the fit line is least squares (numpy.polyfit) and subjects without a value are left out', () => {
    const x = [1.22, 0.79, 1.32, 1.17, 1.08, 1.34, 1.0, 1.02];
    const y = [-1.9, -4.2, -2.98, 0.53, 1.46, 0.07, -1.27, 2.2];
    const ref = JSON.parse(
      execFileSync(
        PYTHON,
        [
          '-c',
          `import json,numpy as np; b,a=np.polyfit(${JSON.stringify(x)},${JSON.stringify(y)},1); print(json.dumps([a,b]))`,
        ],
        { encoding: 'utf8' },
      ),
    ) as [number, number];
    const line = leastSquares(x.map((v, k) => ({ label: `s${k}`, x: v, y: y[k]! })))!;
    expect(line.a).toBeCloseTo(ref[0], 10);
    expect(line.b).toBeCloseTo(ref[1], 10);
    const g = scatterGeometry(x.map((v, k) => ({ label: `sub-0${k}`, x: v, y: y[k]! })));
    expect(g.points).toHaveLength(8);
    for (const p of g.points) {
      expect(p.cx).toBeGreaterThan(SCATTER.left);
      expect(p.cx).toBeLessThan(SCATTER.width - SCATTER.right);
    }
    // The line runs across the data's x range, at the fitted y (the y scale is linear, so its slope's sign is the fit's, flipped on screen).
    expect(g.fit!.x1).toBeCloseTo(Math.min(...g.points.map((p) => p.cx)), 9);
    expect(Math.sign(g.fit!.y1 - g.fit!.y2)).toBe(Math.sign(ref[1]));

    const row = (subject: string, pre: number, post: number, roi: [number | null, number | null]) => ({
      subject,
      group: null,
      pre: {
        file: `${subject}_pre`,
        value: pre,
        voxels: 1,
        rois: [
          {
            name: 'tpj',
            center: [0, 0, 0] as [number, number, number],
            radiusMm: 2,
            voxels: 7,
            voxelsInSphere: 7,
            mean: roi[0],
          },
        ],
      },
      post: {
        file: `${subject}_post`,
        value: post,
        voxels: 1,
        rois: [
          {
            name: 'tpj',
            center: [0, 0, 0] as [number, number, number],
            radiusMm: 2,
            voxels: 7,
            voxelsInSphere: 7,
            mean: roi[1],
          },
        ],
      },
      change: post - pre,
    });
    const summary = {
      subjects: [row('sub-01', 1, 2, [1, 3]), row('sub-02', 1, 0, [null, 1]), row('sub-03', 2, 5, [0, 0.5])],
    } as unknown as BatchSummary;
    const covariate = {
      name: 'gain',
      columns: ['gain'],
      values: new Map<string, number | null>([
        ['sub-01', 0.5],
        ['sub-02', 0.7],
        ['sub-03', null],
      ]),
    };
    expect(associationPoints(summary, covariate, 'signature')).toEqual([
      { label: 'sub-01', x: 0.5, y: 1 },
      { label: 'sub-02', x: 0.7, y: -1 },
    ]);
    expect(associationPoints(summary, covariate, 'tpj')).toEqual([{ label: 'sub-01', x: 0.5, y: 2 }]);
  });
});

describe('spheres at peaks', () => {
  it("one sphere per listed cluster at its peak, named cluster N; a second click replaces them; the user's stay", () => {
    const mine = { name: 'my ROI', center: [1, 2, 3] as const, radiusMm: 5 };
    const rows = [
      { index: 1, peak: { mm: [48, -14, 56] as const } },
      { index: 2, peak: { mm: [-24, -50, -22] as const } },
    ];
    const first = withPeakSpheres([mine], rows, 2);
    expect(first).toEqual([
      mine,
      { name: 'cluster 1', center: [48, -14, 56], radiusMm: 2 },
      { name: 'cluster 2', center: [-24, -50, -22], radiusMm: 2 },
    ]);
    expect(withPeakSpheres(first, rows.slice(0, 1), 3)).toEqual([
      mine,
      { name: 'cluster 1', center: [48, -14, 56], radiusMm: 3 },
    ]);
    expect(() => withPeakSpheres([], rows, 0)).toThrow(ClusterDocumentError);
    // With an atlas open, each sphere is named by the region at its peak too, and still replaced on a second click.
    const named = withPeakSpheres(first, rows, 2, ['Precentral_R', 'no region']);
    expect(named.map((x) => x.name)).toEqual(['my ROI', 'cluster 1 (Precentral_R)', 'cluster 2 (no region)']);
    expect(withPeakSpheres(named, rows.slice(0, 1), 2).map((x) => x.name)).toEqual(['my ROI', 'cluster 1']);
  });
});

describe('a group run in the viewer', () => {
  const ref: GroupMapsRef = {
    tMapId: 7,
    t: 2.6135,
    twoSided: false,
    connectivity: 26,
    clusters: [cluster(1, 490, [26, 74, 39], 0.008), cluster(2, 216, [38, 60, 56], 0.22)],
  };
  const table = (threshold: number, clusters: { index: number; voxels: number; peak: { voxel: number[] } }[]) => ({
    threshold,
    twoSided: false,
    connectivity: 26,
    clusters,
  });

  it("shows the run's p only on its t-map at its own threshold, and only for the run's own clusters", () => {
    const same = table(2.6135, [
      { index: 1, voxels: 490, peak: { voxel: [26, 74, 39] } },
      { index: 2, voxels: 215, peak: { voxel: [38, 60, 56] } },
    ]);
    const p = permutationP(ref, 7, same)!;
    expect(p.get(1)).toEqual({ pFwe: 0.008, pFweMass: 0.004, pGrf: 0.024 });
    // A cluster of another size is another cluster: no permutation p for it.
    expect(p.has(2)).toBe(false);
    expect(permutationP(ref, 8, same)).toBeNull();
    expect(permutationP(ref, 7, table(3.1, same.clusters))).toBeNull();
    expect(permutationP(ref, 7, { ...same, twoSided: true })).toBeNull();
    expect(permutationP(null, 7, same)).toBeNull();
  });

  it('opens the maps on the grid: values at the analysed voxels, 0 elsewhere; t with its df, z as z', () => {
    const voxelIndex = Uint32Array.from([0, 5, 23]);
    const v = (a: number[]) => Float32Array.from(a);
    const run = {
      grid: {
        dims: [2, 3, 4] as [number, number, number],
        affine: [2, 0, 0, -2, 0, 2, 0, -3, 0, 0, 2, -4, 0, 0, 0, 1],
        pixdim: [2, 2, 2] as const,
      },
      subjects: ['sub-01', 'sub-02'],
      engine: 'CPU',
      result: {
        df: 13,
        contrast: 'post - pre',
        voxelIndex,
        maps: {
          tstat: v([1, 2, 3]),
          zstat: v([0.5, 1, 1.5]),
          vox_corrp: v([0.1, 0.2, 0.9]),
          clustere_corrp: v([0, 0, 0.95]),
          tfce_tstat: null,
          tfce_corrp: null,
        },
      },
    } as unknown as GroupRun;
    const vols = groupVolumes(run, 'group_paired');
    expect(vols.map((x) => x.name)).toEqual([
      'group_paired_zstat.nii',
      'group_paired_tstat.nii',
      'group_paired_vox_corrp.nii',
      'group_paired_clustere_corrp.nii',
    ]);
    const t = vols[1]!;
    expect([t.intent.code, t.intent.p1]).toEqual([3, 13]);
    expect(vols[0]!.intent.code).toBe(5);
    expect(Array.from(t.data.filter((x) => x !== 0))).toEqual([1, 2, 3]);
    expect([t.data[0], t.data[5], t.data[23], t.data[1]]).toEqual([1, 2, 3, 0]);
    expect(t.dims).toEqual([2, 3, 4]);
  });
});
