import type { Connectivity } from '../../compute/engine';
import type {
  ClusterRule,
  GroupStack,
  MaskGeometry,
  PermutationEngine,
  PermutationMaxima,
  TfceRule,
} from '../../compute/permutation';
import { DEFAULT_MEMORY_BUDGET_BYTES } from '../../nifti/limits';
import { MIN_ROWS_PER_SHARE, PERMUTATION_BATCH_MS, TFCE_LEVELS } from '../constants';
import { GroupError, type Excluded, type GroupDesign } from './design';
import { observedInference, type GroupCluster, type GroupMaps } from './inference';
import { mirrorPlan } from './mirrors';
import { permutationBatch, permutationRows, planPermutations, type PermutationPlan } from './permutations';
import type { SizedGrid } from '../grid';
import { tForZ, zFromT } from './zt';

/** Everything a group analysis needs: the data (from StackBuilder) and the choices. */
export interface GroupInput {
  readonly design: GroupDesign;
  /** In words: "ses-post - ses-pre", "mean > 0", "training - waitlist". */
  readonly contrast: string;
  readonly subjects: readonly string[];
  readonly stack: GroupStack;
  readonly geometry: MaskGeometry;
  readonly grid: SizedGrid;
  /** Two-sample: 1 = group A, 0 = group B, in subject order; null for sign flips. */
  readonly labels: Uint8Array | null;
  readonly excluded: readonly Excluded[];
  /** Cluster-forming threshold in z. */
  readonly thresholdZ: number;
  readonly twoSided: boolean;
  readonly connectivity: Connectivity;
  readonly permutations: number | 'all';
  readonly seed: number;
  /** TFCE when given; step undefined = max t / TFCE_LEVELS of the unpermuted map. */
  readonly tfce: {
    readonly step?: number;
    readonly E: number;
    readonly H: number;
    readonly connectivity: Connectivity;
  } | null;
  /** Refuse counts needing more than this (bytes); default DEFAULT_MEMORY_BUDGET_BYTES. */
  readonly memoryBudgetBytes?: number;
}

export interface RunControl {
  /** After each batch: permutations done of the total. */
  readonly onProgress?: (p: { readonly done: number; readonly total: number }) => void;
  /** Aborting stops the run between batches (each about PERMUTATION_BATCH_MS): it rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** How long a batch aims at (ms); PERMUTATION_BATCH_MS when not given. */
  readonly batchMs?: number;
}

export interface GroupResult {
  readonly design: GroupDesign;
  readonly contrast: string;
  readonly n: number;
  readonly df: number;
  readonly maskVoxels: number;
  readonly threshold: { readonly z: number; readonly t: number };
  readonly connectivity: Connectivity;
  readonly twoSided: boolean;
  readonly permutations: { readonly count: number; readonly exhaustive: boolean; readonly seed: number };
  readonly tfce: TfceRule | null;
  readonly clusters: GroupCluster[];
  /** Each permutation's maxima, in the order run, the data's own first. */
  readonly nulls: {
    readonly maxT: number[];
    readonly maxClusterExtent: number[];
    readonly maxClusterMass: number[];
    readonly maxTfce: number[] | null;
  };
  readonly grf: {
    readonly dlh: number;
    readonly volume: number;
    readonly fwhmMm: [number, number, number];
    readonly source: string;
  };
  readonly excluded: readonly Excluded[];
  /** The output maps at the analysed voxels (geometry.voxelIndex), as randomise names them. */
  readonly maps: GroupMaps;
  /** Where the maps' values sit in the volume (flat x-fastest indices). */
  readonly voxelIndex: Uint32Array;
}

/** Bytes a run holds besides the input stack: per-voxel work arrays, the nulls, the output maps. */
export function groupMemoryBytes(voxels: number, volume: number, permutations: number, tfce: boolean): number {
  const perVoxel = 8 + 4 + 16 + 8 + 4 + 13 * 4 + 16 + 6 * 4 + (tfce ? 14 * 4 + 8 + 26 * 4 : 0);
  // Per permutation: four maxima, and as many again for the mirrors of a one-sided sign-flip run (mirrors.ts).
  return voxels * perVoxel + permutations * 8 * 8 + volume * 8;
}

/** Refuses a count the memory budget cannot hold, naming what it would need. */
export function checkGroupMemory(
  voxels: number,
  volume: number,
  permutations: number,
  tfce: boolean,
  stackBytes: number,
  budget = DEFAULT_MEMORY_BUDGET_BYTES,
): void {
  const need = stackBytes + groupMemoryBytes(voxels, volume, permutations, tfce);
  if (need <= budget) return;
  const fit = Math.max(0, Math.floor((budget - stackBytes - groupMemoryBytes(voxels, volume, 0, tfce)) / 64));
  const gib = (b: number): string => `${(b / 1024 ** 3).toFixed(1)} GiB`;
  throw new GroupError(
    'MEMORY',
    `${permutations} permutations would need ${gib(need)} (over the ${gib(budget)} budget); at most ${fit} fit: run fewer, or shards with --seed and --merge-nulls`,
  );
}

/** The group analysis, from the stacked maps to the tables, maps and nulls, on any PermutationEngine. */
export async function runGroupAnalysis(
  input: GroupInput,
  engine: PermutationEngine,
  control: RunControl = {},
): Promise<GroupResult> {
  const { stack, geometry, labels } = input;
  const n = stack.subjects;
  const nA = labels ? labels.reduce((a, b) => a + b, 0) : 0;
  if (labels ? nA < 1 || n - nA < 1 || n < 3 : n < 2) {
    throw new GroupError(
      'TOO_FEW',
      labels
        ? `a two-sample test needs a map in each group and three in all (${nA} and ${n - nA})`
        : `a ${input.design} test needs at least two ${input.design === 'paired' ? 'pairs' : 'maps'}, not ${n}`,
    );
  }
  const df = labels ? n - 2 : n - 1;
  const plan = planPermutations(n, labels, input.permutations, input.seed);
  checkGroupMemory(
    stack.voxels,
    geometry.dims[0] * geometry.dims[1] * geometry.dims[2],
    plan.count,
    input.tfce !== null,
    stack.values.byteLength,
    input.memoryBudgetBytes,
  );
  const tU = tForZ(input.thresholdZ, df);
  const clusters: ClusterRule = { threshold: tU, twoSided: input.twoSided, connectivity: input.connectivity };
  const tObs = await engine.permutedT(stack, permutationBatch(plan, 0, 1));
  const tfce = input.tfce && tfceRule(input.tfce, tObs, input.twoSided);
  // The permutations start before the observed map's z and TFCE are made: those are this thread's
  // while the engine's other threads (or the GPU) run the first batch, not a wait for them. Should
  // they fail, the permutations are stopped too, not left running for a run that is over.
  const stop = linkedAbort(control.signal);
  const running = runPermutations(engine, input, plan, clusters, tfce, { ...control, signal: stop.signal });
  running.catch(() => undefined);
  let zObs: Float32Array;
  let tfceObs: Float32Array | null;
  try {
    zObs = new Float32Array(tObs.length);
    for (let v = 0; v < tObs.length; v++) zObs[v] = zFromT(tObs[v]!, df);
    tfceObs = tfce ? await engine.tfce(tObs, geometry, tfce) : null;
  } catch (e) {
    stop.abort(e);
    stop.unlink();
    throw e;
  }
  // The caller's Cancel reaches the permutations until they end.
  const nulls = await running.finally(stop.unlink);
  control.signal?.throwIfAborted();
  const observed = await observedInference({ input, tObs, zObs, tfceObs, tU, nulls });
  return {
    design: input.design,
    contrast: input.contrast,
    n,
    df,
    maskVoxels: stack.voxels,
    threshold: { z: input.thresholdZ, t: tU },
    connectivity: input.connectivity,
    twoSided: input.twoSided,
    permutations: { count: plan.count, exhaustive: plan.exhaustive, seed: plan.seed },
    tfce,
    clusters: observed.clusters,
    nulls: {
      maxT: Array.from(nulls.maxT),
      maxClusterExtent: Array.from(nulls.maxExtent),
      maxClusterMass: Array.from(nulls.maxMass),
      maxTfce: nulls.maxTfce && Array.from(nulls.maxTfce),
    },
    grf: observed.grf,
    excluded: input.excluded,
    maps: observed.maps,
    voxelIndex: geometry.voxelIndex,
  };
}

/** An abort of its own that `outer` (a caller's Cancel) also triggers, until unlinked. */
function linkedAbort(outer: AbortSignal | undefined): {
  signal: AbortSignal;
  abort: (why: unknown) => void;
  unlink: () => void;
} {
  const inner = new AbortController();
  const follow = (): void => inner.abort(outer?.reason);
  if (outer?.aborted) follow();
  else outer?.addEventListener('abort', follow, { once: true });
  return {
    signal: inner.signal,
    abort: (why) => inner.abort(why),
    unlink: () => outer?.removeEventListener('abort', follow),
  };
}

type Nulls = { maxT: Float64Array; maxExtent: Float64Array; maxMass: Float64Array; maxTfce: Float64Array | null };

const emptyNulls = (count: number, tfce: boolean): Nulls => ({
  maxT: new Float64Array(count),
  maxExtent: new Float64Array(count),
  maxMass: new Float64Array(count),
  maxTfce: tfce ? new Float64Array(count) : null,
});

/** Row r of `to` from row b of `from` (each of the four maxima). */
function copyRow(to: Nulls, r: number, from: PermutationMaxima | Nulls, b: number): void {
  to.maxT[r] = from.maxT[b]!;
  to.maxExtent[r] = from.maxExtent[b]!;
  to.maxMass[r] = from.maxMass[b]!;
  if (to.maxTfce && from.maxTfce) to.maxTfce[r] = from.maxTfce[b]!;
}

/**
 * Every row's maxima, in batches sized towards PERMUTATION_BATCH_MS. A sign flip whose mirror came
 * earlier is not run: two-sided its maxima are the mirror's, one-sided an engine with `mirrors`
 * gives them from its mirror's pass (src/analysis/group/mirrors.ts).
 */
async function runPermutations(
  engine: PermutationEngine,
  input: GroupInput,
  plan: PermutationPlan,
  clusters: ClusterRule,
  tfce: TfceRule | null,
  control: RunControl,
): Promise<Nulls> {
  const nulls = emptyNulls(plan.count, tfce !== null);
  const pairs = input.twoSided || engine.mirrors ? mirrorPlan(plan) : null;
  const rows = pairs?.rows ?? null;
  const total = rows ? rows.length : plan.count;
  const mirrored = pairs && !input.twoSided ? emptyNulls(plan.count, tfce !== null) : null;
  // A pool's every part gets rows even when a busy machine makes batches slow.
  const floor = Math.max(1, (engine.shares ?? 1) * MIN_ROWS_PER_SHARE);
  let size = Math.max(8, floor);
  engine.expect?.(total);
  for (let done = 0; done < total; ) {
    control.signal?.throwIfAborted();
    const count = Math.min(size, total - done);
    const started = performance.now();
    const share = rows?.subarray(done, done + count);
    let batch = share ? permutationRows(plan, share) : permutationBatch(plan, done, count);
    if (share && mirrored) batch = { ...batch, mirrors: Uint8Array.from(share, (r) => pairs!.wanted[r]!) };
    const m = await engine.permutationMaxima(input.stack, batch, input.geometry, clusters, tfce);
    if (mirrored && !m.mirror && batch.mirrors?.includes(1)) throw new Error('the engine gave no mirror maxima');
    for (let b = 0; b < count; b++) {
      const r = share ? share[b]! : done + b;
      copyRow(nulls, r, m, b);
      if (mirrored && m.mirror) copyRow(mirrored, r, m.mirror, b);
    }
    done += count;
    control.onProgress?.({ done: Math.round((done / total) * plan.count), total: plan.count });
    // Batches grow (or shrink) towards PERMUTATION_BATCH_MS, and the event loop gets a turn for Cancel.
    // Not from the first: the caller makes the observed map's z and TFCE while it runs.
    const ms = performance.now() - started;
    if (done > count)
      size = Math.max(
        floor,
        Math.min(4096, Math.round((size * (control.batchMs ?? PERMUTATION_BATCH_MS)) / Math.max(ms, 1))),
      );
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (pairs)
    for (let r = 0; r < plan.count; r++)
      if (pairs.mirrorOf[r]! >= 0) copyRow(nulls, r, mirrored ?? nulls, pairs.mirrorOf[r]!);
  return nulls;
}

function tfceRule(o: NonNullable<GroupInput['tfce']>, t: Float32Array, twoSided: boolean): TfceRule {
  let top = 0;
  for (let v = 0; v < t.length; v++) top = Math.max(top, twoSided ? Math.abs(t[v]!) : t[v]!);
  const step = o.step ?? top / TFCE_LEVELS;
  if (!(step > 0))
    throw new GroupError('DESIGN', 'TFCE needs a positive t somewhere in the unpermuted map (or --tfce-step)');
  return { step, E: o.E, H: o.H, connectivity: o.connectivity, twoSided };
}
