import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNiftiFile } from '../../src/cli/files';
import { HAS_SHARED, real, REPO } from '../helpers/shared';

const SAMPLE = join(REPO, 'sample-data');
/** The generated sample data must stay small enough to check in. */
const MAX_BYTES = 10 * 1024 * 1024;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? (f === 'template' ? [] : files(p)) : [p];
  });
}

describe('generated sample data', () => {
  it('is reproduced byte for byte by running the script again, and stays under 10 MB', () => {
    const out = mkdtempSync(join(tmpdir(), 'siglens-sample-'));
    try {
      const r = spawnSync(
        process.execPath,
        [join(REPO, 'node_modules/tsx/dist/cli.mjs'), join(REPO, 'scripts/sample-data/make.ts'), out],
        { encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      const committed = files(SAMPLE)
        .map((f) => relative(SAMPLE, f))
        .sort();
      expect(
        files(out)
          .map((f) => relative(out, f))
          .sort(),
      ).toEqual(committed);
      for (const f of committed) expect(readFileSync(join(out, f)).equals(readFileSync(join(SAMPLE, f))), f).toBe(true);
      expect(committed.reduce((n, f) => n + statSync(join(SAMPLE, f)).size, 0)).toBeLessThan(MAX_BYTES);
      expect(committed.filter((f) => f.startsWith('subjects/sub-'))).toHaveLength(28);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('is on the MNI152 2 mm grid and says it is synthetic', async () => {
    for (const f of [
      'template_standin_SYNTHETIC.nii.gz',
      'group_pain_pre_zstat.nii.gz',
      'demo_signature_SYNTHETIC.nii.gz',
    ]) {
      const img = await readNiftiFile(join(SAMPLE, f));
      expect(img.dims).toEqual([91, 109, 91]);
      expect(Array.from(img.affine)).toEqual([-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1]);
      expect(img.header.description).toMatch(/SYNTHETIC/);
    }
    expect(readFileSync(join(SAMPLE, 'README.md'), 'utf8')).toMatch(/synthetic/i);
  });

  it("the stand-in template has no dark band on its mid-sagittal slice: its upper half is as bright as its neighbours'", async () => {
    const img = await readNiftiFile(join(SAMPLE, 'template_standin_SYNTHETIC.nii.gz'));
    const v = img.volume();
    const [nx, ny, nz] = v.dims;
    // Mean intensity inside the head, above z = 0 mm (voxel 36), of the sagittal slice at voxel x.
    const upperMean = (x: number): number => {
      let s = 0;
      let n = 0;
      for (let z = 37; z < nz; z++)
        for (let y = 0; y < ny; y++) {
          const val = v.data[x + nx * (y + ny * z)]!;
          if (val > 0) (s += val), n++;
        }
      return s / n;
    };
    const mid = upperMean(45); // x = 0 mm
    expect(mid).toBeGreaterThan(0.85 * upperMean(42));
    expect(mid).toBeGreaterThan(0.85 * upperMean(48));
  });

  it.skipIf(!HAS_SHARED)(
    'fetch-template saves a real template from a URL (a local server here) and refuses the wrong grid',
    async () => {
      const server = createServer((req, res) => {
        const file = req.url === '/mni.nii.gz' ? real('MNI152_T1_2mm.nii.gz') : real('spmMotor.nii.gz');
        res.end(readFileSync(file));
      });
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      const port = (server.address() as { port: number }).port;
      const target = join(SAMPLE, 'template', 'MNI152_T1_2mm.nii.gz');
      const had = existsSync(target);
      try {
        const run = (path: string) =>
          new Promise<{ code: number | null; err: string }>((ok) => {
            const p = spawn(process.execPath, [
              join(REPO, 'scripts/fetch-template.mjs'),
              `http://127.0.0.1:${port}${path}`,
            ]);
            let err = '';
            p.stderr.on('data', (d) => (err += d));
            p.on('close', (code) => ok({ code, err }));
          });
        const bad = await run('/motor.nii.gz');
        expect(bad.code).not.toBe(0);
        expect(bad.err).toMatch(/not the MNI152 2 mm grid/);
        if (!had) {
          const good = await run('/mni.nii.gz');
          expect(good.code, good.err).toBe(0);
          expect((await readNiftiFile(target)).dims).toEqual([91, 109, 91]);
        }
      } finally {
        server.close();
        if (!had) rmSync(join(SAMPLE, 'template'), { recursive: true, force: true });
      }
    },
    60_000,
  );
});
