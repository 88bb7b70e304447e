import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/shared';

const read = (f: string): string => readFileSync(join(REPO, f), 'utf8');

/** The README's "## Layout" section, up to the next second-level heading. */
function layoutSection(): string {
  const readme = read('README.md');
  const start = readme.indexOf('\n## Layout\n');
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Build outputs the docs name but no checkout holds (.gitignore's folders). */
const ignored = read('.gitignore')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l.endsWith('/'));

/** Every repository path in backticks: a folder (ends with /) or a file, under a top-level folder of the repository. */
function namedPaths(text: string): string[] {
  const roots = readdirSync(REPO, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => `${e.name}/`);
  const paths = [...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!.replace(/[.,;:]$/, ''));
  return [...new Set(paths.filter((p) => roots.some((r) => p.startsWith(r)) && !ignored.some((i) => p.startsWith(i))))];
}

/** Whether a path exists; a `*` in its last part matches any file of its folder. */
function exists(p: string): boolean {
  if (!p.includes('*')) return existsSync(join(REPO, p));
  const dir = dirname(p);
  const pattern = new RegExp(
    `^${p
      .slice(dir.length + 1)
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')}$`,
  );
  return existsSync(join(REPO, dir)) && readdirSync(join(REPO, dir)).some((f) => pattern.test(f));
}

describe('the layout the docs describe is the tree', () => {
  it('every folder and file the README layout section names exists', () => {
    const named = namedPaths(layoutSection());
    expect(named.filter((p) => p.endsWith('/')).length).toBeGreaterThanOrEqual(15);
    expect(named.filter((p) => !exists(p))).toEqual([]);
  });

  it('every folder and file docs/architecture.md names exists', () => {
    const named = namedPaths(read('docs/architecture.md'));
    expect(named.length).toBeGreaterThan(40);
    expect(named.filter((p) => !exists(p))).toEqual([]);
  });

  it('the README layout section names every folder under src/ and every shader', () => {
    const section = layoutSection();
    const srcFolders = readdirSync(join(REPO, 'src'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `${join(e.parentPath, e.name).slice(REPO.length + 1)}/`);
    expect(srcFolders.filter((f) => !section.includes(`\`${f}\``))).toEqual([]);
    const shaders = readdirSync(join(REPO, 'shaders'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.wgsl'));
    expect(shaders.length).toBeGreaterThanOrEqual(17);
    expect(
      shaders
        .map((f) => f.replace(/^.*\//, '').replace(/\.wgsl$/, ''))
        .filter((name) => !section.includes(`\`${name}\``)),
    ).toEqual([]);
  });
});
