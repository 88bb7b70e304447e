import type { PairRule } from '../../analysis/pairing';
import type { Metric, ResampleDirection } from '../../analysis/signature';

export interface SignatureSettings {
  readonly weightsId: number | null;
  readonly metric: Metric;
  readonly direction: ResampleDirection;
  readonly showContribution: boolean;
}

export const DEFAULT_SIGNATURE: SignatureSettings = {
  weightsId: null,
  metric: 'dot',
  direction: 'weights-to-data',
  showContribution: false,
};

export interface CompareSettings {
  readonly on: boolean;
  readonly preId: number | null;
  readonly postId: number | null;
  readonly showDifference: boolean;
  /** How pre and post were chosen: by their names' sessions or pre/post, by the order opened, or by the user. */
  readonly pairedBy?: PairRule | 'user';
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
