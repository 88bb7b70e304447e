import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedClusters } from '../../src/analysis/grf';
import { ecDensity3, peakFweP, volumeResels } from '../../src/analysis/peak-fwe';
import { zFromF } from '../../src/analysis/z-equivalent';
import { fSf } from '../../src/analysis/pvalue';
import { normalSf } from '../../src/analysis/normal';
import { siglensJson } from '../helpers/cli';
import { runPython } from '../helpers/python';
import { HAS_SHARED, real, REPO, SHARED_MISSING } from '../helpers/shared';

interface Ref {
  u: number;
  dlh: number;
  volume: number;
  clusters: { voxels: number; p: number; peak: number; peakZ: number; peakPFwe: number | null }[];
}
interface Doc {
  dlh: number | null;
  volume: number | null;
  zThreshold: number | null;
  warnings: string[];
  clusters: { voxels: number; p: number | null; peak: { value: number; z: number | null; pFweGrf: number | null } }[];
}

const reference = (file: string, threshold: number, df: number): Ref =>
  runPython<Ref>(join(REPO, 'scripts/numpy_grf_zequiv.py'), [real(file), String(threshold), String(df)]);
const rel = (got: number | null, want: number, tol: number, what: string): void => {
  expect(got, what).not.toBeNull();
  expect(Math.abs(got! - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(tol * Math.abs(want));
};

/** Ours against numpy/scipy: u, DLH and V of the z-map (FSL smoothest on it), then each cluster's GRF p, peak z and peak FWE p. */
function expectReference(doc: Doc, ref: Ref, clusters: number): void {
  rel(doc.zThreshold, ref.u, 1e-9, 'u');
  rel(doc.dlh, ref.dlh, 1e-6, 'DLH of the z-map');
  expect(doc.volume).toBe(ref.volume);
  for (let k = 0; k < clusters; k++) {
    const c = doc.clusters[k]!;
    const r = ref.clusters[k]!;
    expect(c.voxels).toBe(r.voxels);
    // GRF p moves with DLH^(2/3) in the exponent: 1e-6 in DLH is ~1e-5 in a small p.
    rel(c.p, r.p, 1e-4, `cluster ${k + 1} p`);
    rel(c.peak.z, r.peakZ, 1e-9, `cluster ${k + 1} peak z`);
    rel(c.peak.pFweGrf, r.peakPFwe!, 1e-4, `cluster ${k + 1} peak FWE p`);
  }
}

describe.skipIf(!HAS_SHARED)(
  `GRF on t-maps through the z-equivalent, against numpy/scipy (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    it("FSL's tstat1 (df not in the file): no GRF p, and a warning that names the df", () => {
      const doc = siglensJson<Doc>('clusters', real('tstat1.nii.gz'), '--threshold', '2.3', '--estimate-smoothness');
      expect(doc.clusters.length).toBeGreaterThan(0);
      expect(doc.clusters.every((c) => c.p === null && c.peak.pFweGrf === null && c.peak.z === null)).toBe(true);
      expect(doc.warnings.join(' ')).toMatch(/degrees of freedom \(df unknown/);
      expect(doc.warnings.join(' ')).toMatch(/--df/);
    });

    it('tstat1 with --df 20: p equal GRF on its z-map with FSL smoothest (numpy) on that z-map', () => {
      // t 2.3 at df 20 is z 2.14: GRF's cluster p holds there (GRF_MIN_CLUSTER_Z, z 2).
      const doc = siglensJson<Doc>(
        'clusters',
        real('tstat1.nii.gz'),
        '--threshold',
        '2.3',
        '--estimate-smoothness',
        '--df',
        '20',
      );
      expectReference(doc, reference('tstat1.nii.gz', 2.3, 20), 6);
      // t 2 at df 20 is z 1.89, below z 2: no cluster p, and a warning says why.
      const low = siglensJson<Doc>(
        'clusters',
        real('tstat1.nii.gz'),
        '--threshold',
        '2',
        '--estimate-smoothness',
        '--df',
        '20',
      );
      expect(low.clusters.every((c) => c.p === null)).toBe(true);
      expect(low.warnings.join('; ')).toMatch(/GRF cluster p withheld: the cluster-forming threshold is z 1\.89/);
    });

    it('spmMotor (t 262) at 3.1: its z-equivalent p (4.53e-11), not the p of t read as z', () => {
      const doc = siglensJson<Doc>('clusters', real('spmMotor.nii.gz'), '--threshold', '3.1', '--estimate-smoothness');
      const ref = reference('spmMotor.nii.gz', 3.1, 262);
      expectReference(doc, ref, 4);
      expect(doc.clusters[0]!.p!.toExponential(2)).toBe('4.53e-11');
    });

    it('a given DLH on a t-map is used at the z of the threshold', () => {
      const doc = siglensJson<Doc>(
        'clusters',
        real('spmMotor.nii.gz'),
        '--threshold',
        '3.1',
        '--dlh',
        '0.0153598',
        '--volume',
        '211596',
      );
      expect(doc.zThreshold).toBeCloseTo(reference('spmMotor.nii.gz', 3.1, 262).u, 9);
      expect(doc.clusters[0]!.p).toBeGreaterThan(0);
    });
  },
);

describe('z-equivalents and peak-level FWE p', () => {
  it('zFromF keeps the one-sided p of F (scipy.stats.f.sf through Phi)', () => {
    const cases: [number, number, number][] = [
      [4, 1, 262],
      [10, 2, 30],
      [0.5, 3, 20],
      [25, 1, 10],
    ];
    const ref = runPython<{ sf: number }[]>(join(REPO, 'scripts/scipy_distributions.py'), [
      JSON.stringify(cases.map(([x, a, b]) => ({ dist: 'f', x, df: [a, b] }))),
    ]);
    cases.forEach(([f, a, b], k) => {
      const z = zFromF(f, a, b);
      expect(Math.abs(normalSf(z) - ref[k]!.sf) / ref[k]!.sf).toBeLessThan(1e-9);
      expect(Math.abs(fSf(f, a, b) - ref[k]!.sf) / ref[k]!.sf).toBeLessThan(1e-9);
    });
  });

  it("a z-map's expected Euler characteristic at u is FSL's expected cluster count there", () => {
    const p = { threshold: 4.5, dlh: 0.700797, volume: 38344 };
    expect(volumeResels(p.volume, p.dlh) * ecDensity3(p.threshold, { kind: 'z', assumed: false })).toBeCloseTo(
      expectedClusters(p),
      12,
    );
    expect(peakFweP(4.5, { kind: 'z', assumed: false }, p.dlh, p.volume)).toBeCloseTo(
      -Math.expm1(-expectedClusters(p)),
      14,
    );
  });

  it('the t-field density tends to the Gaussian one as df grows, and peak FWE p is in [0, 1]', () => {
    const z = ecDensity3(5, { kind: 'z', assumed: false });
    expect(Math.abs(ecDensity3(5, { kind: 't', df: 1e9 }) - z) / z).toBeLessThan(1e-5);
    expect(ecDensity3(5, { kind: 't', df: 20 })).toBeGreaterThan(z);
    expect(peakFweP(0.5, { kind: 't', df: 20 }, 0.5, 1000)).toBe(1);
    expect(peakFweP(40, { kind: 'z', assumed: false }, 0.5, 1000)).toBe(0);
    expect(peakFweP(5, { kind: 'f', df1: 1, df2: 20 }, 0.5, 1000)).toBeNull();
  });
});
