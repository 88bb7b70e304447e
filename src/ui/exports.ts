import type { AnalysisResults } from '../app/page/analyzer';
import { denseLabels } from '../analysis/sparse-labels';
import { writeNifti1 } from '../nifti';
import { suprathresholdVolume } from '../view/layers';
import type { ViewerPane } from '../view/pane';
import { download } from './download';

const stem = (name: string): string => name.replace(/\.(nii|hdr|img)(\.gz)?$/i, '');

/** Saves one of the maps on screen as NIfTI-1. */
export function exportMap(r: AnalysisResults, kind: 'thresholded' | 'labels' | 'difference'): void {
  const first = r.shown[0];
  const base = stem(first?.entry.volume.name ?? 'map');
  if (kind === 'difference') {
    if (r.difference) download(`${base}_post_minus_pre.nii`, writeNifti1(r.difference), 'application/octet-stream');
    return;
  }
  if (!first) return;
  if (kind === 'thresholded') {
    download(
      `${base}_thresholded.nii`,
      writeNifti1(suprathresholdVolume(first.entry.volume, first.table.labels)),
      'application/octet-stream',
    );
  } else {
    const labels = { ...first.entry.volume, data: Float32Array.from(denseLabels(first.table.labels)) };
    download(
      `${base}_clusters.nii`,
      writeNifti1(labels, { intentCode: 1002, intentName: 'cluster index' }),
      'application/octet-stream',
    );
  }
}

export async function savePanePng(pane: ViewerPane, title: string): Promise<void> {
  const data = await (await fetch(pane.png())).arrayBuffer();
  download(`${title.replace(/[^\w.-]+/g, '_')}.png`, data, 'image/png');
}
