import type { NiftiErrorCode, Volume } from '../nifti';

/** What the worker can parse: one file, an .hdr/.img pair, bytes, or a URL to fetch. */
export type ParseSource =
  | { readonly kind: 'file'; readonly file: Blob; readonly name: string }
  | { readonly kind: 'pair'; readonly hdr: Blob; readonly img: Blob; readonly name: string }
  | { readonly kind: 'bytes'; readonly bytes: ArrayBuffer; readonly name: string }
  | { readonly kind: 'url'; readonly url: string; readonly name: string };

export interface ParseOptions {
  /** Identifies the job, for cancel() and frame(). */
  readonly id: number;
  readonly frame?: number;
  readonly budgetBytes?: number;
}

export interface WireError {
  readonly code: NiftiErrorCode;
  readonly file: string;
  readonly reason: string;
}

/** Errors are returned, not thrown: comlink would drop the error code on the way. */
export type ParseReply =
  | { readonly ok: true; readonly volume: Volume }
  | { readonly ok: false; readonly error: WireError };

export type ProgressCallback = (done: number, total: number | undefined) => void;

export interface ParserApi {
  parse(source: ParseSource, opts: ParseOptions, onProgress?: ProgressCallback): Promise<ParseReply>;
  /** Another frame of a 4D map parsed earlier (kept until release). */
  frame(id: number, k: number): Promise<ParseReply>;
  cancel(id: number): void;
  release(id: number): void;
}
