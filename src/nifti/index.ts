export { NiftiError, isNiftiError, type NiftiErrorCode } from './errors';
export { readNifti, readNiftiPair, formatBytes, type ByteSource, type ReadOptions, type SizedStream } from './read';
export { NiftiImage, type Volume } from './image';
export { writeNifti1 } from './write';
export { affineRows, voxelToMm, invertAffine, det3, type Affine, type AffineSource } from './affine';
export { DEFAULT_MEMORY_BUDGET_BYTES } from './limits';
export { tMapDf, INTENT_TTEST, INTENT_ZSCORE, type Intent } from './intent';
export type { NiftiHeader } from './header';
export type { DatatypeInfo } from './datatypes';
