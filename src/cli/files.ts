import { openAsBlob } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { basename } from 'node:path';
import { DEFAULT_MEMORY_BUDGET_BYTES, NiftiError, readNifti, readNiftiPair, type NiftiImage, type ReadOptions } from '../nifti';
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
 * Node's fast path for a local .nii.gz: zlib in one call, capped at the size the header declares.
 * Returns undefined (and the streaming reader takes over, with its exact errors) for anything
 * unusual: not gzip, corrupt, trailing bytes past the declared data, a bomb.
 */
async function inflateWhole(path: string, o: ReadOptions): Promise<Uint8Array | undefined> {
  const gz = await readFile(path);
  if (gz[0] !== 0x1f || gz[1] !== 0x8b) return undefined;
  try {
    const head = gunzipSync(gz.subarray(0, HEADER_PEEK_BYTES), { finishFlush: constants.Z_SYNC_FLUSH });
    const header = parseHeader(head, o.name);
    const { voxels, frames } = frameShape(header);
    const declared = Math.max(header.voxOffset, header.version === 1 ? 348 : 540) + voxels * frames * header.datatype.bytes;
    if (declared > (o.budgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES)) return undefined;
    const out = gunzipSync(gz, { maxOutputLength: declared });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch {
    return undefined;
  }
}

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
      throw new NiftiError(path.match(/\.(hdr|img)(\.gz)?$/i) ? 'MISSING_PAIR' : 'READ_FAILED', name, `no such file: ${path}`);
    }
    throw new NiftiError('READ_FAILED', name, `cannot read ${path} (${code ?? String(e)}).`);
  }
}
