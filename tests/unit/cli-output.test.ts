import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterTable } from '../../src/analysis/clusters';
import { CpuEngine } from '../../src/compute/cpu/engine';
import { writeNifti1 } from '../../src/nifti';
import { GRIDS, smoothedNoise, volume as benchVolume } from '../../bench/data';
import { REPO } from '../helpers/shared';

describe('siglens output through a pipe', () => {
  it('a JSON document far larger than a pipe buffer (64 KiB) arrives whole', async () => {
    // The 2 mm grid at sigma 1 voxel: over a thousand clusters above z = 2.3.
    const volume = benchVolume('2mm', smoothedNoise(GRIDS['2mm'].dims, 8, 1), 'noise.nii');
    const { dims, affine } = GRIDS['2mm'];
    const file = join(mkdtempSync(join(tmpdir(), 'siglens-')), 'noise.nii');
    writeFileSync(file, writeNifti1(volume));
    // Through a shell pipe, as `siglens ... | jq` would: a plain pipe, not the socket a Node parent gives.
    const command = [
      process.execPath,
      join(REPO, 'bin/siglens.mjs'),
      'clusters',
      file,
      '--threshold',
      '2.3',
      '--json',
      '--engine',
      'cpu',
    ]
      .map((a) => `'${a}'`)
      .join(' ');
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `${command} | cat`], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(256 * 1024);
    const doc = JSON.parse(r.stdout) as { clusters: unknown[] };
    const table = await clusterTable(
      { data: volume.data, dims, affine, pixdim: [2, 2, 2] },
      { threshold: 2.3, twoSided: false, connectivity: 26, extent: { kind: 'none' }, smoothness: { kind: 'none' } },
      new CpuEngine(),
    );
    expect(doc.clusters).toHaveLength(table.clusters.length);
  });

  it('a reader that stops early (| head -c 100) ends the output quietly, exit 0, no stack trace', () => {
    // A document of several pipe buffers, so the writer is still writing when head closes the pipe.
    const map = join(mkdtempSync(join(tmpdir(), 'siglens-')), 'noise.nii');
    writeFileSync(map, writeNifti1(benchVolume('2mm', smoothedNoise(GRIDS['2mm'].dims, 8, 1), 'noise.nii')));
    const command = [
      process.execPath,
      join(REPO, 'bin/siglens.mjs'),
      'clusters',
      map,
      '--threshold',
      '2.3',
      '--json',
      '--engine',
      'cpu',
    ]
      .map((a) => `'${a}'`)
      .join(' ');
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', `${command} | head -c 100 > /dev/null`], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
    expect(r.status).toBe(0);
  });
});
