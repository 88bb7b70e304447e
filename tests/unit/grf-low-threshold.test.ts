import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRF_MIN_CLUSTER_Z } from '../../src/analysis/constants';
import { lowThresholdReason } from '../../src/analysis/cluster-grf';
import { DEFAULT_SETTINGS, drawableWithoutGrf, thresholdProblem } from '../../src/analysis/threshold-settings';
import { siglens, siglensJson } from '../helpers/cli';
import { REPO } from '../helpers/shared';

interface Doc {
  zThreshold: number | null;
  dlh: number | null;
  warnings: string[];
  clusters: { voxels: number; p: number | null; peak: { pFweGrf: number | null } }[];
}

const MAP = join(REPO, 'sample-data/group_pain_pre_zstat.nii.gz');

describe('GRF cluster p at low cluster-forming thresholds (issue 21 item 3)', () => {
  it('is withheld below z 2, with a warning that says why, and kept from z 2 up', () => {
    const low = siglensJson<Doc>('clusters', MAP, '--threshold', '1', '--estimate-smoothness');
    expect(low.clusters.length).toBeGreaterThan(10);
    expect(low.clusters.every((c) => c.p === null)).toBe(true);
    // The smoothness is still estimated and the peak-level FWE p (voxel height) still given.
    expect(low.dlh).toBeGreaterThan(0);
    expect(low.clusters[0]!.peak.pFweGrf).not.toBeNull();
    expect(low.warnings.join('\n')).toMatch(/GRF cluster p withheld: .*z 1\.00, below z 2,/);

    const at = siglensJson<Doc>('clusters', MAP, '--threshold', String(GRF_MIN_CLUSTER_Z), '--estimate-smoothness');
    expect(at.clusters.length).toBeGreaterThan(0);
    expect(at.clusters.every((c) => c.p !== null && c.p >= 0 && c.p <= 1)).toBe(true);
    expect(at.warnings.join('\n')).not.toMatch(/withheld/);
  });

  it('prints the warning in the text output and refuses a GRF extent below z 2', () => {
    const text = siglens('clusters', MAP, '--threshold', '1.5', '--estimate-smoothness');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^warning: GRF cluster p withheld: /m);
    const extent = siglens('clusters', MAP, '--threshold', '1.5', '--cluster-p', '0.05');
    expect(extent.code).toBe(2);
    expect(extent.stderr).toMatch(/GRF cluster p withheld/);
  });

  it('counts a float32 threshold at the limit as the limit', () => {
    expect(lowThresholdReason(Math.fround(GRF_MIN_CLUSTER_Z))).toBeNull();
    expect(lowThresholdReason(Math.fround(2.3))).toBeNull();
    expect(lowThresholdReason(1.99)).toMatch(/below z 2,/);
  });
});

describe('the page\'s "GRF p < α" extent below z 2 (issue 21 item 3)', () => {
  const grf = { ...DEFAULT_SETTINGS, extent: 'grf' as const, extentValue: 0.05 };
  const z = { kind: 'z' as const, source: 'intent' as const };
  const t20 = { kind: 't' as const, source: 'intent' as const, df: 20 };

  it('is refused with the threshold as z, and the map stays drawn without the extent', () => {
    const low = { ...grf, value: 1.9 };
    expect(thresholdProblem(low, z, 'pre.nii.gz')).toMatch(/at least z 2,.*pre\.nii\.gz at this threshold is z 1\.90/);
    expect(drawableWithoutGrf(low, z, 'pre.nii.gz')).toEqual({ ...low, extent: 'none' });
    // t 2 at 20 df is z 1.89; t 2.3 is z 2.14, where the extent holds.
    expect(thresholdProblem({ ...grf, value: 2 }, t20)).toMatch(/is z 1\.89/);
    expect(thresholdProblem({ ...grf, value: 2.3 }, t20)).toBeNull();
    expect(thresholdProblem({ ...grf, value: 2.3 }, z)).toBeNull();
    // A voxelwise p of 0.05 is z 1.64; of 0.01, z 2.33.
    expect(thresholdProblem({ ...grf, mode: 'p', value: 0.05 }, z)).toMatch(/is z 1\.64/);
    expect(thresholdProblem({ ...grf, mode: 'p', value: 0.01 }, z)).toBeNull();
    // No extent, no refusal: the cluster p is withheld and the table says why (cluster-grf.ts).
    expect(thresholdProblem({ ...DEFAULT_SETTINGS, value: 1 }, z)).toBeNull();
  });
});
