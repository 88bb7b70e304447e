import type { Connectivity } from '../compute/engine';
import { DEFAULT_CLUSTER_ALPHA, DEFAULT_CONNECTIVITY, DEFAULT_Z_THRESHOLD } from '../analysis/constants';
import { thresholdForP } from '../analysis/pvalue';
import type { ClusterOptions, Extent } from '../analysis/clusters';
import type { Metric, ResampleDirection } from '../analysis/signature';

export type ExtentKind = 'none' | 'voxels' | 'mm3' | 'grf';

/** What the threshold controls say. */
export interface ThresholdSettings {
  /**
   * 'z': value is the map threshold itself (z or t); 'p': value is an uncorrected voxelwise p converted
   * through the df; 'fdr' / 'bonferroni': value is q / alpha over the whole map (src/app/height.ts).
   */
  readonly mode: 'z' | 'p' | 'fdr' | 'bonferroni';
  readonly value: number;
  readonly twoSided: boolean;
  readonly connectivity: Connectivity;
  readonly extent: ExtentKind;
  /** Voxels, mm^3, or alpha, by extent kind. */
  readonly extentValue: number;
  /** Show sub-threshold voxels faintly under the thresholded map. */
  readonly faint: boolean;
}

export const DEFAULT_SETTINGS: ThresholdSettings = {
  mode: 'z',
  value: DEFAULT_Z_THRESHOLD,
  twoSided: false,
  connectivity: DEFAULT_CONNECTIVITY,
  extent: 'none',
  extentValue: DEFAULT_CLUSTER_ALPHA,
  faint: false,
};

/** The map threshold the settings mean for a map with this df (undefined: a z-map); FDR and Bonferroni need the map (src/app/height.ts). */
export function mapThreshold(s: ThresholdSettings, df: number | undefined): number {
  if (s.mode === 'fdr' || s.mode === 'bonferroni') throw new Error('an FDR or Bonferroni threshold depends on the map: use pageHeight');
  return s.mode === 'z' ? s.value : thresholdForP(s.value, s.twoSided, df);
}

/** `threshold`: the height FDR or Bonferroni gave (src/app/height.ts), for those modes. */
export function clusterOptions(s: ThresholdSettings, df: number | undefined, threshold = mapThreshold(s, df)): ClusterOptions {
  const extent: Extent =
    s.extent === 'voxels'
      ? { kind: 'voxels', min: s.extentValue }
      : s.extent === 'mm3'
        ? { kind: 'mm3', min: s.extentValue }
        : s.extent === 'grf'
          ? { kind: 'grf', alpha: s.extentValue }
          : { kind: 'none' };
  return {
    threshold,
    twoSided: s.twoSided,
    connectivity: s.connectivity,
    extent,
    // Cluster p-values need the smoothness; estimate it from the map as FSL does for a z-map.
    smoothness: { kind: 'estimate' },
  };
}

/** Whether the settings can be used as they are (the form may hold a half-typed number). */
export function validSettings(s: ThresholdSettings): boolean {
  if (!(Number.isFinite(s.value) && s.value > 0)) return false;
  if (s.mode !== 'z' && s.value >= 1) return false;
  if (s.extent === 'grf' && !(s.extentValue > 0 && s.extentValue < 1)) return false;
  if ((s.extent === 'voxels' || s.extent === 'mm3') && !(s.extentValue > 0)) return false;
  return true;
}

export interface SignatureSettings {
  readonly weightsId: number | null;
  readonly metric: Metric;
  readonly direction: ResampleDirection;
  readonly showContribution: boolean;
}

export const DEFAULT_SIGNATURE: SignatureSettings = { weightsId: null, metric: 'dot', direction: 'weights-to-data', showContribution: false };

export interface CompareSettings {
  readonly on: boolean;
  readonly preId: number | null;
  readonly postId: number | null;
  readonly showDifference: boolean;
}

export const DEFAULT_COMPARE: CompareSettings = { on: false, preId: null, postId: null, showDifference: true };

/**
 * The cluster table lists every cluster, but draws only the rows in its scrolling box and this many
 * beyond each edge: an extent-free threshold on a 1 mm map gives thousands of one-voxel clusters,
 * and drawing (and laying out) them all would hold up every threshold change. Rows come into being
 * as the box scrolls, a few ahead of the reader (and of Tab moving through the row buttons).
 */
export const ROWS_BEYOND_VIEW = 8;

/**
 * Above this many rows the cluster table scrolls in a box of fixed height (what its maximum height
 * gives anyway) that contains its layout and paint: a threshold change then re-lays out and repaints
 * the box, not the page.
 */
export const ROWS_BEFORE_SCROLLING = 10;
