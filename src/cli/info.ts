import { affineRows, type NiftiImage } from '../nifti';
import { volumeStats } from '../analysis/stats';
import { describeStatistic, mapStatistic } from '../analysis/statistic';

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
    intent: intentDocument(h.intent),
    affine: affineRows(img.affine),
    affineSource: img.affineSource,
    niftiVersion: h.version,
    min: Number.isNaN(s.min) ? null : s.min,
    max: Number.isNaN(s.max) ? null : s.max,
    nanCount: s.nanCount,
  };
}

/**
 * The intent as stored, where it was read (`header`, or `descrip` for SPM's maps), and the df it gives:
 * a number for t, [df1, df2] for F, null when the map is a t- or F-map that does not say (absent otherwise).
 */
function intentDocument(i: NiftiImage['header']['intent']): Record<string, unknown> {
  const s = mapStatistic(i);
  const df = s.kind === 't' ? { df: s.df ?? null } : s.kind === 'f' ? { df: s.df1 === undefined ? null : [s.df1, s.df2] } : {};
  const statistic = s.kind === 'z' && s.assumed ? {} : { statistic: describeStatistic(s) };
  return { code: i.code, kind: i.kind, name: i.name, p1: i.p1, p2: i.p2, p3: i.p3, source: i.source ?? 'header', ...df, ...statistic };
}

export function infoText(doc: Record<string, unknown>): string {
  const intent = doc.intent as { kind: string; source: string; statistic?: string };
  return [
    `${doc.file}: ${(doc.dims as number[]).join('x')} x ${doc.frames} frame(s), ${doc.datatypeName}, voxels ${(doc.pixdim as number[]).join('x')} mm`,
    `intent ${intent.kind}${intent.statistic ? ` (${intent.statistic})` : ''}, from the ${intent.source}; affine from ${doc.affineSource}`,
    `frame ${doc.frame}: min ${doc.min}, max ${doc.max}, ${doc.nanCount} NaN voxel(s)`,
  ].join('\n');
}
