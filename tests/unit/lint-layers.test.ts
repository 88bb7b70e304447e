import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/shared';

// The layer and cycle rules live in biome.json's overrides; these tests run the project's Biome with that very
// file over a small tree in a temporary folder, so a rule that stops catching what it should fails here.

interface Finding {
  readonly category: string;
  readonly message: string;
  readonly location: { readonly path: string };
}

const BIOME = join(REPO, 'node_modules/.bin/biome');
let dir: string | null = null;

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** Writes `files` (path under the temporary root -> source) beside a copy of biome.json and lints them. */
function lint(files: Record<string, string>): Finding[] {
  dir = mkdtempSync(join(tmpdir(), 'siglens-lint-'));
  const config = JSON.parse(readFileSync(join(REPO, 'biome.json'), 'utf8')) as Record<string, unknown>;
  // The copy is not in a git checkout (no .gitignore to read) and has no node_modules to find the schema in.
  delete config.vcs;
  delete config.$schema;
  writeFileSync(join(dir, 'biome.json'), JSON.stringify(config));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const run = spawnSync(BIOME, ['lint', '--reporter=json', '--max-diagnostics=none', '.'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const start = run.stdout.indexOf('{');
  expect(start, `biome printed no report: ${run.stderr}`).toBeGreaterThanOrEqual(0);
  const report = JSON.parse(run.stdout.slice(start)) as { diagnostics: Finding[] };
  return report.diagnostics;
}

const rules = (findings: Finding[]): string[] => findings.map((f) => `${f.location.path}: ${f.category}`).sort();

describe('the layer rules in biome.json', () => {
  it('catch src/nifti importing src/ui, and say which layers may not meet', () => {
    const findings = lint({
      'src/ui/panel.ts': 'export const panel = 1;\n',
      'src/nifti/read.ts': "import { panel } from '../ui/panel';\n\nexport const read = panel;\n",
    });
    expect(rules(findings)).toEqual(['src/nifti/read.ts: lint/style/noRestrictedImports']);
    expect(findings[0]!.message).toContain('src/nifti may not import src/ui');
  });

  it('catch a forbidden import from a sub-folder, a type-only one, cli reaching into app, and Lit in analysis', () => {
    const findings = lint({
      'src/app/store.ts': 'export type Store = { n: number };\n',
      'src/view/pane.ts': 'export const pane = 1;\n',
      'src/analysis/group/run.ts': "import { pane } from '../../view/pane';\n\nexport const run = pane;\n",
      'src/compute/engine.ts':
        "import type { Store } from '../app/store';\n\nexport const engine = (s: Store): number => s.n;\n",
      'src/cli/main.ts':
        "import type { Store } from '../app/store';\n\nexport const main = (s: Store): number => s.n;\n",
      'src/analysis/render.ts': "import { html } from 'lit';\n\nexport const render = html;\n",
    });
    expect(rules(findings)).toEqual([
      'src/analysis/group/run.ts: lint/style/noRestrictedImports',
      'src/analysis/render.ts: lint/style/noRestrictedImports',
      'src/cli/main.ts: lint/style/noRestrictedImports',
      'src/compute/engine.ts: lint/style/noRestrictedImports',
    ]);
  });

  it('catch DOM globals in the layers that run in Node', () => {
    const findings = lint({ 'src/analysis/title.ts': 'export const title = (): string => document.title;\n' });
    expect(rules(findings)).toEqual(['src/analysis/title.ts: lint/style/noRestrictedGlobals']);
  });

  it('let imports run down the layers: ui -> app -> analysis -> compute -> nifti, cli -> analysis', () => {
    const findings = lint({
      'src/nifti/header.ts': 'export const dims = 3;\n',
      'src/compute/engine.ts': "import { dims } from '../nifti/header';\n\nexport const engine = dims;\n",
      'src/analysis/group/run.ts': "import { engine } from '../../compute/engine';\n\nexport const run = engine;\n",
      'src/report/build.ts': "import { run } from '../analysis/group/run';\n\nexport const build = run;\n",
      'src/app/store.ts': "import { build } from '../report/build';\n\nexport const store = build;\n",
      'src/ui/panel.ts': "import { store } from '../app/store';\n\nexport const panel = store;\n",
      'src/cli/main.ts': "import { run } from '../analysis/group/run';\n\nexport const main = run;\n",
    });
    expect(rules(findings)).toEqual([]);
  });
});

describe('the cycle rule in biome.json', () => {
  it('catches two modules that import each other, even for types only', () => {
    const findings = lint({
      'src/analysis/clusters.ts':
        "import type { Peak } from './subpeaks';\n\nexport type Table = { peaks: Peak[] };\nexport const clusters = 1;\n",
      'src/analysis/subpeaks.ts':
        "import type { Table } from './clusters';\n\nexport type Peak = { n: number };\nexport const first = (t: Table): Peak | undefined => t.peaks[0];\n",
    });
    expect(rules(findings)).toEqual([
      'src/analysis/clusters.ts: lint/suspicious/noImportCycles',
      'src/analysis/subpeaks.ts: lint/suspicious/noImportCycles',
    ]);
  });
});
