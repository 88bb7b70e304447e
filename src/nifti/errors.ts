/** Every way a file can fail to become a volume, one code each, so the UI and CLI can react by kind. */
export type NiftiErrorCode =
  | 'BAD_MAGIC'
  | 'TRUNCATED'
  | 'UNSUPPORTED_DATATYPE'
  | 'BAD_DIMS'
  | 'BAD_HEADER'
  | 'TOO_LARGE'
  | 'CORRUPT_GZIP'
  | 'MISSING_PAIR'
  | 'CANCELLED'
  | 'READ_FAILED';

/** A file could not be read; `message` names the file and says why in a researcher's words. */
export class NiftiError extends Error {
  override readonly name = 'NiftiError';
  constructor(
    readonly code: NiftiErrorCode,
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export function isNiftiError(e: unknown): e is NiftiError {
  return (
    e instanceof NiftiError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'NiftiError')
  );
}
