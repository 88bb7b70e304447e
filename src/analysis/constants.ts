/**
 * Numbers that decide results, in one place. Each matches the convention in ../shared/SPEC.md.
 */

/** Sub-peaks: local maxima at least this far (mm) from the peak and from each other (FSL cluster's default). */
export const SUBPEAK_MIN_DISTANCE_MM = 8;
/** Sub-peaks listed per cluster, at most. */
export const MAX_SUBPEAKS = 3;
/** The cluster-forming threshold of Berry et al. 2021 (FSL FLAME, Z > 2.3). */
export const DEFAULT_Z_THRESHOLD = 2.3;
/** The default cluster-level alpha for "GRF p < alpha" extent thresholds. */
export const DEFAULT_CLUSTER_ALPHA = 0.05;
/** Default connectivity, as FSL cluster. */
export const DEFAULT_CONNECTIVITY = 26;
/** ROI spheres of Berry et al. 2021: 4 mm diameter. */
export const BERRY_ROI_RADIUS_MM = 2;
/**
 * The page's threshold index (analysis/cluster-index.ts) answers thresholds from min(first threshold,
 * this) up: |z| 2 lies below the common cluster-forming thresholds (2.3, 3.1), so a slider moved
 * around them never waits for a new labelling, while the index holds only a few percent of a map.
 */
export const INDEX_FLOOR = 2;
/**
 * The page reads a table from its threshold index only when the threshold leaves at most this many
 * voxels to visit (about 10 ms on the page's thread); lower thresholds go to the worker's labelling.
 */
export const PAGE_QUERY_MAX_VOXELS = 500_000;

/**
 * The page's difference pane (post − pre) shows voxels with |post − pre| at or above this, in the
 * maps' units (z): the pane states it and the compare panel changes it.
 */
export const DEFAULT_DIFFERENCE_THRESHOLD = 1;
/** The w × x overlay shows voxels whose |w × x| is at least this share of its largest |w × x|, unless a threshold is typed. */
export const DEFAULT_CONTRIBUTION_SHARE = 0.1;
/** The largest ROI sphere radius the page accepts (mm): larger spheres average most of a brain. */
export const MAX_ROI_RADIUS_MM = 50;
