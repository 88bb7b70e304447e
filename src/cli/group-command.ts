import type { OptionSpec } from './args';
import type { CommandSpec } from './command';
import { GROUP_USAGE, groupCommand } from './group';

/** `siglens group`'s options, for --help (the parser in group.ts accepts exactly these). */
export const GROUP_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'design',
    value: 'one-sample|paired|two-sample',
    help: 'the test: one-sample on the maps, paired post - pre per subject, or two-sample A - B (pooled variance)',
  },
  { name: 'pair', value: 'PRE,POST', help: 'paired: the two sessions (BIDS ses- names), as batch pairs them' },
  {
    name: 'pattern',
    value: 'REGEX',
    help: 'paired: a pattern with named groups (?<sub>...) and (?<ses>...) instead of BIDS names',
  },
  {
    name: 'participants',
    value: 'TSV',
    help: 'participants.tsv: the group column (two-sample), covariates and effects (a model)',
  },
  { name: 'group-column', value: 'COL', help: "two-sample: the participants.tsv column holding each subject's group" },
  {
    name: 'groups',
    value: 'A,B[,C...]',
    help: 'two-sample: the two groups, contrast A - B; a model: one column per group, every pair both ways, and the F-test of any difference for three or more',
  },
  { name: 'mask', value: 'FILE', help: "analyse only its non-zero voxels (within the maps' implicit mask)" },
  {
    name: 'threshold',
    value: 'Z',
    help: 'cluster-forming threshold in z (default 2.3), applied to t with the same one-sided p',
  },
  { name: 'two-sided', help: 'test both signs: max |t|, positive and negative clusters apart' },
  { name: 'connectivity', value: '6|18|26', help: 'cluster connectivity (default 26)' },
  {
    name: 'permutations',
    value: 'N|all',
    help: 'permutation count (default 5000); all, or N >= the distinct count, runs each distinct one once',
  },
  { name: 'seed', value: 'S', help: 'seed of the random permutations' },
  { name: 'tfce', help: 'also TFCE (Smith & Nichols 2009, FSL defaults) with its FWE p' },
  { name: 'tfce-step', value: 'D', help: 'TFCE step dh (default the observed max t / 100)' },
  { name: 'tfce-e', value: 'E', help: 'TFCE extent exponent (default 0.5)' },
  { name: 'tfce-h', value: 'H', help: 'TFCE height exponent (default 2)' },
  { name: 'tfce-connectivity', value: '6|18|26', help: 'TFCE connectivity (default 6)' },
  {
    name: 'out',
    value: 'PREFIX',
    help: 'write PREFIX_tstat, _zstat, _vox_corrp, _clustere_corrp, _tfce_tstat, _tfce_corrp .nii.gz (1 - p in corrp maps)',
  },
  {
    name: 'design-mat',
    value: 'design.mat',
    help: "model: FSL's design matrix (VEST text or a plain table), one row per map (per subject's change when paired)",
  },
  {
    name: 'contrasts',
    value: 'design.con',
    help: "model: FSL's t-contrasts (/ContrastNameK names them), with --design-mat",
  },
  {
    name: 'f-tests',
    value: 'design.fts',
    help: "model: FSL's F-tests, one row per F-test, a 1 for each contrast it stacks",
  },
  {
    name: 'blocks',
    value: 'design.grp',
    help: "model: exchangeability blocks (randomise's -e): rows permute only within their block",
  },
  { name: 'demean', help: "model: demean the design's columns and the data (randomise's -D)" },
  {
    name: 'covariate',
    value: 'COL',
    help: 'model: a numeric nuisance column of --participants, demeaned (repeatable; COL_post - COL_pre for a change)',
  },
  { name: 'effect', value: 'COL', help: 'model: the numeric column of interest, demeaned: contrasts +COL and -COL' },
  { name: 'uncorrp', help: 'model: also the voxelwise uncorrected permutation p, PREFIX_vox_p_tstatN (1 - p)' },
  {
    name: 'save-permutations',
    help: 'model: write PREFIX_perm_tstatN.txt (and _fstatN): each permutation, the 1-based row each row receives, or the signs',
  },
  {
    name: 'sign-flips',
    help: 'model: force sign flips (default: sign flips for a mean test, permutations otherwise, as randomise)',
  },
  { name: 'permute', help: 'model: force row permutations' },
  {
    name: 'threads',
    value: 'N',
    help: 'CPU engine: run the permutations on N threads from the start (default: every core, started once the run is long enough to gain from them); the same output for any N',
  },
  {
    name: 'merge-nulls',
    help: 'combine shards: group --merge-nulls SHARD.json... pools their nulls and recomputes every FWE p',
  },
];

export const GROUP_COMMAND: CommandSpec = {
  name: 'group',
  usage: GROUP_USAGE,
  summary:
    'A voxelwise group t-test (one-sample, paired, two-sample) or any general linear model (covariates, F-tests, blocks; Freedman-Lane, as FSL randomise) with permutation FWE p for max statistic, cluster extent and mass, and TFCE.',
  options: GROUP_OPTIONS,
  run: groupCommand,
};
