import { describe, expect, it } from 'vitest';
import { P_REPORT_FLOOR } from '../../src/analysis/constants';
import { buildReport } from '../../src/report/build';
import type { Cluster, ClusterTable } from '../../src/analysis/clusters';
import { clusterCsv, type TableBasis } from '../../src/report/cluster-csv';
import { fmtP } from '../../src/report/escape';
import { DEFAULT_SETTINGS } from '../../src/analysis/threshold-settings';
import { fmtP as pageFmtP } from '../../src/ui/styles';

const TINY = 1e-20;
const at = { voxel: [1, 2, 3] as [number, number, number], mm: [2, 4, 6] as [number, number, number] };
const cluster: Cluster = {
  index: 1,
  sign: 1,
  voxels: 10,
  volumeMm3: 80,
  p: TINY,
  peak: { value: 9, ...at },
  cog: at,
  mean: 5,
  subpeaks: [],
};

describe('one p formatter for the page, the CSV and the report', () => {
  it('prints p below the floor as "< 1e-16" and never as 0', () => {
    expect(P_REPORT_FLOOR).toBe(1e-16);
    expect(fmtP(TINY)).toBe('< 1e-16');
    expect(fmtP(0)).toBe('< 1e-16');
    expect(fmtP(2e-16)).toBe('2.00e-16');
    expect(fmtP(0.0123)).toBe('0.0123');
    expect(fmtP(undefined)).toBe('–');
  });

  it('the page prints 1e-20 as "< 1e-16"', () => {
    expect(pageFmtP(TINY)).toBe('< 1e-16');
  });

  it('the cluster CSV prints 1e-20 as "< 1e-16"', () => {
    const table: TableBasis & Pick<ClusterTable, 'clusters'> = {
      threshold: 3,
      connectivity: 26,
      twoSided: false,
      dlh: null,
      volume: 1000,
      smoothness: null,
      minVoxels: 0,
      engine: 'cpu',
      clusters: [cluster],
    };
    const csv = clusterCsv({ file: 'map.nii.gz', role: null, settings: DEFAULT_SETTINGS, df: undefined, table });
    const row = csv.split('\n').find((l) => l.startsWith('1,'));
    expect(row?.split(',')[5]).toBe('< 1e-16');
  });

  it('the HTML report prints 1e-20 as "< 1e-16" (escaped), not 1.00e-20', () => {
    const html = buildReport({
      title: 't',
      generated: 'now',
      generator: 'test',
      inputs: [],
      settings: [],
      clusterTables: [
        {
          file: 'map.nii.gz',
          threshold: 3,
          twoSided: false,
          connectivity: 26,
          minVoxels: 0,
          dlh: null,
          clusters: [cluster],
        },
      ],
    });
    expect(html).toMatch(/<td[^>]*>&lt; 1e-16<\/td>/);
    expect(html).not.toContain('1.00e-20');
  });
});
