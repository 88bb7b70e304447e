import { isNiftiError } from '../nifti';
import { flag, numberFlag, parseArgs, UsageError } from './args';
import { readNiftiFile } from './files';
import { infoDocument, infoText } from './info';
import { CLUSTERS_USAGE, clustersCommand } from './clusters';
import { ROI_USAGE, roiCommand } from './roi';
import { SIGNATURE_USAGE, signatureCommand } from './signature';
import { BATCH_USAGE, batchCommand } from './batch';
import { GROUP_USAGE, groupCommand } from './group';

const USAGE = `usage: siglens <command> [options] [--json] [--engine auto|gpu|cpu]
  info FILE [--frame K]
  ${CLUSTERS_USAGE}
  ${SIGNATURE_USAGE}
  ${ROI_USAGE}
  ${BATCH_USAGE}
  ${GROUP_USAGE}`;

/** Runs one command; returns the exit code. Output: one JSON document (--json) or text on stdout. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'info':
        return await info(rest);
      case 'clusters':
        return print(rest, await clustersCommand(rest));
      case 'signature':
        return print(rest, await signatureCommand(rest));
      case 'roi':
        return print(rest, await roiCommand(rest));
      case 'batch': {
        const out = await batchCommand(rest);
        // --csv prints the per-subject table as CSV; otherwise JSON or text as every command.
        return rest.includes('--csv') && !rest.includes('--json') ? emit(false, null, out.text.trimEnd()) : print(rest, out);
      }
      case 'group':
        return print(rest, await groupCommand(rest));
      case undefined:
      case '--help':
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    }
  } catch (e) {
    if (e instanceof UsageError || isNiftiError(e)) {
      process.stderr.write(`siglens: ${e.message.split('\n')[0]}\n`);
      return 2;
    }
    process.stderr.write(`siglens: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

function print(argv: string[], out: { doc: unknown; text: string }): number {
  return emit(argv.includes('--json'), out.doc, out.text);
}

function emit(json: boolean, doc: unknown, text: string): number {
  process.stdout.write(json ? `${JSON.stringify(doc)}\n` : `${text}\n`);
  return 0;
}

async function info(argv: string[]): Promise<number> {
  const p = parseArgs(argv, ['json'], ['frame']);
  if (p.positionals.length !== 1) throw new UsageError('info takes one FILE');
  const frame = numberFlag(p, 'frame', (n) => Number.isInteger(n) && n >= 0) ?? 0;
  const img = await readNiftiFile(p.positionals[0]!);
  if (frame >= img.frames) throw new UsageError(`--frame ${frame}: ${img.name} has ${img.frames} frame(s)`);
  const doc = infoDocument(img, frame);
  return emit(flag(p, 'json') === 'true', doc, infoText(doc));
}
