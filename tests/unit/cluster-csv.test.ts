import { describe, expect, it } from 'vitest';
import { clusterTable } from '../../src/analysis/clusters';
import { CpuEngine } from '../../src/compute/cpu/engine';
import { clusterCsv } from '../../src/report/cluster-csv';
import { fmtP } from '../../src/report/escape';
import { clusterOptions, DEFAULT_SETTINGS, type ThresholdSettings } from '../../src/analysis/threshold-settings';
import { smoothedNoise } from '../../bench/data';
import pkg from '../../package.json';

/** A tiny CSV reader (RFC 4180 quoting), written apart from the writer so the test can catch it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else if (ch !== '\r') cell += ch;
  }
  return rows;
}

describe('cluster CSV', () => {
  it('p-values never print as 0, and nothing finer than 1e-16', () => {
    expect(fmtP(0)).toBe('< 1e-16');
    expect(fmtP(6.02e-20)).toBe('< 1e-16');
    expect(fmtP(1.7e-8)).toBe('1.70e-8');
    expect(fmtP(0.017)).toBe('0.0170');
    expect(fmtP(null)).toBe('–');
  });

  it('has the settings as header lines, then clusters each followed by its sub-peaks', async () => {
    const map = smoothedNoise([40, 44, 36], 7, 2);
    // Two overlapping blobs (one cluster, two maxima 16 mm apart) and a negative one, over the noise.
    const blob = (cx: number, cy: number, cz: number, a: number) => {
      for (let z = 0; z < 36; z++)
        for (let y = 0; y < 44; y++)
          for (let x = 0; x < 40; x++)
            map[x + 40 * (y + 44 * z)]! += a * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2) / 18);
    };
    blob(12, 20, 18, 6);
    blob(20, 20, 18, 5);
    blob(30, 30, 10, -6);
    const settings: ThresholdSettings = {
      ...DEFAULT_SETTINGS,
      value: 2.3,
      twoSided: true,
      extent: 'grf',
      extentValue: 0.05,
    };
    const table = await clusterTable(
      {
        data: map,
        dims: [40, 44, 36],
        affine: [2, 0, 0, -40, 0, 2, 0, -44, 0, 0, 2, -36, 0, 0, 0, 1],
        pixdim: [2, 2, 2],
      },
      clusterOptions(settings, undefined),
      new CpuEngine(),
    );
    expect(table.clusters.length).toBeGreaterThan(0);
    const rows = parseCsv(clusterCsv({ file: '=evil.nii.gz', role: 'post', settings, df: undefined, table }));
    const header = new Map(rows.filter((r) => r[0]!.startsWith('#')).map((r) => [r[0]!, r[1]!]));
    expect(header.get('# SigLens cluster table')).toBe(`version ${pkg.version}`);
    expect(header.get('# file')).toBe("'=evil.nii.gz");
    expect(header.get('# compare')).toBe('post');
    expect(header.get('# threshold')).toBe('|z| >= 2.3 (two-sided)');
    expect(header.get('# connectivity')).toBe('26-connected');
    expect(header.get('# extent')).toBe(`GRF cluster p < 0.05 (at least ${table.minVoxels} voxels)`);
    const s = table.smoothness!;
    const smooth = header.get('# smoothness')!;
    // Every figure the p rests on, as numbers a reader can check.
    const nums = smooth.match(/-?\d+(\.\d+)?(e-?\d+)?/g)!.map(Number);
    nums.slice(0, 3).forEach((v, a) => expect(v).toBeCloseTo(s.fwhmMm[a]!, 2));
    nums.slice(3, 6).forEach((v, a) => expect(v).toBeCloseTo(s.fwhmVoxels[a]!, 2));
    expect(smooth).toContain(`DLH ${Number(s.dlh.toFixed(6))}`);
    expect(smooth).toContain(`V ${s.volume} voxels`);
    expect(smooth).toContain(`${Number(s.resels.toFixed(1))} resels`);
    expect(header.get('# engine')).toBe(table.engine);
    const body = rows.filter((r) => !r[0]!.startsWith('#'));
    expect(body[0]).toEqual([
      'index',
      'subpeak',
      'sign',
      'voxels',
      'volume_mm3',
      'p',
      'peak_value',
      'peak_x_mm',
      'peak_y_mm',
      'peak_z_mm',
      'cog_x_mm',
      'cog_y_mm',
      'cog_z_mm',
      'mean',
    ]);
    const want = table.clusters.flatMap((c) => [
      [c.index, 0, c.peak.value],
      ...c.subpeaks.map((p, k) => [c.index, k + 1, p.value]),
    ]);
    expect(body.slice(1).map((r) => [Number(r[0]), Number(r[1]), Number(r[6])])).toEqual(want);
    expect(table.clusters.some((c) => c.subpeaks.length > 0)).toBe(true);
    // A sub-peak row leaves the cluster's own figures empty.
    const sub = body.find((r) => r[1] !== '0' && r[1] !== 'subpeak')!;
    expect([sub[3], sub[4], sub[5], sub[10]]).toEqual(['', '', '', '']);
    // With an atlas, two more columns: the peak's region and the cluster's shares of regions.
    const peak = table.clusters.map((c) => `region ${c.index}`);
    const shares = table.clusters.map((c) => `r${c.index} 100%`);
    const withAtlas = parseCsv(
      clusterCsv({ file: 'm.nii', role: null, settings, df: undefined, table, regions: { peak, shares } }),
    ).filter((r) => !r[0]!.startsWith('#'));
    expect(withAtlas[0]!.slice(-2)).toEqual(['peak_region', 'region_shares']);
    const clusterRows = withAtlas.filter((r) => r[1] === '0');
    expect(clusterRows.map((r) => r.slice(-2))).toEqual(
      table.clusters.map((c) => [`region ${c.index}`, `r${c.index} 100%`]),
    );
  });
});
