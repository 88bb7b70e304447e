import { GroupError } from '../group/design';
import type { FTest, GlmModel, TContrast } from './model';

/**
 * FSL's model files (design.mat, .con, .fts, .grp) as FSL's Glm GUI and Text2Vest write them (VEST:
 * /NumWaves, /NumPoints or /NumContrasts, /ContrastNameK, /Matrix then the rows), or a plain
 * whitespace table; and the same files written from a model, so randomise can run it.
 */
export interface VestMatrix {
  readonly rows: number[][];
  /** /ContrastNameK, by K (1-based). */
  readonly names: ReadonlyMap<number, string>;
}

/** Reads VEST text or a plain table. `what` names the file in errors ("design.mat"). */
export function readVest(text: string, what: string): VestMatrix {
  const lines = text.split(/\r?\n/);
  const vest = lines.some((l) => /^\s*\/Matrix\b/.test(l));
  const names = new Map<number, string>();
  const header = new Map<string, number>();
  let body = lines;
  if (vest) {
    const at = lines.findIndex((l) => /^\s*\/Matrix\b/.test(l));
    for (const l of lines.slice(0, at)) {
      const m = /^\s*\/(\w+?)(\d*)\s+(.*?)\s*$/.exec(l);
      if (!m) continue;
      if (m[1] === 'ContrastName' && m[2]) names.set(Number(m[2]), m[3]!);
      else if (!m[2] && /^\d+$/.test(m[3]!)) header.set(m[1]!, Number(m[3]));
    }
    body = lines.slice(at + 1);
  }
  const rows: number[][] = [];
  body.forEach((l, k) => {
    const cells = l
      .trim()
      .split(/\s+/)
      .filter((c) => c.length);
    if (cells.length === 0) return;
    const row = cells.map(Number);
    const bad = cells.findIndex(
      (c, j) => !Number.isFinite(row[j]!) || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(c),
    );
    if (bad >= 0)
      throw new GroupError(
        'DESIGN',
        `${what}: "${cells[bad]}" on line ${k + 1 + (lines.length - body.length)} is not a number`,
      );
    rows.push(row);
  });
  const width = rows[0]?.length ?? 0;
  const ragged = rows.findIndex((r) => r.length !== width);
  if (ragged >= 0)
    throw new GroupError('DESIGN', `${what}: row ${ragged + 1} has ${rows[ragged]!.length} values, row 1 has ${width}`);
  const waves = header.get('NumWaves');
  if (waves !== undefined && rows.length && waves !== width)
    throw new GroupError('DESIGN', `${what}: /NumWaves is ${waves} but the rows hold ${width} values`);
  const count = header.get('NumPoints') ?? header.get('NumContrasts');
  if (count !== undefined && count !== rows.length)
    throw new GroupError(
      'DESIGN',
      `${what}: /NumPoints or /NumContrasts is ${count} but /Matrix has ${rows.length} rows`,
    );
  return { rows, names };
}

/** The model from FSL's files' texts. Contrast names from /ContrastNameK, else C1, C2 ...; F-tests F1 ... */
export function modelFromFsl(
  files: { design: string; contrasts: string; fTests?: string; blocks?: string },
  columns?: readonly string[],
): GlmModel {
  const design = readVest(files.design, 'design.mat');
  const p = design.rows[0]?.length ?? 0;
  if (design.rows.length === 0) throw new GroupError('DESIGN', 'design.mat has no rows');
  const con = readVest(files.contrasts, 'design.con');
  if (con.rows.length === 0) throw new GroupError('DESIGN', 'design.con has no contrast');
  const contrasts: TContrast[] = con.rows.map((w, k) => ({ name: con.names.get(k + 1) ?? `C${k + 1}`, weights: w }));
  const fTests: FTest[] = [];
  if (files.fTests !== undefined) {
    const fts = readVest(files.fTests, 'design.fts');
    fts.rows.forEach((r, k) => {
      if (r.length !== contrasts.length)
        throw new GroupError(
          'DESIGN',
          `design.fts: F-test ${k + 1} has ${r.length} entries, one per contrast (${contrasts.length}) is needed`,
        );
      fTests.push({ name: `F${k + 1}`, contrasts: r.flatMap((x, i) => (x !== 0 ? [i] : [])) });
    });
  }
  let blocks: number[] | null = null;
  if (files.blocks !== undefined) {
    const grp = readVest(files.blocks, 'design.grp');
    if (grp.rows.some((r) => r.length !== 1 || !Number.isInteger(r[0])))
      throw new GroupError('DESIGN', 'design.grp: one whole number (the block) per row');
    blocks = grp.rows.map((r) => r[0]!);
  }
  return {
    columns: columns ?? Array.from({ length: p }, (_, j) => `EV${j + 1}`),
    rows: design.rows,
    contrasts,
    fTests,
    blocks,
  };
}

const num = (x: number): string =>
  Number.isInteger(x)
    ? String(x)
    : x
        .toPrecision(12)
        .replace(/\.?0+$/, '')
        .replace(/\.?0+e/, 'e');

function matrixText(rows: readonly (readonly number[])[]): string {
  return rows.map((r) => r.map(num).join('\t')).join('\n');
}

/** The model as FSL's four files' texts (fts and grp null when the model has none). */
export function fslTexts(model: GlmModel): { mat: string; con: string; fts: string | null; grp: string | null } {
  const p = model.columns.length;
  const n = model.rows.length;
  const mat = `/NumWaves\t${p}\n/NumPoints\t${n}\n/PPheights\t${Array(p).fill(1).join('\t')}\n\n/Matrix\n${matrixText(model.rows)}\n`;
  const names = model.contrasts.map((c, k) => `/ContrastName${k + 1}\t${c.name}`).join('\n');
  const con = `${names}\n/NumWaves\t${p}\n/NumContrasts\t${model.contrasts.length}\n/PPheights\t${Array(model.contrasts.length).fill(1).join('\t')}\n/RequiredEffect\t${Array(model.contrasts.length).fill(1).join('\t')}\n\n/Matrix\n${matrixText(model.contrasts.map((c) => c.weights))}\n`;
  const fts = model.fTests.length
    ? `/NumWaves\t${model.contrasts.length}\n/NumContrasts\t${model.fTests.length}\n\n/Matrix\n${matrixText(model.fTests.map((f) => model.contrasts.map((_, i) => (f.contrasts.includes(i) ? 1 : 0))))}\n`
    : null;
  const grp = model.blocks ? `/NumWaves\t1\n/NumPoints\t${n}\n\n/Matrix\n${model.blocks.join('\n')}\n` : null;
  return { mat, con, fts, grp };
}
