/** Region names (and colours, where the table gives them) of a label atlas, by the value in the image. */
export interface LabelTable {
  /** The table's file name. */
  readonly name: string;
  readonly format: 'fsl-xml' | 'bids-tsv' | 'freesurfer-lut' | 'itksnap' | 'niivue-json';
  readonly regions: ReadonlyMap<number, Region>;
}

export interface Region {
  readonly name: string;
  /** 0-255 each, when the table gives a colour. */
  readonly rgb?: readonly [number, number, number];
}

export class LabelTableError extends Error {
  override readonly name = 'LabelTableError';
}

/** File names that are label tables rather than images (the page reads them as text). */
export const LABEL_TABLE_FILE = /\.(xml|tsv|json|lut|ctbl|txt)$/i;

/**
 * Reads a label table from its text: FSL atlas XML, a BIDS dseg.tsv, a FreeSurfer colour LUT (and
 * the same "index name ..." layout AAL ships as aal.nii.txt), an ITK-SNAP label description, or
 * NiiVue's JSON colour map with labels. Throws LabelTableError saying what was wrong.
 */
export function parseLabelTable(name: string, text: string): LabelTable {
  const t = text.replace(/^\uFEFF/, '');
  const head = t.trimStart();
  let regions: Map<number, Region>;
  let format: LabelTable['format'];
  if (/\.xml$/i.test(name) || head.startsWith('<')) [format, regions] = ['fsl-xml', fslXml(t)];
  else if (/\.json$/i.test(name) || head.startsWith('{')) [format, regions] = ['niivue-json', niivueJson(t)];
  else if (/\.tsv$/i.test(name) || /^index\t/i.test(head)) [format, regions] = ['bids-tsv', bidsTsv(t)];
  else if (/^\s*\d+(\s+\d+){6}\s+"/m.test(t)) [format, regions] = ['itksnap', itkSnap(t)];
  else [format, regions] = ['freesurfer-lut', freeSurfer(t)];
  // Value 0 is the background in every one of these formats.
  regions.delete(0);
  if (!regions.size)
    // The caller names the file: a text dropped by mistake reads "notes.txt: neither ...".
    throw new LabelTableError(
      'neither a NIfTI map (.nii, .nii.gz, .hdr + .img) nor a label table: no labels found (expected FSL atlas XML, a BIDS dseg.tsv, a FreeSurfer/ITK-SNAP colour table or NiiVue JSON).',
    );
  return { name, format, regions };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string): string => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]!).trim();

/** FSL atlas XML: `<label index="0" ...>Name</label>`; a label image's value is index + 1 (FSL's atlasquery). */
function fslXml(t: string): Map<number, Region> {
  const out = new Map<number, Region>();
  for (const m of t.matchAll(/<label\b([^>]*)>([^<]*)<\/label>/g)) {
    const index = /\bindex\s*=\s*"(\d+)"/.exec(m[1]!);
    if (index) out.set(Number(index[1]) + 1, { name: unescapeXml(m[2]!) });
  }
  return out;
}

/** BIDS dseg.tsv: a header row naming `index` and `name` (and optionally `color`, #rrggbb). */
function bidsTsv(t: string): Map<number, Region> {
  const [header, ...rows] = t.split(/\r?\n/).filter((l) => l.trim());
  const cols = (header ?? '').split('\t').map((c) => c.trim().toLowerCase());
  const [ix, nx, cx] = [cols.indexOf('index'), cols.indexOf('name'), cols.indexOf('color')];
  if (ix < 0 || nx < 0) throw new LabelTableError('a dseg.tsv needs "index" and "name" columns in its first row.');
  const out = new Map<number, Region>();
  for (const r of rows) {
    const f = r.split('\t');
    const i = Number(f[ix]);
    if (!Number.isInteger(i)) continue;
    const hex = cx >= 0 ? /^#?([0-9a-f]{6})$/i.exec(f[cx]?.trim() ?? '') : null;
    const rgb = hex
      ? ([0, 2, 4].map((k) => parseInt(hex[1]!.slice(k, k + 2), 16)) as [number, number, number])
      : undefined;
    out.set(i, { name: (f[nx] ?? '').trim(), ...(rgb ? { rgb } : {}) });
  }
  return out;
}

/** FreeSurfer LUT: `index name R G B A` per line, `#` comments (AAL's `index name code` reads the same). */
function freeSurfer(t: string): Map<number, Region> {
  const out = new Map<number, Region>();
  for (const line of t.split(/\r?\n/)) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    if (f.length < 2 || !/^\d+$/.test(f[0]!)) continue;
    const c = f.slice(2, 5).map(Number);
    const rgb =
      f.length >= 5 && c.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)
        ? (c as [number, number, number])
        : undefined;
    out.set(Number(f[0]), { name: f[1]!, ...(rgb ? { rgb } : {}) });
  }
  return out;
}

/** ITK-SNAP: `IDX R G B A VIS MSH "LABEL"`. */
function itkSnap(t: string): Map<number, Region> {
  const out = new Map<number, Region>();
  for (const m of t.matchAll(/^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+[\d.]+\s+\d+\s+\d+\s+"([^"]*)"/gm)) {
    out.set(Number(m[1]), { name: m[5]!, rgb: [Number(m[2]), Number(m[3]), Number(m[4])] });
  }
  return out;
}

/** NiiVue's label colour map: `{R, G, B, A?, I?, labels}` (I: the values, else 0, 1, 2...). */
function niivueJson(t: string): Map<number, Region> {
  let j: unknown;
  try {
    j = JSON.parse(t);
  } catch (e) {
    throw new LabelTableError(`not JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  const o = j as { R?: unknown; G?: unknown; B?: unknown; I?: unknown; labels?: unknown };
  const arr = (x: unknown): number[] | null =>
    Array.isArray(x) && x.every((v) => typeof v === 'number') ? (x as number[]) : null;
  const [R, G, B] = [arr(o.R), arr(o.G), arr(o.B)];
  const labels = Array.isArray(o.labels) ? o.labels.map(String) : null;
  if (!labels) throw new LabelTableError('a NiiVue label colour map needs a "labels" array.');
  const I = arr(o.I) ?? labels.map((_, k) => k);
  const out = new Map<number, Region>();
  labels.forEach((name, k) => {
    const rgb = R && G && B && k < R.length ? ([R[k]!, G[k]!, B[k]!] as [number, number, number]) : undefined;
    if (I[k] !== undefined) out.set(I[k]!, { name, ...(rgb ? { rgb } : {}) });
  });
  return out;
}

/** The region a value names: the table's name, or "label N" when there is no table or no entry. */
export function regionName(table: LabelTable | null, value: number | null): string | null {
  if (value === null || !Number.isFinite(value) || value === 0) return null;
  return table?.regions.get(value)?.name ?? `label ${value}`;
}

/** A colour for every value: the table's, else one spread around the hue circle (golden angle). */
export function labelColour(table: LabelTable | null, value: number): readonly [number, number, number] {
  const c = table?.regions.get(value)?.rgb;
  if (c) return c;
  const h = (value * 137.508) % 360;
  return hslToRgb(h, 0.65, 0.55);
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}
