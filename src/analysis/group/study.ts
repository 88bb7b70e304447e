import { isNiftiError } from '../../nifti';
import { GroupError, type Excluded, type GroupDesign, type SubjectFiles } from './design';
import { StackBuilder, type MapInput } from './stack';

export interface StudyReading<M extends MapInput> {
  /** Reads one of a subject's files (a path in the command, a Blob's name in the page). */
  readonly read: (file: string) => Promise<M>;
  /** How an excluded file is named to the user (default: as given). */
  readonly fileName?: (file: string) => string;
  /** Called with the first readable subject's first map, before the next subject is read. */
  readonly onFirst?: (map: M) => void;
  /**
   * Called with each map whose values the stack has taken (never the first subject's, which the
   * caller keeps): the reader may decode the next map into its data.
   */
  readonly release?: (map: M) => void;
  readonly signal?: AbortSignal;
}

export interface StudyRead<M extends MapInput> {
  readonly builder: StackBuilder;
  readonly kept: SubjectFiles[];
  readonly first: M;
}

/**
 * Reads a study one subject at a time into a stack (a paired subject's post - pre kept, the maps
 * let go), for `siglens group` and the page's Group panel alike. An unreadable file goes to
 * `excluded` with its pair and the rest go on; fewer than two usable subjects is an error.
 */
export async function readStudy<M extends MapInput>(
  subjects: readonly SubjectFiles[],
  excluded: Excluded[],
  design: GroupDesign,
  how: StudyReading<M>,
): Promise<StudyRead<M>> {
  const builder = new StackBuilder();
  const kept: SubjectFiles[] = [];
  let first: M | null = null;
  for (const s of subjects) {
    how.signal?.throwIfAborted();
    const maps: M[] = [];
    try {
      for (const f of s.files) maps.push(await how.read(f));
    } catch (e) {
      if (!isNiftiError(e)) throw e;
      const also = s.files.length > 1 ? ` (${s.subject}'s other map is left out with it)` : '';
      const file = s.files[maps.length]!;
      excluded.push({ file: how.fileName ? how.fileName(file) : file, reason: `${e.reason}${also}` });
      continue;
    }
    const isFirst = !first;
    if (!first) {
      first = maps[0]!;
      how.onFirst?.(first);
    }
    if (design === 'paired') builder.addPair(maps[0]!, maps[1]!);
    else builder.add(maps[0]!);
    if (!isFirst) for (const m of maps) how.release?.(m);
    kept.push(s);
  }
  if (kept.length < 2 || !first) {
    const why = excluded.length ? `; excluded: ${excluded.map((e) => `${e.file} (${e.reason})`).join('; ')}` : '';
    throw new GroupError(
      'TOO_FEW',
      `fewer than two usable ${design === 'paired' ? 'pairs' : 'maps'} (${kept.length})${why}`,
    );
  }
  return { builder, kept, first };
}
