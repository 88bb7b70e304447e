import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/shared';

/** The project's size rules (CONTRIBUTING.md): a file a reader can hold in mind, a function that fits a screen. */
const MAX_FILE_LINES = 450;
const MAX_FUNCTION_LINES = 80;

/** The folders the file rule covers, each with the extensions of the files it holds that are ours to read. */
const FILE_RULE: [folder: string, extensions: string[]][] = [
  ['src', ['.ts']],
  ['shaders', ['.wgsl']],
  ['scripts', ['.ts', '.mjs']],
  ['bench', ['.ts', '.mjs']],
  ['tests', ['.ts', '.mjs']],
];

function filesUnder(folder: string, extensions: readonly string[]): string[] {
  return readdirSync(join(REPO, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && extensions.some((x) => e.name.endsWith(x)))
    .map((e) => relative(REPO, join(e.parentPath, e.name)))
    .sort();
}

/** Lines as an editor numbers them: a final newline does not start another line. */
function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

type Sized = { where: string; lines: number };

/** Every function with a body in a TypeScript file: declarations, methods, accessors, constructors, arrows and expressions. */
function functionSizes(file: string): Sized[] {
  const source = ts.createSourceFile(file, readFileSync(join(REPO, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Sized[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isFunctionDeclaration(node) ||
        ts.isMethodDeclaration(node) ||
        ts.isGetAccessor(node) ||
        ts.isSetAccessor(node) ||
        ts.isConstructorDeclaration(node) ||
        ts.isArrowFunction(node) ||
        ts.isFunctionExpression(node)) &&
      node.body
    ) {
      // From the first token (its doc comment is not counted) to the closing brace, both lines included.
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      out.push({ where: `${file}:${first + 1} ${functionName(node, source)}`, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function functionName(node: ts.SignatureDeclaration, source: ts.SourceFile): string {
  if (node.name) return node.name.getText(source);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText(source);
  return '(anonymous)';
}

const report = (offenders: Sized[], limit: number): string =>
  offenders
    .sort((a, b) => b.lines - a.lines)
    .map((o) => `${o.where}: ${o.lines} lines (limit ${limit})`)
    .join('\n');

describe('size rules', () => {
  it(`no source, shader, script, bench or test file runs past ${MAX_FILE_LINES} lines`, () => {
    const files = FILE_RULE.flatMap(([folder, extensions]) => filesUnder(folder, extensions));
    // The walk must find the tree, or the rule would pass on nothing.
    expect(files).toContain('src/main.ts');
    expect(files.some((f) => f.endsWith('.wgsl'))).toBe(true);
    const offenders = files
      .map((f) => ({ where: f, lines: lineCount(readFileSync(join(REPO, f), 'utf8')) }))
      .filter((f) => f.lines > MAX_FILE_LINES);
    expect(report(offenders, MAX_FILE_LINES)).toBe('');
  });

  it(`no function in src/ runs past ${MAX_FUNCTION_LINES} lines`, () => {
    const sizes = filesUnder('src', ['.ts']).flatMap(functionSizes);
    expect(sizes.length).toBeGreaterThan(500);
    const offenders = sizes.filter((s) => s.lines > MAX_FUNCTION_LINES);
    expect(report(offenders, MAX_FUNCTION_LINES)).toBe('');
  });

  it('counts lines as an editor numbers them', () => {
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
    const [arrow] = functionSizes('tests/unit/size-rules.test.ts').filter((s) => s.where.endsWith(' lineCount'));
    expect(arrow?.lines).toBe(3);
  });
});
