import type { Remote } from 'comlink';
import type { BatchItem } from '../../analysis/batch-stats';
import type { Sphere } from '../../analysis/roi';
import type { Metric } from '../../analysis/signature';
import type { AnalysisApi } from '../../worker/analysis-api';

export interface BatchProgress {
  readonly done: number;
  readonly total: number;
}

const NIFTI_NAME = /\.(nii|nii\.gz|hdr|img|hdr\.gz|img\.gz)$/i;

/** The files of a dropped folder worth scoring, and the participants.tsv if there is one. */
export function splitBatchFiles(files: readonly File[]): {
  maps: File[];
  participants: File | null;
  ignored: string[];
} {
  const participants = files.find((f) => f.name === 'participants.tsv') ?? null;
  const maps = files.filter((f) => NIFTI_NAME.test(f.name) && !/\.img(\.gz)?$/i.test(f.name));
  const ignored = files
    .filter((f) => f !== participants && !maps.includes(f) && !/\.img(\.gz)?$/i.test(f.name))
    .map((f) => f.name);
  return { maps, participants, ignored };
}

/** Scores files one at a time in the analysis worker; cancel() stops after the file in hand. */
export class BatchRunner {
  private cancelled = false;

  constructor(private readonly api: Remote<AnalysisApi>) {}

  cancel(): void {
    this.cancelled = true;
  }

  async run(
    files: readonly File[],
    weightsId: number,
    metric: Metric,
    spheres: Sphere[],
    onItem: (item: BatchItem, progress: BatchProgress) => void,
  ): Promise<{ items: BatchItem[]; cancelled: boolean }> {
    const items: BatchItem[] = [];
    for (const f of files) {
      if (this.cancelled) break;
      const item = await this.api.scoreFile(f, f.name, weightsId, metric, spheres);
      items.push(item);
      onItem(item, { done: items.length, total: files.length });
    }
    return { items, cancelled: this.cancelled };
  }
}
