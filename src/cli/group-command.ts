import type { OptionSpec } from './args';
import type { CommandSpec } from './command';
import { GROUP_USAGE, groupCommand } from './group';

/** `siglens group`'s options, for --help (the parser in group.ts accepts exactly these). */
export const GROUP_OPTIONS: readonly OptionSpec[] = [
  { name: 'design', value: 'one-sample|paired|two-sample', help: 'the test: one-sample on the maps, paired post - pre per subject, or two-sample A - B (pooled variance)' },
  { name: 'pair', value: 'PRE,POST', help: 'paired: the two sessions (BIDS ses- names), as batch pairs them' },
  { name: 'pattern', value: 'REGEX', help: 'paired: a pattern with named groups (?<sub>...) and (?<ses>...) instead of BIDS names' },
  { name: 'participants', value: 'TSV', help: 'two-sample: participants.tsv with the group column' },
  { name: 'group-column', value: 'COL', help: 'two-sample: the participants.tsv column holding each subject\'s group' },
  { name: 'groups', value: 'A,B', help: 'two-sample: the two groups, contrast A - B' },
  { name: 'mask', value: 'FILE', help: 'analyse only its non-zero voxels (within the maps\' implicit mask)' },
  { name: 'threshold', value: 'Z', help: 'cluster-forming threshold in z (default 2.3), applied to t with the same one-sided p' },
  { name: 'two-sided', help: 'test both signs: max |t|, positive and negative clusters apart' },
  { name: 'connectivity', value: '6|18|26', help: 'cluster connectivity (default 26)' },
  { name: 'permutations', value: 'N|all', help: 'permutation count (default 5000); all, or N >= the distinct count, runs each distinct one once' },
  { name: 'seed', value: 'S', help: 'seed of the random permutations' },
  { name: 'tfce', help: 'also TFCE (Smith & Nichols 2009, FSL defaults) with its FWE p' },
  { name: 'tfce-step', value: 'D', help: 'TFCE step dh (default the observed max t / 100)' },
  { name: 'tfce-e', value: 'E', help: 'TFCE extent exponent (default 0.5)' },
  { name: 'tfce-h', value: 'H', help: 'TFCE height exponent (default 2)' },
  { name: 'tfce-connectivity', value: '6|18|26', help: 'TFCE connectivity (default 6)' },
  { name: 'out', value: 'PREFIX', help: 'write PREFIX_tstat, _zstat, _vox_corrp, _clustere_corrp, _tfce_tstat, _tfce_corrp .nii.gz (1 - p in corrp maps)' },
  { name: 'threads', value: 'N', help: 'CPU engine: run the permutations on N threads (default every core); the same output for any N' },
  { name: 'merge-nulls', help: 'combine shards: group --merge-nulls SHARD.json... pools their nulls and recomputes every FWE p' },
];

export const GROUP_COMMAND: CommandSpec = {
  name: 'group',
  usage: GROUP_USAGE,
  summary: 'A voxelwise group t-test (one-sample, paired, two-sample) with permutation FWE p for max-T, cluster extent and mass, and TFCE, beside GRF p.',
  options: GROUP_OPTIONS,
  run: groupCommand,
};
