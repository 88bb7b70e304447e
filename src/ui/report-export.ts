import { defaultFigureOptions, figureLayout } from '../figure/figure-layout';
import type { FigureSource } from '../app/page/figure-source';
import type { PageState } from '../app/page/page-state';
import { pageReportHtml } from '../app/page/page-report';
import { download } from './download';
import { figurePng } from './figure-render';

/** The report's figure: the shown map's default mosaic at a screen DPI (the report is for reading; the figure dialog makes the 300 dpi one). */
const REPORT_FIGURE_DPI = 110;

async function dataUrl(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const blob = new Blob([bytes], { type: 'image/png' });
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

/** Saves the page's report: one self-contained HTML file (no request leaves it when opened). */
export async function exportReport(
  state: PageState,
  figure: FigureSource | null,
  regions: readonly (readonly string[] | null)[] = [],
): Promise<void> {
  let fig: { title: string; png: string } | null = null;
  if (figure) {
    const o = defaultFigureOptions(figure.name, figure.units);
    const layout = figureLayout(figure.input, o);
    fig = {
      title: `${figure.name}: ${o.view} mosaic, ${figure.input.thresholdNote}`,
      png: await dataUrl(await figurePng(figure.input, layout, REPORT_FIGURE_DPI)),
    };
  }
  download('siglens_report.html', pageReportHtml(state, new Date().toISOString(), fig, regions), 'text/html');
}
