import { INTENT_ESTIMATE, INTENT_FTEST, INTENT_TTEST, INTENT_ZSCORE, intentKind, type Intent } from './intent';

/** The NIfTI extension code AFNI writes its attributes under (nifti1.h NIFTI_ECODE_AFNI). */
export const ECODE_AFNI = 4;

/** What AFNI's header extension says of each frame (sub-brick). */
export interface AfniFrames {
  /** BRICK_LABS, one label per frame ("~"-separated), or null when absent. */
  readonly labels: string[] | null;
  /** Each frame's statistic as an intent (source 'afni'); null where AFNI names none it can say. */
  readonly intents: (Intent | null)[];
  /** What could not be read (malformed XML, a symbol not understood): said, never thrown. */
  readonly notes: string[];
}

/** AFNI's statistic symbols (BRICK_STATSYM) and codes (BRICK_STATAUX), which are NIfTI's intent codes. */
const SYMBOLS: Readonly<Record<string, number>> = {
  correl: 2,
  ttest: INTENT_TTEST,
  ftest: INTENT_FTEST,
  zscore: INTENT_ZSCORE,
  chisq: 6,
  beta: 7,
  binom: 8,
  gamma: 9,
  poisson: 10,
};

/** Parameters each code takes (AFNI's FUNC_need_stat_aux). */
const PARAMS: Readonly<Record<number, number>> = { 2: 3, 3: 1, 4: 2, 5: 0, 6: 1, 7: 2, 8: 2, 9: 2, 10: 1 };

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#(\d+)|#x([0-9a-f]+));/gi, (_, name: string, dec?: string, hex?: string) =>
    dec
      ? String.fromCodePoint(Number(dec) % 0x110000)
      : hex
        ? String.fromCodePoint(parseInt(hex, 16) % 0x110000)
        : ENTITIES[name.toLowerCase()]!,
  );
}

/**
 * The attributes of AFNI's XML (<AFNI_atr atr_name="NAME" ...> value </AFNI_atr>), by name: a
 * string attribute's quoted pieces joined, a number attribute's values. No DOM: a small scanner that
 * takes what it can read and notes the rest.
 */
export function afniAttributes(xml: string, notes: string[]): Map<string, string | number[]> {
  const out = new Map<string, string | number[]>();
  const element = /<AFNI_atr\b([^>]*)>([\s\S]*?)<\/AFNI_atr>/g;
  for (let m = element.exec(xml); m; m = element.exec(xml)) {
    const attrs = m[1]!;
    const name = /\batr_name\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1];
    if (!name) {
      notes.push('an AFNI attribute without atr_name was skipped');
      continue;
    }
    const type = /\bni_type\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1] ?? 'String';
    const body = m[2]!;
    if (/^string$/i.test(type)) {
      const pieces = [...body.matchAll(/"([^"]*)"/g)].map((q) => unescapeXml(q[1]!));
      out.set(name, pieces.length ? pieces.join('') : unescapeXml(body.trim()));
    } else {
      const values = body.trim().split(/\s+/).filter(Boolean).map(Number);
      if (values.some((v) => !Number.isFinite(v)))
        notes.push(`AFNI attribute ${name} holds values that are not numbers; ignored`);
      else out.set(name, values);
    }
  }
  if (!out.size && xml.trim())
    notes.push(
      'the AFNI header extension holds no attribute this reader understands (malformed XML?); frames are read without it',
    );
  return out;
}

function intentOf(code: number, params: readonly number[]): Intent {
  return {
    code,
    kind: intentKind(code),
    name: '',
    p1: params[0] ?? 0,
    p2: params[1] ?? 0,
    p3: params[2] ?? 0,
    source: 'afni',
  };
}

/** "Ttest(134)", "Ftest(2,130)", "Zscore()", "none" -> an intent; null with a note for what is not understood. */
export function statSymbol(sym: string, frame: number, notes: string[]): Intent | null {
  const s = sym.trim();
  if (!s || /^none$/i.test(s)) return intentOf(INTENT_ESTIMATE, []);
  const m = /^([A-Za-z]+)\s*\(([^)]*)\)$/.exec(s);
  const code = m ? SYMBOLS[m[1]!.toLowerCase()] : undefined;
  if (!m || code === undefined) {
    notes.push(
      `frame ${frame}: AFNI statistic "${s}" is not one SigLens reads; the frame's kind comes from its values`,
    );
    return null;
  }
  const params = m[2]!.trim() ? m[2]!.split(',').map((p) => Number(p.trim())) : [];
  if (params.length !== PARAMS[code] || !params.every(Number.isFinite)) {
    notes.push(`frame ${frame}: AFNI statistic "${s}" should have ${PARAMS[code]} parameter(s); ignored`);
    return null;
  }
  return intentOf(code, params);
}

/** BRICK_STATAUX: runs of [frame, code, n, n parameters]; a run that does not fit ends the reading, with a note. */
function statAux(values: readonly number[], frames: number, notes: string[]): Map<number, Intent> {
  const out = new Map<number, Intent>();
  for (let k = 0; k + 2 < values.length; ) {
    const [frame, code, n] = [values[k]!, values[k + 1]!, values[k + 2]!];
    if (
      !Number.isInteger(frame) ||
      frame < 0 ||
      frame >= frames ||
      !Number.isInteger(n) ||
      n < 0 ||
      k + 3 + n > values.length
    ) {
      notes.push('AFNI BRICK_STATAUX is malformed; the rest of it is ignored');
      break;
    }
    const params = values.slice(k + 3, k + 3 + n);
    if (PARAMS[code] === n) out.set(frame, intentOf(code, params));
    k += 3 + n;
  }
  return out;
}

/**
 * Each frame's label and statistic from AFNI's header extension: BRICK_LABS ("~"-separated labels),
 * BRICK_STATSYM ("none;Ttest(134)", one per frame: Ttest(df) a t-map, Ftest(a,b) an F-map, Zscore() a
 * z-map, none an effect estimate), and BRICK_STATAUX where STATSYM says nothing. Never throws.
 */
export function afniFrames(xml: string, frames: number): AfniFrames {
  const notes: string[] = [];
  const atr = afniAttributes(xml, notes);
  const labs = atr.get('BRICK_LABS');
  let labels: string[] | null = null;
  if (typeof labs === 'string') {
    labels = labs.split('~');
    if (labels.length !== frames) {
      notes.push(`AFNI BRICK_LABS names ${labels.length} frame(s) where the file has ${frames}`);
      labels = Array.from({ length: frames }, (_, k) => labels![k] ?? '');
    }
  }
  const intents: (Intent | null)[] = Array.from({ length: frames }, () => null);
  const sym = atr.get('BRICK_STATSYM');
  if (typeof sym === 'string') {
    const parts = sym.split(';');
    if (parts.length !== frames)
      notes.push(`AFNI BRICK_STATSYM gives ${parts.length} statistic(s) where the file has ${frames} frame(s)`);
    for (let k = 0; k < frames && k < parts.length; k++) intents[k] = statSymbol(parts[k]!, k, notes);
  }
  const aux = atr.get('BRICK_STATAUX');
  if (Array.isArray(aux)) {
    for (const [k, intent] of statAux(aux, frames, notes)) {
      const s = intents[k];
      if (!s || s.code === INTENT_ESTIMATE) intents[k] = intent;
    }
  }
  return { labels, intents, notes };
}

/** Upper bound on the header extensions read (bytes): AFNI's are a few KiB; more is skipped with a note. */
export const MAX_EXTENSION_BYTES = 4 << 20;

/**
 * The AFNI extension's XML among a NIfTI file's extensions (the bytes after the header up to
 * vox_offset, starting with the 4-byte extender), or null. Malformed sizes end the walk with a note.
 */
export function afniExtension(bytes: Uint8Array, littleEndian: boolean, notes: string[]): string | null {
  if (bytes.length < 4 || bytes[0] === 0) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let off = 4; off + 8 <= bytes.length; ) {
    const size = dv.getInt32(off, littleEndian);
    const code = dv.getInt32(off + 4, littleEndian);
    if (size < 8 || off + size > bytes.length) {
      notes.push(
        `a header extension's size (${size} bytes at byte ${off}) does not fit before the data; extensions ignored from there`,
      );
      return null;
    }
    if (code === ECODE_AFNI) {
      const body = bytes.subarray(off + 8, off + size);
      const end = body.indexOf(0);
      return new TextDecoder('utf-8', { fatal: false }).decode(end >= 0 ? body.subarray(0, end) : body);
    }
    off += size;
  }
  return null;
}

/**
 * AFNI's per-frame labels and statistics from the bytes between the header and vox_offset (`read`
 * false: they were too many and were skipped). Null when the file has no AFNI extension; never throws.
 */
export function afniFramesOf(ext: Uint8Array, littleEndian: boolean, frames: number, read = true): AfniFrames | null {
  const notes: string[] = read ? [] : [`the header extensions (over ${MAX_EXTENSION_BYTES} bytes) were skipped`];
  const xml = read ? afniExtension(ext, littleEndian, notes) : null;
  if (xml === null) return notes.length ? { labels: null, intents: [], notes } : null;
  const f = afniFrames(xml, frames);
  return { ...f, notes: [...notes, ...f.notes] };
}
