import { openAsBlob } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import { basename } from 'node:path';
import {
  DEFAULT_MEMORY_BUDGET_BYTES,
  NiftiError,
  readNifti,
  readNiftiPair,
  type NiftiImage,
  type ReadOptions,
} from '../nifti';
import { frameShape, parseHeader } from '../nifti/header';
import { pumpFile } from './inflate-pump';

/**
 * Told, while Node's fast path inflates a .nii.gz into one buffer, that bytes 0..end of `file` (the
 * whole file's buffer, filling from the front) are final: called on the turn of the event loop after
 * zlib has been given its next piece, so work done here overlaps inflating. Later calls give more of
 * the same buffer; a call with another buffer means the reader started over. Never called for other
 * files. It must not throw.
 */
export type OnInflated = (file: Uint8Array, end: number) => void;

/** Reads a NIfTI file from disk, streaming; a .hdr is read with its .img beside it (and .img with its .hdr). */
export async function readNiftiFile(
  path: string,
  opts: Partial<ReadOptions> = {},
  onInflated?: OnInflated,
): Promise<NiftiImage> {
  const name = opts.name ?? basename(path);
  const o: ReadOptions = { ...opts, name };
  const pair = pairPaths(path);
  if (pair) {
    const [hdr, img] = await Promise.all([blob(pair.hdr, name), blob(pair.img, name)]);
    return readNiftiPair(hdr, img, o);
  }
  const source = await blob(path, name);
  if (!opts.onProgress && !opts.signal) {
    const inflated = await inflateWhole(path, o, onInflated);
    if (inflated) return readNifti(inflated, o);
    onInflated?.(new Uint8Array(0), 0);
  }
  return readNifti(source, o);
}

/** Compressed bytes read first: the header's peek, and zlib's first piece of a file of several. */
const HEADER_PEEK_BYTES = 64 * 1024;

/**
 * Compressed bytes inflated to learn the header size, first: a header compresses to a few hundred
 * bytes, and all 64 KiB gave a study's 2 mm maps 460 KB each to inflate and join for a 352-byte
 * header (a tenth of G1's zlib time). The whole peek is inflated where this gives too little.
 */
const HEADER_FIRST_BYTES = 4 * 1024;
/** A NIfTI-2 header (540 bytes) and its extension flag: what the peek must give. */
const NIFTI2_HEADER_AND_FLAG = 544;
/** zlib's output buffer for the peek: 4 KiB of a map's stream mostly inflates into one, not copied into another. */
const HEADER_PEEK_OUTPUT = 64 * 1024;

/**
 * Node's fast path for a local .nii.gz: native zlib inflates the file as it is read (the next piece is
 * read while zlib inflates this one: pumpFile), into a single output buffer of the size the header
 * declares (zlib's own, sized so it never fills: the chunks it emits are views of it). Neither the
 * compressed file nor a second inflated copy, nor a trail of chunk garbage, is ever held; a file of
 * one piece (INFLATE_READ_BYTES or less, compressed) is read whole and inflated in one call. Returns
 * undefined (and the web-streams reader takes over, with its exact errors) for anything unusual: not
 * gzip, corrupt, shorter or longer than declared, over the budget. `onInflated` hears of the bytes as
 * they are inflated.
 */
async function inflateWhole(path: string, o: ReadOptions, onInflated?: OnInflated): Promise<Uint8Array | undefined> {
  const fh = await open(path);
  let reporting: NodeJS.Immediate | undefined;
  try {
    // Pieces no larger than the file: a 250 KB map needs no 4 MiB buffers. A file of one piece is
    // read whole and inflated here at once (below).
    const { size } = await fh.stat();
    const whole = size <= INFLATE_READ_BYTES;
    const input = Buffer.allocUnsafe(Math.max(HEADER_PEEK_BYTES, Math.min(INFLATE_READ_BYTES, size)));
    const { bytesRead } = await fh.read(input, 0, whole ? input.length : HEADER_PEEK_BYTES, 0);
    if (bytesRead < 2 || input[0] !== 0x1f || input[1] !== 0x8b) return undefined;
    const peek = (bytes: number): Buffer =>
      gunzipSync(input.subarray(0, Math.min(bytesRead, bytes)), {
        finishFlush: constants.Z_SYNC_FLUSH,
        chunkSize: HEADER_PEEK_OUTPUT,
      });
    let head = peek(HEADER_FIRST_BYTES);
    if (head.length < NIFTI2_HEADER_AND_FLAG && bytesRead > HEADER_FIRST_BYTES) head = peek(HEADER_PEEK_BYTES);
    const header = parseHeader(head, o.name);
    const { voxels, frames } = frameShape(header);
    const declared =
      Math.max(header.voxOffset, header.version === 1 ? 348 : 540) + voxels * frames * header.datatype.bytes;
    if (declared > (o.budgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES)) return undefined;
    if (whole) {
      // One call instead of a stream's turns: a study's 250 KB maps inflate in half the CPU time (20
      // sample maps: 57-70 against 111-137 ms), and there is nothing to overlap with a single piece.
      if (bytesRead !== size) return undefined;
      const out = gunzipSync(input.subarray(0, size), { chunkSize: declared + 1 });
      if (out.length !== declared) return undefined;
      const file = new Uint8Array(out.buffer, out.byteOffset, declared);
      onInflated?.(file, declared);
      return file;
    }
    const gunzip = createGunzip({ chunkSize: declared + 1 });
    let file: Uint8Array | undefined;
    let filled = 0;
    let contiguous = true;
    const report = (): void => {
      reporting = undefined;
      if (file && contiguous && onInflated) onInflated(file, filled);
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (!file && chunk.buffer.byteLength - chunk.byteOffset >= declared)
        file = new Uint8Array(chunk.buffer, chunk.byteOffset, declared);
      if (!file || chunk.buffer !== file.buffer || chunk.byteOffset !== file.byteOffset + filled) contiguous = false;
      filled += chunk.length;
      if (filled > declared) gunzip.destroy(new RangeError('more data than the header declares'));
      else if (onInflated) reporting ??= setImmediate(report);
    });
    const ended = new Promise<void>((resolve, reject) => gunzip.on('end', resolve).on('error', reject));
    ended.catch(() => undefined);
    await pumpFile(fh, gunzip, input, ended, () => true, bytesRead);
    gunzip.end();
    await ended;
    if (!file || !contiguous || filled !== declared) return undefined;
    if (reporting) clearImmediate(reporting);
    report();
    return file;
  } catch {
    return undefined;
  } finally {
    if (reporting) clearImmediate(reporting);
    await fh.close();
  }
}

/**
 * Compressed bytes read (and handed to zlib) at a time after the header's peek: each piece costs a
 * turn of this thread between zlib's runs (about 0.3 ms: 27 pieces of 1 MiB added 8 ms to a 1 mm
 * map's 92 ms inflate), and the peek is zlib's first piece, so a larger piece delays nothing.
 */
const INFLATE_READ_BYTES = 4 << 20;

function pairPaths(path: string): { hdr: string; img: string } | undefined {
  const m = /^(.*)\.(hdr|img)(\.gz)?$/i.exec(path);
  if (!m) return undefined;
  const gz = m[3] ?? '';
  return { hdr: `${m[1]}.hdr${gz}`, img: `${m[1]}.img${gz}` };
}

async function blob(path: string, name: string): Promise<Blob> {
  try {
    await stat(path);
    return await openAsBlob(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') {
      throw new NiftiError(
        path.match(/\.(hdr|img)(\.gz)?$/i) ? 'MISSING_PAIR' : 'READ_FAILED',
        name,
        `no such file: ${path}`,
      );
    }
    throw new NiftiError('READ_FAILED', name, `cannot read ${path} (${code ?? String(e)}).`);
  }
}
