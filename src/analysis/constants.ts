/**
 * Numbers that decide results, in one place. Each matches the convention in ../shared/SPEC.md.
 */

/** Sub-peaks: local maxima at least this far (mm) from the peak and from each other (FSL cluster's default). */
export const SUBPEAK_MIN_DISTANCE_MM = 8;
/** Sub-peaks listed per cluster, at most. */
export const MAX_SUBPEAKS = 3;
/** The cluster-forming threshold of Berry et al. 2021 (FSL FLAME, Z > 2.3). */
export const DEFAULT_Z_THRESHOLD = 2.3;
/**
 * GRF cluster p-values (Friston et al. 1994; Worsley et al. 1992) are given only when the
 * cluster-forming threshold, as z (a t- or F-map's z-equivalent), is at least this. GRF's cluster p
 * rests on the expected Euler characteristic standing for the number of clusters, which holds only at
 * high thresholds: in 3D it turns negative below z 1, and below z 2 the p it gives is far from its
 * level (Hayasaka & Nichols 2003; Eklund et al. 2016 found inflation already at z 2.3, so FSL's
 * usual z 2.3, or 3.1, stays the better choice). z 2 keeps t 2.3 on a t-map of 10 df or more (z
 * 2.01 at 10, 2.14 at 20, 2.29 at 262) and the common thresholds, and withholds a threshold of z 1
 * or a voxelwise p of 0.05 (z 1.64). Below it the cluster p and the "GRF p < alpha" extent are
 * withheld, with a warning; the peak-level FWE p (voxel height) does not depend on it and stays.
 */
export const GRF_MIN_CLUSTER_Z = 2;
/** The default cluster-level alpha for "GRF p < alpha" extent thresholds. */
export const DEFAULT_CLUSTER_ALPHA = 0.05;
/**
 * A group run's result as the page shows it: its clusters with permutation FWE p below this (the
 * view keeps them alone, and moves to the largest), and its voxels with TFCE FWE p below it.
 */
export const GROUP_FWE_ALPHA = 0.05;
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

// Group analysis (../shared/SPEC.md "Group analysis"; FSL randomise's defaults).
/** Permutations run when no count is given (randomise's -n default). */
export const DEFAULT_PERMUTATIONS = 5000;
/** The seed of random permutations when none is given. */
export const DEFAULT_PERMUTATION_SEED = 0;
/** TFCE extent exponent E, height exponent H and connectivity (Smith & Nichols 2009; FSL's -T). */
export const TFCE_E = 0.5;
export const TFCE_H = 2;
export const TFCE_CONNECTIVITY = 6;
/** TFCE levels under the unpermuted map's max t: dh = max t / this (FSL's default step). */
export const TFCE_LEVELS = 100;
/**
 * A permutation's maximum counts as reaching an observed value within this relative margin: cluster
 * mass and TFCE are float sums whose order differs between the observed table and the engines.
 */
export const FWE_TIE_RELATIVE = 1e-6;
/** A batch of permutations aims at about this long (ms), so progress moves and Cancel stops within a second. */
export const PERMUTATION_BATCH_MS = 200;
/**
 * The command's batches aim at about this long: it shows no progress and has no Cancel, and each
 * batch ends with its threads waiting for the last chunk, so fewer, longer batches waste less.
 */
export const COMMAND_BATCH_MS = 1000;
/** Rows per part below which a pool's batch is not split further (a part's messages would cost more than its rows). */
export const MIN_ROWS_PER_SHARE = 2;
/**
 * FSL smoothest's guard against extreme smoothness: when the lag-1 sum reaches this fraction of the
 * squares' sum along an axis, it is set to SMOOTHEST_CLAMPED_RATIO of it (smoothest.cc), which keeps
 * sigma^2 = -1 / (4 ln ratio) finite (a constant map gives FWHM 372 voxels, as FSL says).
 */
export const SMOOTHEST_EXTREME_RATIO = 0.99999999;
export const SMOOTHEST_CLAMPED_RATIO = 0.99999;
/** A given smoothness mask counts a voxel when its value is above this (smoothest.cc's mask > 0.5). */
export const SMOOTHEST_MASK_LEVEL = 0.5;
/**
 * Reported p-values stop here: below it a table says "< 1e-16" (the spacing of float64 near 1, so a
 * p computed as 1 - something is no longer resolved, and GRF's assumptions are far coarser anyway).
 */
export const P_REPORT_FLOOR = 1e-16;
/**
 * The page's difference pane (post − pre) shows voxels with |post − pre| at or above this, in the
 * maps' units (z): the pane states it and the compare panel changes it.
 */
export const DEFAULT_DIFFERENCE_THRESHOLD = 1;
/** The w × x overlay shows voxels whose |w × x| is at least this share of its largest |w × x|, unless a threshold is typed. */
export const DEFAULT_CONTRIBUTION_SHARE = 0.1;
/**
 * A 1 - p map (FSL's corrp, tfce_corrp, vox_corrp; a group run's) is thresholded here, on a scale
 * from here to 1: 1 - p >= 0.95 is p < 0.05, as FSLeyes and FSL's own reports read them.
 */
export const ONE_MINUS_P_THRESHOLD = 0.95;
/**
 * A TFCE score map (tfce_tstat) has no distribution: its scale depends on the data and on E and H.
 * It is first shown above this share of its largest |score|, as the w × x overlay is.
 */
export const TFCE_DEFAULT_SHARE = 0.1;
/** The largest ROI sphere radius the page accepts (mm): larger spheres average most of a brain. */
export const MAX_ROI_RADIUS_MM = 50;
