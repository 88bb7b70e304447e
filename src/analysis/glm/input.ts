import type { Connectivity } from '../../compute/engine';
import type { GroupStack, MaskGeometry } from '../../compute/permutation';
import type { Excluded } from '../group/design';
import type { SizedGrid } from '../grid';
import type { GlmModel } from './model';

/** Everything a model's analysis needs: the data (from the study reader), the model and the choices. */
export interface GlmInput {
  readonly model: GlmModel;
  /** What each row is (subject ids, or map names), in row order. */
  readonly subjects: readonly string[];
  /** Y: one row per model row (stack.subjects = the model's rows), at the analysed voxels. */
  readonly stack: GroupStack;
  readonly geometry: MaskGeometry;
  readonly grid: SizedGrid;
  readonly excluded: readonly Excluded[];
  /** Cluster-forming threshold in z, applied to t or F at the same one-sided p. */
  readonly thresholdZ: number;
  readonly connectivity: Connectivity;
  readonly permutations: number | 'all';
  readonly seed: number;
  /** TFCE when given; step undefined = max of the unpermuted t (or z of F) / TFCE_LEVELS. */
  readonly tfce: {
    readonly step?: number;
    readonly E: number;
    readonly H: number;
    readonly connectivity: Connectivity;
  } | null;
  /** randomise -D: demean the design's columns and the data before fitting. */
  readonly demean?: boolean;
  /** Force sign flips or permutations (randomise chooses per contrast). */
  readonly method?: 'sign-flip' | 'permutation';
  /** Also the voxelwise uncorrected permutation p (randomise -x): each permutation's whole map is counted. */
  readonly uncorrected?: boolean;
  readonly memoryBudgetBytes?: number;
}
