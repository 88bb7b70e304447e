import * as Comlink from 'comlink';
import type { Remote } from 'comlink';
import { GROUP_FWE_ALPHA } from '../../analysis/constants';
import { criticalExtent, fweP } from '../../analysis/group/inference';
import type { GroupResult } from '../../analysis/group/run';
import { voxelToMm } from '../../nifti/affine';
import type { Connectivity } from '../../compute/engine';
import type { Volume } from '../../nifti';
import { intentKind, INTENT_TTEST, INTENT_ZSCORE } from '../../nifti/intent';
import type { AnalysisApi } from '../../worker/analysis-api';
import type { GroupRun, GroupSpec } from '../../worker/group';
import type { GlmRun } from '../../worker/group-glm';
import { splitBatchFiles } from '../batch/batch-runner';
import { glmSummary, glmVolumes, type GlmSummary } from './group-glm';
import { isModel } from './group-model';
import { NO_MODEL_STATE, previewModel, type GroupModelState, type ModelSetup } from './group-preview';

/** What the Group panel asks for: the files (maps and maybe participants.tsv) and the choices. */
export type GroupRequest = Omit<GroupSpec, 'participants'> & { readonly files: readonly File[] };

export interface GroupProgress {
  readonly done: number;
  readonly total: number;
  /** Estimated from the rate so far; null before there is one. */
  readonly secondsLeft: number | null;
}

/** A finished run, as the panel lists it (never a partial one: a cut-short null understates every p); the maps went to the viewer. */
export type GroupSummary = Omit<GroupResult, 'maps' | 'voxelIndex' | 'nulls' | 'tfce'> & {
  readonly tfce: TfceSummary | null;
  /** The permutation cut-off for cluster size at GROUP_FWE_ALPHA (criticalExtent). */
  readonly criticalExtent: number;
  readonly engine: string;
  readonly seconds: number;
};

export interface GroupState {
  readonly running: boolean;
  readonly progress: GroupProgress | null;
  readonly summary: GroupSummary | null;
  readonly message: string | null;
  /** Why the last run failed (not a cancel): the panel shows it as an error. */
  readonly error: string | null;
  /** The model builder: what the chosen files' participants.tsv offers, the choices, the model they make. */
  readonly model: GroupModelState;
  /** A finished model run (covariates, an effect or groups): every contrast's and F-test's FWE p. */
  readonly glm: GlmSummary | null;
  /** Which of its tests (t-contrasts then F-tests, 0-based) has its maps shown. */
  readonly glmShown: number | null;
  /** The choices of the run under way or last started (the panel's or the demo's): the panel shows them. */
  readonly request: Omit<GroupRequest, 'files'> | null;
}

export const IDLE_GROUP: GroupState = {
  running: false,
  progress: null,
  summary: null,
  message: null,
  error: null,
  model: NO_MODEL_STATE,
  glm: null,
  glmShown: null,
  request: null,
};

/** A finished run's maps in the viewer: its t-map's id, and what its cluster table needs to show permutation p. */
export interface GroupMapsRef {
  readonly tMapId: number;
  /** The cluster-forming threshold in t (what the viewer is set to on the t-map). */
  readonly t: number;
  readonly twoSided: boolean;
  readonly connectivity: Connectivity;
  readonly clusters: readonly RunCluster[];
  /** The permutation cut-off for cluster size at GROUP_FWE_ALPHA (criticalExtent), where the run has one. */
  readonly criticalExtent?: number;
}

/** What a run says of one of its clusters, for the viewer's table (a model's F-test has no GRF p). */
export interface RunCluster {
  readonly index: number;
  readonly voxels: number;
  readonly pFwe: number;
  readonly pFweMass: number;
  readonly pGrf: number | null;
  readonly peak: { readonly voxel: readonly number[] };
}

/** Permutation and GRF p of a table's clusters, by the table's index, where they are the run's own clusters (same peak voxel and size). */
export type PermutationP = ReadonlyMap<
  number,
  { readonly pFwe: number; readonly pFweMass: number; readonly pGrf: number | null }
>;

/**
 * The run's p for a viewer table: only on the run's t-map at the run's own threshold, sidedness and
 * connectivity (any other threshold makes other clusters, which the permutations did not test).
 */
export function permutationP(
  ref: GroupMapsRef | null,
  mapId: number | undefined,
  table:
    | {
        threshold: number;
        twoSided: boolean;
        connectivity: number;
        clusters: readonly { index: number; voxels: number; peak: { voxel: readonly number[] } }[];
      }
    | undefined,
): PermutationP | null {
  if (
    !ref ||
    !table ||
    mapId !== ref.tMapId ||
    table.threshold !== ref.t ||
    table.twoSided !== ref.twoSided ||
    table.connectivity !== ref.connectivity
  )
    return null;
  const byPeak = new Map(ref.clusters.map((c) => [`${c.peak.voxel.join(',')}|${c.voxels}`, c]));
  const out = new Map<number, { pFwe: number; pFweMass: number; pGrf: number | null }>();
  for (const c of table.clusters) {
    const g = byPeak.get(`${c.peak.voxel.join(',')}|${c.voxels}`);
    if (g) out.set(c.index, { pFwe: g.pFwe, pFweMass: g.pFweMass, pGrf: g.pGrf });
  }
  return out;
}

/** The output maps the viewer opens, in this order, as randomise names them. */
const OUTPUTS = ['zstat', 'tstat', 'vox_corrp', 'clustere_corrp', 'tfce_tstat', 'tfce_corrp'] as const;

/** The run's maps as volumes on the study's grid, named PREFIX_output.nii (0 outside the mask). */
export function groupVolumes(run: GroupRun, prefix: string): Volume[] {
  const { grid, result } = run;
  const size = grid.dims[0] * grid.dims[1] * grid.dims[2];
  const out: Volume[] = [];
  for (const name of OUTPUTS) {
    const values = result.maps[name];
    if (!values) continue;
    const data = new Float32Array(size);
    for (let j = 0; j < result.voxelIndex.length; j++) data[result.voxelIndex[j]!] = values[j]!;
    const code = name === 'tstat' ? INTENT_TTEST : name === 'zstat' ? INTENT_ZSCORE : 0;
    out.push({
      name: `${prefix}_${name}.nii`,
      dims: [...grid.dims],
      frames: 1,
      frame: 0,
      pixdim: [grid.pixdim[0]!, grid.pixdim[1]!, grid.pixdim[2]!],
      affine: [...grid.affine],
      affineSource: 'sform',
      datatype: { code: 16, name: 'float32', bytes: 4 },
      intent: { code, kind: intentKind(code), name: '', p1: name === 'tstat' ? result.df : 0, p2: 0, p3: 0 },
      description: `siglens group ${name}: ${result.contrast}`,
      data,
    });
  }
  return out;
}

/** A TFCE run's result in a line: its FWE p is voxelwise, so the clusters' table does not carry it. */
export interface TfceSummary {
  readonly E: number;
  readonly H: number;
  readonly step: number;
  /** Voxels with TFCE FWE p below GROUP_FWE_ALPHA. */
  readonly significant: number;
  /** The smallest TFCE FWE p (at the largest TFCE) and where it is, in mm. */
  readonly minP: number;
  readonly peakMm: [number, number, number];
}

export function summarize(run: GroupRun, seconds: number): GroupSummary {
  const { maps, voxelIndex, nulls, tfce, ...rest } = run.result;
  const cutoff = criticalExtent(nulls.maxClusterExtent, GROUP_FWE_ALPHA);
  return { ...rest, tfce: tfceSummary(run), criticalExtent: cutoff, engine: run.engine, seconds };
}

/** The TFCE map's FWE p, from the run's own TFCE values and null maxima (as its tfce_corrp map). */
function tfceSummary({ result, grid }: GroupRun): TfceSummary | null {
  const values = result.maps.tfce_tstat;
  if (!result.tfce || !values || !result.nulls.maxTfce || values.length === 0) return null;
  const p = fweP(result.nulls.maxTfce);
  let significant = 0;
  let top = 0;
  for (let j = 0; j < values.length; j++) {
    if (p(Math.abs(values[j]!)) < GROUP_FWE_ALPHA) significant++;
    if (Math.abs(values[j]!) > Math.abs(values[top]!)) top = j;
  }
  const [nx, ny] = grid.dims;
  const g = result.voxelIndex[top]!;
  const voxel: [number, number, number] = [g % nx, Math.floor(g / nx) % ny, Math.floor(g / (nx * ny))];
  const { E, H, step } = result.tfce;
  return { E, H, step, significant, minP: p(Math.abs(values[top]!)), peakMm: voxelToMm(grid.affine, ...voxel) };
}

/**
 * One group analysis at a time, in the analysis worker: progress with the time left, Cancel, and on
 * success the maps handed to `open` (the viewer adds them as maps). A cancelled or failed run leaves
 * no result.
 */
export class GroupSession {
  private running = false;
  private state: GroupState = IDLE_GROUP;
  /** The chosen files' participants.tsv text and map names, for the model builder's preview. */
  private chosen: { tsv: string | null; names: string[] } = { tsv: null, names: [] };

  constructor(
    private readonly api: Remote<AnalysisApi>,
    private readonly onChange: (s: GroupState) => void,
    private readonly open: (volumes: Volume[], run: GroupRun) => Promise<void>,
    /** Opens a model test's maps (or shows them again: `volumes` are only made the first time). */
    private readonly openTest: (
      key: string,
      volumes: () => Volume[],
      test: { kind: 't' | 'F'; threshold: number; connectivity: Connectivity },
    ) => Promise<void>,
  ) {}

  /** The last model run, kept for its tests' maps (opened on demand: a three-arm model has seven tests). */
  private glmRun: GlmRun | null = null;
  private glmRunId = 0;

  /** Shows the k-th test's maps (t-contrasts first, then F-tests) of the last model run. */
  async showTest(k: number): Promise<void> {
    const run = this.glmRun;
    const t = this.state.glm?.tests[k];
    if (!run || !t) return;
    await this.openTest(`${this.glmRunId}:${k}`, () => glmVolumes(run, k, 'group_model'), {
      kind: t.kind,
      threshold: t.threshold,
      connectivity: run.result.connectivity,
    });
    this.update({ glmShown: k });
  }

  private update(patch: Partial<GroupState>): void {
    this.state = { ...this.state, ...patch };
    this.onChange(this.state);
  }

  /** New files chosen: the builder offers their participants.tsv's columns (the choices start empty). */
  async chooseFiles(files: readonly File[], setup: ModelSetup): Promise<void> {
    const { maps, participants } = splitBatchFiles([...files]);
    this.chosen = { tsv: participants ? await participants.text() : null, names: maps.map((f) => f.name) };
    this.update({ model: previewModel(this.chosen.tsv, this.chosen.names, setup) });
  }

  /** The builder's choices or the design changed: the model (or why there is none) follows. */
  setModel(setup: ModelSetup): void {
    this.update({ model: previewModel(this.chosen.tsv, this.chosen.names, setup) });
  }

  private current: Promise<void> = Promise.resolve();

  /** Resolves once no run is under way (the demo's model step waits for its paired test). */
  async whenIdle(): Promise<void> {
    while (this.running) await this.current;
  }

  run(req: GroupRequest): Promise<void> {
    if (this.running) return Promise.resolve();
    this.current = this.runNow(req);
    return this.current;
  }

  private async runNow(req: GroupRequest): Promise<void> {
    this.running = true;
    const { files, ...choices } = req;
    const { maps, participants } = splitBatchFiles([...files]);
    const started = performance.now();
    this.update({
      running: true,
      progress: { done: 0, total: 0, secondsLeft: null },
      summary: null,
      glm: null,
      glmShown: null,
      message: `Reading ${maps.length} maps…`,
      error: null,
      request: choices,
    });
    const onProgress = (done: number, total: number): void => {
      const s = (performance.now() - started) / 1000;
      this.update({
        running: true,
        progress: { done, total, secondsLeft: done > 0 ? (s / done) * (total - done) : null },
        summary: null,
        message: null,
      });
    };
    const before = this.state.model;
    let restoreModel: GroupModelState | null = null;
    try {
      const spec: GroupSpec = { ...choices, participants: participants ? await participants.text() : null };
      if (spec.model && isModel(spec.model)) {
        // While it runs, the builder shows the model being run (the demo's too), with its design matrix;
        // then the builder is the panel's own again (the results table draws the fitted design).
        const names = maps.map((f) => f.name);
        this.update({ model: previewModel(spec.participants, names, { ...choices, value: spec.model }) });
        restoreModel = before;
        const run = await this.api.runGroupModel(
          maps,
          maps.map((f) => f.name),
          spec,
          spec.model,
          Comlink.proxy(onProgress),
        );
        this.glmRun = run;
        this.glmRunId++;
        const glm = glmSummary(run, (performance.now() - started) / 1000);
        this.update({ running: false, progress: null, glm, message: null });
        // The F-test of any difference first, where the model has one; else the first contrast.
        const f = glm.tests.findIndex((t) => t.kind === 'F');
        await this.showTest(Math.max(f, 0));
        return;
      }
      const run = await this.api.runGroup(
        maps,
        maps.map((f) => f.name),
        spec,
        Comlink.proxy(onProgress),
      );
      const seconds = (performance.now() - started) / 1000;
      const prefix = `group_${run.result.design}`;
      await this.open(groupVolumes(run, prefix), run);
      this.update({ running: false, progress: null, summary: summarize(run, seconds), message: null });
    } catch (e) {
      const cancelled = e instanceof Error && (e.name === 'AbortError' || /cancelled/i.test(e.message));
      this.update({
        running: false,
        progress: null,
        summary: null,
        message: cancelled ? 'Cancelled: no result (a null distribution cut short would understate every p).' : null,
        error: cancelled ? null : `The group analysis failed: ${e instanceof Error ? e.message : String(e)}`,
      });
    } finally {
      this.running = false;
      if (restoreModel) this.update({ model: restoreModel });
    }
  }

  cancel(): void {
    if (this.running) void this.api.cancelGroup();
  }
}
