/**
 * How much memory one file may claim. A header can declare any size; we refuse before allocating
 * anything larger than this. 2 GiB holds a 1 mm whole-brain map with ~70 float32 frames, far beyond
 * any statistical map, and stays below what a browser tab can allocate as one ArrayBuffer.
 */
export const DEFAULT_MEMORY_BUDGET_BYTES = 2 * 1024 ** 3;

/** NIfTI allows 7 dimensions; more than this many voxels along one axis is a corrupt header, not a scan. */
export const MAX_AXIS_LENGTH = 1 << 20;
