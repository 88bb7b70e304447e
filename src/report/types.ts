import type { BatchGroups, Correlation } from '../analysis/batch-stats';
import type { PairedStats } from '../analysis/paired';

/** One file the report was made from. */
export interface ReportFile {
  readonly name: string;
  /** Size on disk (null when not known, e.g. a document made elsewhere). */
  readonly bytes: number | null;
  /** What it is, e.g. "t-map (t, df 262), 79x95x79, 2 mm" or "batch document". */
  readonly kind: string;
}

/** A cluster table as `siglens clusters --json` prints it (regions: when an atlas named them). */
export interface ReportClusterTable {
  readonly file: string;
  readonly threshold: number | null;
  readonly twoSided: boolean;
  readonly connectivity: number;
  readonly minVoxels?: number;
  readonly dlh: number | null;
  readonly heightControl?: {
    readonly method: string;
    readonly alpha: number;
    readonly threshold: number | null;
    readonly voxels: number;
    readonly statistic?: string;
  };
  readonly clusters: readonly {
    readonly index: number;
    readonly sign: number;
    readonly voxels: number;
    readonly volumeMm3: number;
    readonly p: number | null;
    readonly peak: { readonly value: number; readonly mm: readonly number[] };
    readonly cog: { readonly mm: readonly number[] };
    /** The open atlas's region at the peak (the page's "peak region" column). */
    readonly region?: string;
    /** Local maxima 8 mm apart within the cluster (the page's sub-peak rows, numbered cluster.k). */
    readonly subpeaks?: readonly { readonly value: number; readonly mm: readonly number[] }[];
  }[];
  /** Why GRF p-values are missing, or how they were had (the table's notes). */
  readonly warnings?: readonly string[];
}

/** ROI means of one map, as `siglens roi --json` lists them. */
export interface ReportRois {
  readonly file: string;
  readonly rois: readonly {
    readonly name: string;
    readonly center: readonly number[];
    readonly radiusMm: number;
    readonly voxels: number;
    readonly mean: number | null;
  }[];
}

/** Signature responses, as `siglens signature --json` prints them. */
export interface ReportSignature {
  readonly weights: string;
  readonly metric: string;
  readonly results: readonly { readonly file: string; readonly value: number | null; readonly voxels: number }[];
}

/** The part of a `siglens batch --json` document the report shows. */
export interface ReportBatch {
  readonly pair: readonly [string, string];
  readonly subjects: readonly {
    readonly subject: string;
    readonly group: string | null;
    readonly pre: { readonly value: number | null };
    readonly post: { readonly value: number | null };
    readonly change: number;
  }[];
  readonly paired: PairedStats | null;
  readonly groups: BatchGroups | null;
  readonly correlations?: readonly Correlation[];
  /** The spheres measured (their names head the ROI rows) and each one's paired test, in order. */
  readonly spheres?: readonly {
    readonly name: string;
    readonly center: readonly number[];
    readonly radiusMm: number;
  }[];
  readonly roiPaired?: readonly (PairedStats | null)[];
  readonly excluded?: readonly { readonly file: string; readonly reason: string }[];
}

/** Everything one report shows. The builder is pure: the caller gives the time and the tool's name. */
export interface ReportInput {
  readonly title: string;
  /** When it was made (e.g. an ISO time). */
  readonly generated: string;
  /** What made it, e.g. "SigLens 0.1.0, siglens report". */
  readonly generator: string;
  readonly inputs: readonly ReportFile[];
  /** Every setting, in order: name and value as text. */
  readonly settings: readonly { readonly name: string; readonly value: string }[];
  readonly clusterTables?: readonly ReportClusterTable[];
  readonly rois?: readonly ReportRois[];
  readonly signature?: ReportSignature;
  readonly batch?: ReportBatch;
  /** Figures made elsewhere (the page's mosaic), as PNG data URLs. */
  readonly figures?: readonly { readonly title: string; readonly png: string }[];
}
