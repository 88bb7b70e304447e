import { isNiftiError } from '../nifti';
import { UsageError } from './args';
import { commandHelp, type CommandSpec } from './command';
import { INFO_COMMAND } from './info';
import { CLUSTERS_COMMAND } from './clusters';
import { ROI_COMMAND } from './roi';
import { SIGNATURE_COMMAND } from './signature';
import { BATCH_COMMAND } from './batch';
import { GROUP_COMMAND } from './group-command';
import { REPORT_COMMAND } from './report';

/**
 * Every command, in the order `siglens --help` lists them. A new command is one row here: main
 * dispatches by it, `--help` prints from it, and tests/unit/cli-contract.test.ts loops over it.
 */
export const COMMANDS: readonly CommandSpec[] = [
  INFO_COMMAND,
  CLUSTERS_COMMAND,
  SIGNATURE_COMMAND,
  ROI_COMMAND,
  BATCH_COMMAND,
  GROUP_COMMAND,
  REPORT_COMMAND,
];

const USAGE = `usage: siglens <command> [options] [--json] [--engine auto|gpu|cpu]   (siglens <command> --help: its options)
${COMMANDS.map((c) => `  ${c.usage}`).join('\n')}`;

/** Runs one command; returns the exit code. Output: one JSON document (--json) or text on stdout. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    const spec = COMMANDS.find((c) => c.name === command);
    if (!spec) throw new UsageError(`unknown command "${command}"\n${USAGE}`);
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
