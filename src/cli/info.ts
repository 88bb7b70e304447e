import { basename } from 'node:path';
import { affineRows, type NiftiImage } from '../nifti';
import { numberFlag, parseOptions, UsageError, type OptionSpec } from './args';
import type { CommandSpec } from './command';
import { cpuOnlyEngine } from './engine-mode';
import { readNiftiFile } from './files';
import { StatsAccumulator, volumeStats, type VolumeStats } from '../analysis/stats';
import { FrameStream } from '../nifti/frame-stream';
import { describeStatistic, mapStatistic } from '../analysis/statistic';

/** The `siglens info` document (SPEC: dims, frames, pixdim, datatype, intent, affine, min, max, nanCount). */
export function infoDocument(
  img: NiftiImage,
  frame: number,
  s: VolumeStats = volumeStats(img.frame(frame)),
): Record<string, unknown> {
  const h = img.header;
  return {
    file: img.name,
    dims: img.dims,
    frames: img.frames,
    frame,
    pixdim: [h.pixdim[1], h.pixdim[2], h.pixdim[3]],
    datatype: h.datatype.code,
    datatypeName: h.datatype.name,
    intent: intentDocument(img.frameIntent(frame)),
    ...(img.frameLabels ? { frameLabels: img.frameLabels } : {}),
    ...(img.afni?.notes.length ? { notes: img.afni.notes } : {}),
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
  const df =
    s.kind === 't' ? { df: s.df ?? null } : s.kind === 'f' ? { df: s.df1 === undefined ? null : [s.df1, s.df2] } : {};
  const statistic = s.kind === 'z' && s.assumed ? {} : { statistic: describeStatistic(s) };
  return {
    code: i.code,
    kind: i.kind,
    name: i.name,
    p1: i.p1,
    p2: i.p2,
    p3: i.p3,
    source: i.source ?? 'header',
    ...df,
    ...statistic,
  };
}

/**
 * Reads the map, and frame `frame`'s statistics: of a .nii.gz, computed while zlib's thread inflates
 * the rest (the frame decoded as it arrives: FrameStream; `streamed` says so), else from the frame
 * once read. Either way the numbers are volumeStats(img.frame(frame)).
 */
export async function readWithStats(
  path: string,
  frame: number,
): Promise<{ img: NiftiImage; streamed: boolean; stats: () => VolumeStats }> {
  const acc = new StatsAccumulator();
  const stream = new FrameStream(basename(path), frame, (values) => acc.add(values));
  const img = await readNiftiFile(path, {}, (file, end) => stream.advance(file, end));
  const streamed = stream.complete;
  return { img, streamed, stats: () => (streamed ? acc.result() : volumeStats(img.frame(frame))) };
}

export function infoText(doc: Record<string, unknown>): string {
  const intent = doc.intent as { kind: string; source: string; statistic?: string };
  return [
    `${doc.file}: ${(doc.dims as number[]).join('x')} x ${doc.frames} frame(s), ${doc.datatypeName}, voxels ${(doc.pixdim as number[]).join('x')} mm`,
    `frame ${doc.frame}: intent ${intent.kind}${intent.statistic ? ` (${intent.statistic})` : ''}, from the ${intent.source === 'afni' ? 'AFNI header extension' : intent.source}; affine from ${doc.affineSource}`,
    `frame ${doc.frame}: min ${doc.min}, max ${doc.max}, ${doc.nanCount} NaN voxel(s)`,
    ...(Array.isArray(doc.frameLabels)
      ? [`frame labels: ${(doc.frameLabels as string[]).map((l, k) => `${k} ${l}`).join(', ')}`]
      : []),
    ...(Array.isArray(doc.notes) ? (doc.notes as string[]).map((n) => `note: ${n}`) : []),
  ].join('\n');
}

const INFO_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'frame',
    value: 'K',
    help: 'the frame (from 0) whose intent (AFNI names one per frame), min, max and NaN count are given (default 0)',
  },
];

export const INFO_COMMAND: CommandSpec = {
  name: 'info',
  usage: 'info FILE [--frame K]',
  summary:
    "A map's header as read: dims, frames, voxel sizes, datatype, intent (the statistic and its df, from the header or SPM's descrip), affine, and one frame's range.",
  options: INFO_OPTIONS,
  async run(argv) {
    const p = parseOptions(argv, INFO_OPTIONS);
    if (p.positionals.length !== 1) throw new UsageError('info takes one FILE');
    const frame = numberFlag(p, 'frame', (n) => Number.isInteger(n) && n >= 0) ?? 0;
    const engine = cpuOnlyEngine(p, 'info');
    const { img, stats } = await readWithStats(p.positionals[0]!, frame);
    if (frame >= img.frames) throw new UsageError(`--frame ${frame}: ${img.name} has ${img.frames} frame(s)`);
    const doc = infoDocument(img, frame, stats());
    return { doc: { ...doc, engine }, text: infoText(doc) };
  },
};
