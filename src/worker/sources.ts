import type { ParseSource } from './protocol';

export interface Grouped {
  readonly sources: ParseSource[];
  /** Files that cannot be read alone, with the reason (an .hdr without its .img, ...). */
  readonly orphans: { readonly name: string; readonly reason: string }[];
}

const PAIR = /^(.*)\.(hdr|img)(\.gz)?$/i;

/** Turns chosen files into parse jobs: .hdr/.img halves are matched by name, everything else is one job. */
export function groupFiles(files: readonly File[]): Grouped {
  const sources: ParseSource[] = [];
  const orphans: { name: string; reason: string }[] = [];
  const halves = new Map<string, { hdr?: File; img?: File }>();
  for (const f of files) {
    const m = PAIR.exec(f.name);
    if (!m) {
      sources.push({ kind: 'file', file: f, name: f.name });
      continue;
    }
    const key = m[1]!.toLowerCase();
    const entry = halves.get(key) ?? {};
    if (m[2]!.toLowerCase() === 'hdr') entry.hdr = f;
    else entry.img = f;
    halves.set(key, entry);
  }
  for (const { hdr, img } of halves.values()) {
    if (hdr && img) sources.push({ kind: 'pair', hdr, img, name: hdr.name });
    else if (hdr) orphans.push({ name: hdr.name, reason: 'this .hdr needs its .img: choose both files together.' });
    else if (img) orphans.push({ name: img.name, reason: 'this .img needs its .hdr: choose both files together.' });
  }
  return { sources, orphans };
}
