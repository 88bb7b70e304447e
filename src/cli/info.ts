import { affineRows, type NiftiImage } from '../nifti';
import { volumeStats } from '../analysis/stats';

/** The `siglens info` document (SPEC: dims, frames, pixdim, datatype, intent, affine, min, max, nanCount). */
export function infoDocument(img: NiftiImage, frame: number): Record<string, unknown> {
  const h = img.header;
  const s = volumeStats(img.frame(frame));
  return {
    file: img.name,
    dims: img.dims,
    frames: img.frames,
    frame,
    pixdim: [h.pixdim[1], h.pixdim[2], h.pixdim[3]],
    datatype: h.datatype.code,
    datatypeName: h.datatype.name,
    intent: { code: h.intent.code, kind: h.intent.kind, name: h.intent.name, p1: h.intent.p1, p2: h.intent.p2, p3: h.intent.p3 },
    affine: affineRows(img.affine),
    affineSource: img.affineSource,
    niftiVersion: h.version,
    min: Number.isNaN(s.min) ? null : s.min,
    max: Number.isNaN(s.max) ? null : s.max,
    nanCount: s.nanCount,
  };
}

export function infoText(doc: Record<string, unknown>): string {
  const intent = doc.intent as { kind: string; p1: number };
  return [
    `${doc.file}: ${(doc.dims as number[]).join('x')} x ${doc.frames} frame(s), ${doc.datatypeName}, voxels ${(doc.pixdim as number[]).join('x')} mm`,
    `intent ${intent.kind}${intent.kind === 'ttest' ? ` (df ${intent.p1})` : ''}; affine from ${doc.affineSource}`,
    `frame ${doc.frame}: min ${doc.min}, max ${doc.max}, ${doc.nanCount} NaN voxel(s)`,
  ].join('\n');
}
