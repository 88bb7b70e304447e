import { forEachVoxel, N, smoothNoise } from './field';

/** Intensities of the stand-in, in the range of FSL's MNI152_T1_2mm (int16). */
const WHITE = 8000;
const GREY = 4600;
const CSF = 1500;
const SCALP = 3000;
/** Sulci: CSF lines where a smooth field crosses zero, this deep into the cerebrum (a share of its radius)... */
const SULCUS_DEPTH = 0.3;
/** ... this wide (in the field's units), each lined by grey matter this wide: gyri, not a white blob. */
const SULCUS_HALF_WIDTH = 0.12;
const SULCAL_GREY_HALF_WIDTH = 0.6;
/** Deep grey matter (thalamus, putamen, caudate) as ellipsoids: centre (x, y, z) and radii in MNI mm, mirrored left-right. */
const DEEP_GREY: readonly (readonly [number, number, number, number, number, number])[] = [
  [11, -18, 6, 8, 12, 8],
  [25, 3, 1, 6, 14, 8],
  [14, 12, 12, 4, 10, 6],
];

/**
 * A brain-shaped stand-in for the MNI152 template: an ellipsoidal brain in MNI space, folded grey
 * matter over white matter, two lateral ventricles, a cerebellum, and scalp. Not an MNI template.
 */
export function standInTemplate(): { data: Float32Array; brain: Uint8Array } {
  const data = new Float32Array(N);
  const brain = new Uint8Array(N);
  const folds = smoothNoise(20251122, 1.2, new Uint8Array(N).fill(1));
  // Smooth intensity texture (a bias field and tissue variation): random per-voxel noise would not compress.
  const texture = smoothNoise(7, 2, new Uint8Array(N).fill(1));
  const sulci = smoothNoise(424242, 2.2, new Uint8Array(N).fill(1));
  forEachVoxel((i, x, y, z) => {
    // Cerebrum: an ellipsoid centred near the AC, a little flattened below.
    const cz = z < 0 ? z * 1.25 : z;
    const r = Math.sqrt(((x - 0) / 68) ** 2 + ((y + 17) / 88) ** 2 + ((cz - 12) / 62) ** 2);
    const cere = Math.sqrt((x / 48) ** 2 + ((y + 62) / 26) ** 2 + ((z + 32) / 18) ** 2);
    const skull = Math.sqrt((x / 78) ** 2 + ((y + 17) / 100) ** 2 + ((cz - 10) / 74) ** 2);
    const fold = 0.035 * folds[i]!;
    let v = 0;
    if (r < 1 || cere < 1) {
      brain[i] = 1;
      const depth = Math.min(r < 1 ? 1 - r + fold : 1, cere < 1 ? 1 - cere : 1);
      // Cortex ~5 mm thick with sulci cutting into it; white matter beneath.
      v = depth < 0.1 + fold ? GREY : WHITE;
      // Sulci cut into the cerebrum: CSF along the zero lines of a smooth field, lined with grey matter.
      const sulcus = Math.abs(sulci[i]!);
      if (r < 1 && depth < SULCUS_DEPTH) {
        if (sulcus < SULCUS_HALF_WIDTH) v = CSF;
        else if (sulcus < SULCAL_GREY_HALF_WIDTH && depth < SULCUS_DEPTH * 0.9) v = GREY;
      }
      for (const [cx, cy, cz0, rx, ry, rz] of DEEP_GREY)
        if (Math.sqrt(((Math.abs(x) - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 + ((z - cz0) / rz) ** 2) < 1) v = GREY;
      // The interhemispheric fissure: a CSF notch at the top, medial grey matter beneath it, then the
      // white matter (corpus callosum) as on either side: the mid-sagittal slice looks like its
      // neighbours, not a dark (or grey) half-plane.
      if (Math.abs(x) < 2 && z > 0 && depth < 0.2) v = depth < 0.06 ? CSF : GREY;
      const vent = Math.min(
        Math.sqrt(((x - 10) / 5) ** 2 + ((y + 12) / 20) ** 2 + ((z - 14) / 8) ** 2),
        Math.sqrt(((x + 10) / 5) ** 2 + ((y + 12) / 20) ** 2 + ((z - 14) / 8) ** 2),
      );
      if (vent < 1) v = CSF;
    } else if (skull < 1 && skull > 0.9) {
      v = SCALP;
    } else if (skull < 1) {
      v = CSF;
    }
    data[i] = v ? Math.round(v + 250 * texture[i]!) : 0;
  });
  return { data, brain };
}
