import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  METRICS,
  responseOf,
  signatureSums,
  type NamedMap,
  type ResampleDirection,
} from '../../src/analysis/signature';
import { readNiftiFile } from '../../src/cli/files';
import { ENGINES, useEngine } from '../helpers/engines';
import { runPython } from '../helpers/python';
import { HAS_SHARED, real, REPO, SHARED_MISSING, signatures } from '../helpers/shared';

interface Ref {
  file: string;
  voxels: number;
  dot: number | null;
  cosine: number | null;
  correlation: number | null;
}

const WEIGHTS = ['nonnoc_v11_4_137subjmap_weighted_mean.nii.gz', 'Rating_Weights_LOSO_2.nii.gz'];
const MAPS = [
  'narps-4965_9U7M-hypo1_unthresh.nii.gz',
  'narps-4735_50GV-hypo1_unthresh.nii.gz',
  'spmMotor.nii.gz',
  'tstat1.nii.gz',
];
const DIRECTIONS: ResampleDirection[] = ['weights-to-data', 'data-to-weights'];
/** Against the float64 numpy reference: relative 1e-6 on the CPU; the GPU interpolates and sums in float32. */
const TOLERANCE = { cpu: 1e-6, gpu: 1e-4 };

/** CANlab's counts for SIIPS1 and PINES on narps-4735 (interp3 in float64, no snapping). */
const CANLAB_VOXELS = { siips1: 169_097, pines: 211_628 };

async function load(path: string): Promise<NamedMap> {
  const img = await readNiftiFile(path);
  return { name: img.name, data: img.frame(0), dims: img.dims, affine: Array.from(img.affine) };
}

describe.skipIf(!HAS_SHARED)(
  `SIIPS1 and PINES responses equal numpy (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    const refs = new Map<string, Ref[]>();
    const reference = (w: string, dir: ResampleDirection): Ref[] => {
      const key = `${w}|${dir}`;
      if (!refs.has(key))
        refs.set(
          key,
          runPython<{ results: Ref[] }>(join(REPO, 'scripts/numpy_signature.py'), [
            signatures(w),
            dir,
            ...MAPS.map(real),
          ]).results,
        );
      return refs.get(key)!;
    };

    it("the reference gives CANlab's voxel sets on the 2x2x2.4 mm NARPS grid (apply_mask, as quoted in issue 12)", () => {
      const narps = MAPS.indexOf('narps-4735_50GV-hypo1_unthresh.nii.gz');
      expect(reference(WEIGHTS[0]!, 'weights-to-data')[narps]!.voxels).toBe(CANLAB_VOXELS.siips1);
      expect(reference(WEIGHTS[1]!, 'weights-to-data')[narps]!.voxels).toBe(CANLAB_VOXELS.pines);
    });

    for (const factory of ENGINES) {
      describe(factory.name, () => {
        const engine = useEngine(factory.make);

        for (const w of WEIGHTS) {
          for (const dir of DIRECTIONS) {
            it(`${w}, ${dir}, on ${MAPS.length} maps (one off the MNI grid, one in native space)`, async () => {
              const weights = await load(signatures(w));
              const maps = await Promise.all(MAPS.map((m) => load(real(m))));
              const ref = reference(w, dir);
              const tol = engine.kind === 'gpu' ? TOLERANCE.gpu : TOLERANCE.cpu;
              const sums = await signatureSums(weights, maps, dir, engine);
              for (const metric of METRICS) {
                sums
                  .map((s) => responseOf(s, metric))
                  .forEach((r, k) => {
                    const want = ref[k]![metric];
                    expect(r.voxels, `${r.file} voxels`).toBe(ref[k]!.voxels);
                    if (want === null) expect(r.value).toBeNull();
                    else
                      expect(
                        Math.abs(r.value! - want),
                        `${r.file} ${metric}: ${r.value} vs ${want}`,
                      ).toBeLessThanOrEqual(tol * Math.abs(want));
                  });
              }
            });
          }
        }
      });
    }
  },
);
