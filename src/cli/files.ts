import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { NiftiError, readNifti, readNiftiPair, type NiftiImage, type ReadOptions } from '../nifti';

/** Reads a NIfTI file from disk, streaming; a .hdr is read with its .img beside it (and .img with its .hdr). */
export async function readNiftiFile(path: string, opts: Partial<ReadOptions> = {}): Promise<NiftiImage> {
  const name = opts.name ?? basename(path);
  const o: ReadOptions = { ...opts, name };
  const pair = pairPaths(path);
  if (pair) {
    const [hdr, img] = await Promise.all([blob(pair.hdr, name), blob(pair.img, name)]);
    return readNiftiPair(hdr, img, o);
  }
  return readNifti(await blob(path, name), o);
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
