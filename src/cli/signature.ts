import { METRICS, responseOf, SignatureScorer, type Metric, type ResampleDirection } from '../analysis/signature';
import type { NiftiImage } from '../nifti';
import { flag, parseOptions, UsageError, type OptionSpec } from './args';
import type { CommandSpec } from './command';
import { engineDocument, engineFrom } from './engine';
import { readNiftiFile } from './files';

const DIRECTIONS: readonly ResampleDirection[] = ['weights-to-data', 'data-to-weights'];
export const SIGNATURE_USAGE =
  'signature WEIGHTS FILE... [--metric dot|cosine|correlation] [--resample weights-to-data|data-to-weights]';

export function namedMap(img: NiftiImage) {
  return { name: img.name, data: img.frame(0), dims: img.dims, affine: Array.from(img.affine) };
}

export async function signatureCommand(argv: string[]): Promise<{ doc: unknown; text: string }> {
  const p = parseOptions(argv, SIGNATURE_OPTIONS);
  if (p.positionals.length < 2) throw new UsageError(`usage: siglens ${SIGNATURE_USAGE}`);
  const metric = (flag(p, 'metric') ?? 'dot') as Metric;
  if (!METRICS.includes(metric)) throw new UsageError(`--metric must be one of ${METRICS.join(', ')}`);
  const direction = (flag(p, 'resample') ?? 'weights-to-data') as ResampleDirection;
  if (!DIRECTIONS.includes(direction)) throw new UsageError(`--resample must be one of ${DIRECTIONS.join(', ')}`);
  const [weightsPath, ...files] = p.positionals as [string, ...string[]];
  const weights = namedMap(await readNiftiFile(weightsPath));
  const choice = await engineFrom(p);
  try {
    const scorer = new SignatureScorer(weights, direction, choice.engine);
    const results = [];
    // One map at a time: a batch of hundreds never sits in memory at once.
    for (const f of files) results.push(responseOf(await scorer.score(namedMap(await readNiftiFile(f))), metric));
    const doc = { metric, resample: direction, weights: weights.name, results, engine: engineDocument(choice) };
    const text = [
      `${weights.name}, ${metric} (${direction}); engine: ${choice.engine.description} (${choice.reason})`,
      ...results.map(
        (r) => `${r.file}\t${r.value ?? 'null'}\t${r.voxels} voxels${r.notes.length ? `\t${r.notes.join('; ')}` : ''}`,
      ),
    ].join('\n');
    return { doc, text };
  } finally {
    choice.engine.dispose();
  }
}

const SIGNATURE_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'metric',
    value: 'dot|cosine|correlation',
    help: 'the response (default dot: sum of weight x value over the voxel set)',
  },
  {
    name: 'resample',
    value: 'weights-to-data|data-to-weights',
    help: "which grid the other is resampled into (default weights-to-data, CANlab's)",
  },
];

export const SIGNATURE_COMMAND: CommandSpec = {
  name: 'signature',
  usage: SIGNATURE_USAGE,
  summary: "Each map's signature response (CANlab apply_mask 'pattern_expression'), with the voxels it covers.",
  options: SIGNATURE_OPTIONS,
  run: signatureCommand,
};
