import { isNiftiError, NiftiError, readNifti, readNiftiPair, type NiftiImage, type ReadOptions } from '../nifti';
import type { ParseOptions, ParseReply, ParserApi, ParseSource, ProgressCallback } from './protocol';

/** At most this often a progress message crosses to the page (each is a postMessage). */
const PROGRESS_INTERVAL_MS = 50;

/**
 * The worker's side, free of Worker globals so it also runs in Node tests. Parsed 4D images stay
 * here so other frames can be decoded on demand; single frames are handed over and forgotten.
 */
export class Parser implements ParserApi {
  private readonly jobs = new Map<number, AbortController>();
  private readonly kept = new Map<number, NiftiImage>();

  constructor(private readonly transfer: <T>(value: T, buffers: ArrayBuffer[]) => T = (v) => v) {}

  async parse(source: ParseSource, opts: ParseOptions, onProgress?: ProgressCallback): Promise<ParseReply> {
    const abort = new AbortController();
    this.jobs.set(opts.id, abort);
    try {
      const read: ReadOptions = {
        name: source.name,
        signal: abort.signal,
        budgetBytes: opts.budgetBytes,
        onProgress: onProgress && throttled(onProgress),
      };
      const img = await this.read(source, read);
      if (img.frames > 1) this.kept.set(opts.id, img);
      return this.reply(img, opts.frame ?? 0);
    } catch (e) {
      return failure(e, source.name);
    } finally {
      this.jobs.delete(opts.id);
    }
  }

  async frame(id: number, k: number): Promise<ParseReply> {
    const img = this.kept.get(id);
    if (!img)
      return {
        ok: false,
        error: { code: 'READ_FAILED', file: `map ${id}`, reason: 'this map has a single frame or was released.' },
      };
    try {
      return this.reply(img, k);
    } catch (e) {
      return failure(e, img.name);
    }
  }

  cancel(id: number): void {
    this.jobs.get(id)?.abort();
  }

  release(id: number): void {
    this.kept.delete(id);
  }

  private reply(img: NiftiImage, k: number): ParseReply {
    if (!Number.isInteger(k) || k < 0 || k >= img.frames) {
      throw new NiftiError('BAD_DIMS', img.name, `frame ${k} does not exist; the map has ${img.frames} frame(s).`);
    }
    const volume = img.volume(k);
    return this.transfer({ ok: true, volume }, [volume.data.buffer as ArrayBuffer]);
  }

  private async read(source: ParseSource, opts: ReadOptions): Promise<NiftiImage> {
    switch (source.kind) {
      case 'file':
        return readNifti(source.file, opts);
      case 'pair':
        return readNiftiPair(source.hdr, source.img, opts);
      case 'bytes':
        return readNifti(new Uint8Array(source.bytes), opts);
      case 'url':
        return readNifti(await fetchStream(source.url, source.name, opts.signal), opts);
    }
  }
}

async function fetchStream(
  url: string,
  name: string,
  signal?: AbortSignal,
): Promise<{ stream: ReadableStream<Uint8Array>; size?: number }> {
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (e) {
    if (signal?.aborted) throw new NiftiError('CANCELLED', name, 'reading was cancelled.');
    throw new NiftiError(
      'READ_FAILED',
      name,
      `could not fetch ${url} (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
  if (!res.ok || !res.body)
    throw new NiftiError(
      'READ_FAILED',
      name,
      `could not fetch ${url} (HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}).`,
    );
  // A single-page host answers a missing file with its own page (HTTP 200, text/html): say so, rather than "not a NIfTI file".
  const type = res.headers.get('content-type') ?? '';
  if (/^text\/html/i.test(type)) {
    void res.body.cancel();
    throw new NiftiError(
      'READ_FAILED',
      name,
      `could not fetch ${url}: the server sent a web page (HTTP ${res.status}, ${type.split(';')[0]}), not a file; the file is probably missing there (as an HTTP 404 would say).`,
    );
  }
  const length = Number(res.headers.get('content-length'));
  // A server that gzips on the fly reports the compressed length while the body arrives inflated.
  const size = res.headers.get('content-encoding') || !Number.isFinite(length) || length <= 0 ? undefined : length;
  return { stream: res.body, size };
}

function throttled(report: ProgressCallback): ProgressCallback {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - last >= PROGRESS_INTERVAL_MS || (total !== undefined && done >= total)) {
      last = now;
      report(done, total);
    }
  };
}

function failure(e: unknown, name: string): ParseReply {
  if (isNiftiError(e)) return { ok: false, error: { code: e.code, file: e.file, reason: e.reason } };
  return { ok: false, error: { code: 'READ_FAILED', file: name, reason: e instanceof Error ? e.message : String(e) } };
}
