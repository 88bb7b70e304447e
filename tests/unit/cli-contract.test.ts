import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siglens } from '../helpers/cli';
import { COMMANDS } from '../../src/cli/main';
import { COMMON_OPTIONS } from '../../src/cli/args';
import { REPO } from '../helpers/shared';

const SAMPLE = (f: string): string => join(REPO, 'sample-data', f);
const SUBJECTS = join(REPO, 'sample-data/subjects');
const MAP = SAMPLE('group_pain_post_zstat.nii.gz');
const WEIGHTS = SAMPLE('demo_signature_SYNTHETIC.nii.gz');
const subjectMaps = readdirSync(SUBJECTS)
  .filter((f) => /sub-0[1-3]_.*\.nii\.gz$/.test(f))
  .map((f) => join(SUBJECTS, f));

/**
 * A run of each command that succeeds, on the generated sample data. Every command in COMMANDS must
 * have one: a new command fails this test until it is given its example.
 */
const EXAMPLES: Record<string, string[]> = {
  info: [MAP],
  clusters: [MAP, '--threshold', '3.1'],
  signature: [WEIGHTS, MAP],
  roi: [MAP, '--sphere', '0,0,0,6,centre'],
  batch: [WEIGHTS, ...subjectMaps, '--pair', 'ses-pre,ses-post'],
  group: [...subjectMaps, '--design', 'paired', '--pair', 'ses-pre,ses-post', '--permutations', 'all'],
  report: [MAP, '--threshold', '3.1'],
};

describe('one command-line contract, every command', () => {
  it('every command has an example run here', () => {
    expect(COMMANDS.map((c) => c.name).filter((n) => !EXAMPLES[n])).toEqual([]);
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  });

  for (const c of COMMANDS) {
    it(`${c.name}: --help lists its options; --engine cpu|gpu|auto is accepted and engine says what ran`, async () => {
      const spec = await c.load();
      expect(spec.name).toBe(c.name);
      const help = siglens(c.name, '--help');
      expect(help.code, help.stderr).toBe(0);
      expect(help.stdout).toContain(`usage: siglens ${c.name}`);
      for (const o of [...spec.options, ...COMMON_OPTIONS])
        expect(help.stdout, o.name).toMatch(new RegExp(`--${o.name}\\b`));
      const args = EXAMPLES[c.name] ?? [];
      const cpu = siglens(c.name, ...args, '--engine', 'cpu', '--json');
      expect(cpu.code, cpu.stderr).toBe(0);
      const engine = (JSON.parse(cpu.stdout) as { engine: { kind: string; reason: string } }).engine;
      expect(engine.kind).toBe('cpu');
      expect(engine.reason.length).toBeGreaterThan(5);
      // auto must run anywhere (no adapter: the CPU); gpu may fail here for want of an adapter, but never as an unknown option.
      expect(siglens(c.name, ...args, '--engine', 'auto', '--json').code).toBe(0);
      expect(siglens(c.name, ...args, '--engine', 'gpu', '--json').stderr).not.toMatch(/unknown option/);
      const bad = siglens(c.name, ...args, '--engine', 'quantum');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--engine must be one of auto, gpu, cpu/);
      const unknown = siglens(c.name, ...args, '--frobnicate');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/unknown option --frobnicate/);
    }, 120_000);
  }

  it('siglens --help lists every command', () => {
    const r = siglens('--help');
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.name} `);
  });
});
