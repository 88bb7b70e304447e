import type { Remote } from 'comlink';
import { summarizeBatch, type BatchSummary } from '../../analysis/batch';
import type { BatchItem } from '../../analysis/batch-stats';
import { covariateValues, parseParticipants, parseParticipantsTable, type Covariate } from '../../analysis/bids';
import type { Sphere } from '../../analysis/roi';
import type { Metric } from '../../analysis/signature';
import type { AnalysisApi } from '../../worker/analysis-api';
import { BatchRunner, splitBatchFiles, type BatchProgress } from './batch-runner';

export interface BatchState {
  readonly running: boolean;
  readonly progress: BatchProgress | null;
  readonly summary: BatchSummary | null;
  readonly message: string | null;
  /** The covariates asked for, with each participant's value (the scatter plots' x). */
  readonly covariates: readonly Covariate[];
}

/** How often a running batch updates the page. */
const REPORT_INTERVAL_MS = 250;

export const IDLE_BATCH: BatchState = { running: false, progress: null, summary: null, message: null, covariates: [] };

/** One batch at a time: scores the files, pairs them, and reports each change of state. */
export class BatchSession {
  private runner: BatchRunner | null = null;

  constructor(
    private readonly api: Remote<AnalysisApi>,
    private readonly onChange: (s: BatchState) => void,
  ) {}

  async run(
    files: File[],
    pair: [string, string],
    pattern: string,
    weightsId: number,
    metric: Metric,
    spheres: Sphere[],
    covariateNames: readonly string[] = [],
  ): Promise<void> {
    let regex: RegExp | undefined;
    try {
      regex = pattern ? new RegExp(pattern) : undefined;
    } catch (e) {
      this.onChange({
        ...IDLE_BATCH,
        message: `The name pattern is not a regular expression (${e instanceof Error ? e.message : String(e)}).`,
      });
      return;
    }
    const { maps, participants, ignored } = splitBatchFiles(files);
    const tsv = participants ? await participants.text() : null;
    const groups = tsv ? parseParticipants(tsv) : new Map<string, string>();
    // Covariates as `batch --covariate` reads them: a column, or its change (COL_post - COL_pre).
    let covariates: Covariate[] = [];
    try {
      if (covariateNames.length && !tsv) throw new Error('covariates come from a participants.tsv among the files');
      if (tsv) covariates = covariateNames.map((n) => covariateValues(parseParticipantsTable(tsv), n, pair));
    } catch (e) {
      this.onChange({ ...IDLE_BATCH, message: e instanceof Error ? e.message : String(e) });
      return;
    }
    const runner = new BatchRunner(this.api);
    this.runner = runner;
    let items: BatchItem[] = [];
    const report = (running: boolean, message: string | null): void =>
      this.onChange({
        running,
        progress: { done: items.length, total: maps.length },
        summary: summarizeBatch(items, pair, groups, regex, covariates),
        message,
        covariates,
      });
    this.onChange({
      running: true,
      progress: { done: 0, total: maps.length },
      summary: null,
      message: null,
      covariates,
    });
    let last = 0;
    const result = await runner.run(maps, weightsId, metric, spheres, (item) => {
      items.push(item);
      // The table and statistics refresh a few times a second, not once per map.
      if (performance.now() - last > REPORT_INTERVAL_MS) {
        last = performance.now();
        report(true, null);
      }
    });
    items = result.items;
    const notes = [
      result.cancelled ? `Cancelled after ${items.length} of ${maps.length} maps.` : null,
      ignored.length ? `Skipped ${ignored.length} file(s) that are not NIfTI.` : null,
    ];
    report(false, notes.filter(Boolean).join(' ') || null);
    this.runner = null;
  }

  cancel(): void {
    this.runner?.cancel();
  }
}
