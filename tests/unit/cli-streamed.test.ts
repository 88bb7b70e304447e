import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNifti1 } from '../../src/nifti';
import type { ClusterOptions } from '../../src/analysis/clusters';
import { streamedTable, tableDocument, wholeTable } from '../../src/cli/clusters';
import { CpuEngine } from '../../src/compute/cpu/engine';
import { conformance, HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { adversarialVolumes } from '../helpers/volumes';

const OPTIONS: { name: string; opts: ClusterOptions }[] = [
  {
    name: 'z >= 2.3',
    opts: { threshold: 2.3, twoSided: false, connectivity: 26, extent: { kind: 'none' }, smoothness: { kind: 'none' } },
  },
  {
    name: '|z| >= 1, at least 2 voxels',
    opts: {
      threshold: 1,
      twoSided: true,
      connectivity: 26,
      extent: { kind: 'voxels', min: 2 },
      smoothness: { kind: 'none' },
    },
  },
  // The search volume is the mask counted slice by slice, against the whole map's.
  {
    name: '|z| >= 3.1, DLH given, GRF p < 0.05',
    opts: {
      threshold: 3.1,
      twoSided: true,
      connectivity: 26,
      extent: { kind: 'grf', alpha: 0.05 },
      smoothness: { kind: 'given', dlh: 0.7 },
    },
  },
];

const engine = new CpuEngine();

async function same(path: string, frame: number, opts: ClusterOptions): Promise<void> {
  const streamed = await streamedTable(path, frame, opts, engine.description).catch((e: unknown) => e as Error);
  const whole = await wholeTable(path, frame, opts, engine).catch((e: unknown) => e as Error);
  // A GRF extent on a t-map that does not say its df (tstat1) is refused by both readers, in the same words.
  if (whole instanceof Error || streamed instanceof Error) {
    expect(
      whole instanceof Error && streamed instanceof Error && whole.message === streamed.message,
      `${path}: ${String(whole)} / ${String(streamed)}`,
    ).toBe(true);
    expect((whole as Error).message).toMatch(/df unknown/);
    return;
  }
  expect(streamed, 'the file was not streamed').toBeDefined();
  expect(streamed!.name).toBe(whole.name);
  expect(tableDocument(streamed!.table)).toEqual(tableDocument(whole.table));
}

describe('siglens clusters read slice by slice, on volumes built to break labelling', () => {
  // Plateaus and ties decide which voxel is a local maximum; NaN, Inf and the grid's faces test the rest.
  const dir = mkdtempSync(join(tmpdir(), 'siglens-slices-'));
  const files = adversarialVolumes().map((v, k) => {
    const path = join(dir, `v${k}.nii`);
    const affine = [2, 0, 0, -20, 0, 2, 0, -30, 0, 0, 2, -10, 0, 0, 0, 1];
    writeFileSync(
      path,
      writeNifti1({
        name: v.name,
        dims: [...v.dims],
        frames: 1,
        frame: 0,
        pixdim: [2, 2, 2],
        affine,
        affineSource: 'sform',
        datatype: { code: 16, name: 'float32', bytes: 4 },
        intent: { code: 5, kind: 'zscore', name: '', p1: 0, p2: 0, p3: 0 },
        description: v.name,
        data: v.data,
      }),
    );
    return path;
  });
  for (const { name, opts } of OPTIONS) {
    it(name, async () => {
      for (const f of files) await same(f, 0, { ...opts, maxSubpeaks: 50, subpeakDistanceMm: 0 });
    });
  }
});

describe.skipIf(!HAS_SHARED)(
  `siglens clusters read slice by slice (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    const files = [
      ...[
        'dtype_float32.nii',
        'dtype_float64.nii',
        'dtype_int16.nii',
        'dtype_int8.nii',
        'dtype_uint8.nii',
        'dtype_uint16.nii',
        'dtype_int32.nii',
        'dtype_uint32.nii',
        'dtype_int64.nii',
      ].map(conformance),
      ...[
        'bigendian_float32.nii',
        'bigendian_float64.nii',
        'bigendian_int16.nii',
        'scaled_int16.nii',
        'slope_zero_uint8.nii',
        'nifti2_float32.nii',
        'nifti2_int16.nii',
        'gz_float32.nii.gz',
        'gz_nifti2_float32.nii.gz',
        'tstat_df17.nii',
        'no_orientation.nii',
        'qform_only_oblique.nii',
      ].map(conformance),
      ...['spmMotor.nii.gz', 'narps-4965_9U7M-hypo1_unthresh.nii.gz', 'tstat1.nii.gz'].map(real),
    ];
    for (const { name, opts } of OPTIONS) {
      it(`equals the whole-map table on every datatype, byte order, NIfTI-2, gzip and real maps: ${name}`, async () => {
        for (const f of files) await same(f, 0, opts);
      });
    }

    it('reads any frame of a 4D file past its header extension', async () => {
      const f = conformance('4d_zscore_nan_ext.nii');
      // Three frames (the corpus's expected.json).
      for (let k = 0; k < 3; k++) for (const { opts } of OPTIONS) await same(f, k, opts);
      expect(await streamedTable(f, 3, OPTIONS[0]!.opts, engine.description)).toBeUndefined();
    });

    it('stops a gzip bomb at the declared size, as the whole read does', async () => {
      // Inflating its 512 MiB would exhaust the test's memory budget long before it ended.
      await same(conformance('gzip_bomb.nii.gz'), 0, OPTIONS[0]!.opts);
    });

    it('leaves to the whole read what it must refuse or cannot give', async () => {
      const o = OPTIONS[0]!.opts;
      for (const f of [
        'truncated_data.nii',
        'truncated_header.nii',
        'corrupt.nii.gz',
        'bad_magic.nii',
        'huge_dims.nii',
        'negative_dim.nii',
        'unsupported_datatype.nii',
        'pair_int16.hdr',
        'missing.nii',
      ]) {
        expect(await streamedTable(conformance(f), 0, o, engine.description), f).toBeUndefined();
      }
      // A frame the file lacks; 6- and 18-connectivity and an estimated smoothness.
      expect(await streamedTable(conformance('dtype_float32.nii'), 1, o, engine.description)).toBeUndefined();
      expect(
        await streamedTable(conformance('dtype_float32.nii'), 0, { ...o, connectivity: 18 }, engine.description),
      ).toBeUndefined();
      expect(
        await streamedTable(
          conformance('dtype_float32.nii'),
          0,
          { ...o, smoothness: { kind: 'estimate' } },
          engine.description,
        ),
      ).toBeUndefined();
    });
  },
);
