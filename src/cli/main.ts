import { isNiftiError } from '../nifti';
import { UsageError } from './args';
import { commandHelp, type CommandSpec } from './command';

/** A row of the command table: the command's name, and its module, loaded only when it is needed. */
export interface CommandRow {
  readonly name: string;
  load(): Promise<CommandSpec>;
}

/**
 * Every command, in the order `siglens --help` lists them. A new command is one row here: main
 * dispatches by it, `--help` prints from it, and tests/unit/cli-contract.test.ts loops over it. Each is
 * imported when run (the bundle is split by esbuild along these imports, scripts/build-cli.mjs): `info`
 * loads its reader, not the permutation engines.
 */
export const COMMANDS: readonly CommandRow[] = [
  { name: 'info', load: async () => (await import('./info')).INFO_COMMAND },
  { name: 'clusters', load: async () => (await import('./commands')).CLUSTERS_COMMAND },
  { name: 'signature', load: async () => (await import('./commands')).SIGNATURE_COMMAND },
  { name: 'roi', load: async () => (await import('./commands')).ROI_COMMAND },
  { name: 'batch', load: async () => (await import('./commands')).BATCH_COMMAND },
  { name: 'group', load: async () => (await import('./commands')).GROUP_COMMAND },
  { name: 'report', load: async () => (await import('./commands')).REPORT_COMMAND },
];

async function usage(): Promise<string> {
  const specs = await Promise.all(COMMANDS.map((c) => c.load()));
  return `usage: siglens <command> [options] [--json] [--engine auto|gpu|cpu]   (siglens <command> --help: its options)
${specs.map((c) => `  ${c.usage}`).join('\n')}`;
}

/** Runs one command; returns the exit code. Output: one JSON document (--json) or text on stdout. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === 'help') {
      process.stdout.write(`${await usage()}\n`);
      return command === undefined ? 2 : 0;
    }
    const row = COMMANDS.find((c) => c.name === command);
    if (!row) throw new UsageError(`unknown command "${command}"\n${await usage()}`);
    const spec = await row.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${commandHelp(spec)}\n`);
      return 0;
    }
    const out = await spec.run(rest);
    process.stdout.write(rest.includes('--json') ? `${JSON.stringify(out.doc)}\n` : `${out.text}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || isNiftiError(e)) {
      process.stderr.write(`siglens: ${e.message.split('\n')[0]}\n`);
      return 2;
    }
    process.stderr.write(`siglens: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
