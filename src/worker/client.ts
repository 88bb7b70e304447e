import * as Comlink from 'comlink';
import { NiftiError, type Volume } from '../nifti';
import type { ParseReply, ParserApi, ParseSource } from './protocol';

export interface LoadJob {
  readonly id: number;
  readonly done: Promise<Volume>;
  cancel(): void;
}

/** The page's handle on the parsing worker: parse off the main thread, with progress and cancel. */
export class VolumeLoader {
  private readonly worker: Worker;
  private readonly api: Comlink.Remote<ParserApi>;
  private nextId = 1;

  constructor() {
    this.worker = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module', name: 'siglens-parser' });
    this.api = Comlink.wrap<ParserApi>(this.worker);
  }

  load(source: ParseSource, onProgress?: (done: number, total: number | undefined) => void, frame = 0): LoadJob {
    const id = this.nextId++;
    const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
    const done = this.api.parse(absolute(source), { id, frame }, progress).then(unwrap);
    return { id, done, cancel: () => void this.api.cancel(id) };
  }

  async frame(id: number, k: number): Promise<Volume> {
    return unwrap(await this.api.frame(id, k));
  }

  release(id: number): void {
    void this.api.release(id);
  }

  terminate(): void {
    this.worker.terminate();
  }
}

/** A relative URL means the page's (the site may live in a sub-folder); the worker would read it against its own script. */
function absolute(source: ParseSource): ParseSource {
  return source.kind === 'url' ? { ...source, url: new URL(source.url, document.baseURI).href } : source;
}

function unwrap(reply: ParseReply): Volume {
  if (reply.ok) return reply.volume;
  throw new NiftiError(reply.error.code, reply.error.file, reply.error.reason);
}
