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

/** Reads a NIfTI file from disk, streaming; a .hdr is read with its .img beside it (and .img with its .hdr). */
export async function readNiftiFile(path: string, opts: Partial<ReadOptions> = {}): Promise<NiftiImage> {
  const name = opts.name ?? basename(path);
  const o: ReadOptions = { ...opts, name };
  const pair = pairPaths(path);
  if (pair) {
    const [hdr, img] = await Promise.all([blob(pair.hdr, name), blob(pair.img, name)]);
    return readNiftiPair(hdr, img, o);
  }
  const source = await blob(path, name);
  if (!opts.onProgress && !opts.signal) {
    const inflated = await inflateWhole(path, o);
    if (inflated) return readNifti(inflated, o);
  }
  return readNifti(source, o);
}

/** Compressed bytes inflated to learn the header size: enough for a NIfTI-2 header and its extension flag. */
const HEADER_PEEK_BYTES = 64 * 1024;

/**
 * Node's fast path for a local .nii.gz: native zlib inflates the file as it is read, in pieces through
 * one reused input buffer, into a single output buffer of the size the header declares (zlib's own,
 * sized so it never fills: the chunks it emits are views of it). Neither the compressed file nor a
 * second inflated copy, nor a trail of chunk garbage, is ever held. Returns undefined (and the
 * web-streams reader takes over, with its exact errors) for anything unusual: not gzip, corrupt,
 * shorter or longer than declared, over the budget.
 */
async function inflateWhole(path: string, o: ReadOptions): Promise<Uint8Array | undefined> {
  const fh = await open(path);
  try {
    const input = Buffer.allocUnsafe(INFLATE_READ_BYTES);
    const { bytesRead } = await fh.read(input, 0, HEADER_PEEK_BYTES, 0);
    if (bytesRead < 2 || input[0] !== 0x1f || input[1] !== 0x8b) return undefined;
    const header = parseHeader(
      gunzipSync(input.subarray(0, bytesRead), { finishFlush: constants.Z_SYNC_FLUSH }),
      o.name,
    );
    const { voxels, frames } = frameShape(header);
    const declared =
      Math.max(header.voxOffset, header.version === 1 ? 348 : 540) + voxels * frames * header.datatype.bytes;
    if (declared > (o.budgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES)) return undefined;
    const gunzip = createGunzip({ chunkSize: declared + 1 });
    let first: Buffer | undefined;
    let filled = 0;
    let contiguous = true;
    gunzip.on('data', (chunk: Buffer) => {
      first ??= chunk;
      if (chunk.buffer !== first.buffer || chunk.byteOffset !== first.byteOffset + filled) contiguous = false;
      filled += chunk.length;
      if (filled > declared) gunzip.destroy(new RangeError('more data than the header declares'));
    });
    const ended = new Promise<void>((resolve, reject) => gunzip.on('end', resolve).on('error', reject));
    ended.catch(() => undefined);
    for (let pos = 0; ; ) {
      const { bytesRead: n } = await fh.read(input, 0, INFLATE_READ_BYTES, pos);
      if (n === 0) break;
      pos += n;
      // The callback comes once zlib has consumed the piece: only then is the input buffer reused.
      await new Promise<void>((resolve, reject) =>
        gunzip.write(input.subarray(0, n), (e) => (e ? reject(e) : resolve())),
      );
    }
    gunzip.end();
    await ended;
    return first && contiguous && filled === declared
      ? new Uint8Array(first.buffer, first.byteOffset, declared)
      : undefined;
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

/** Compressed bytes read (and handed to zlib) at a time. */
const INFLATE_READ_BYTES = 1 << 20;

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
