import { LitElement, css, html, svg } from 'lit';
import type { DesignView } from '../app/group/design-view';
import { panelStyles } from './styles';

/** The picture's cell sizes (px): columns wide enough for a label, rows shrinking to keep tall designs in view. */
const CELL_W = 44;
const LABEL_W = 54;
const HEAD_H = 16;
const MAX_ROW_H = 16;
const MIN_ROW_H = 4;
const MATRIX_H = 230;
const COMPACT_H = 140;
/** Rows shorter than this carry no label (it would not be readable). */
const LABEL_MIN_ROW_H = 9;

/**
 * A general linear model as FSL's Glm GUI shows it: the design matrix as a greyscale image (one row
 * per analysed map, one column per regressor, each column from its minimum in black to its maximum in
 * white), then the t-contrasts' weights under the columns and the F-tests that stack them. Properties
 * in (`view`, computed by src/app/design-view.ts), nothing out.
 */
export class DesignMatrix extends LitElement {
  static override properties = { view: { attribute: false }, compact: { type: Boolean } };
  declare view: DesignView | null;
  /** The matrix alone, shorter (beside a run's results, whose test names say the contrasts). */
  declare compact: boolean;
  static override styles = [
    panelStyles,
    css`
      svg { display: block; background: #0d1014; }
      table { width: auto; margin-top: 0.3rem; }
      td.w { min-width: ${CELL_W - 8}px; }
      td.f { text-align: center; }
    `,
  ];

  constructor() {
    super();
    this.view = null;
    this.compact = false;
  }

  override render() {
    const v = this.view;
    if (!v) return null;
    const n = v.grey.length;
    const rowH = Math.max(MIN_ROW_H, Math.min(MAX_ROW_H, (this.compact ? COMPACT_H : MATRIX_H) / Math.max(1, n)));
    const width = LABEL_W + CELL_W * v.columns.length;
    const height = HEAD_H + rowH * n;
    const label = (s: string): string => (s.length > 7 ? `${s.slice(0, 6)}…` : s);
    return html`<svg id="design-image" role="img" width=${width} height=${height} viewBox="0 0 ${width} ${height}"
        aria-label=${`Design matrix: ${n} rows by ${v.columns.length} columns (${v.columns.join(', ')})`}>
        ${v.columns.map((c, j) => svg`<text x=${LABEL_W + CELL_W * (j + 0.5)} y=${HEAD_H - 4} fill="#c8ced6" font-size="10" text-anchor="middle"><title>${c}</title>${label(c)}</text>`)}
        ${v.grey.map((row, i) =>
          row.map((g, j) => {
            const level = Math.round(255 * g);
            return svg`<rect class="cell" x=${LABEL_W + CELL_W * j} y=${HEAD_H + rowH * i} width=${CELL_W - 1} height=${rowH} fill=${`rgb(${level},${level},${level})`}><title>${`${v.rowLabels[i]}, ${v.columns[j]}: ${v.values[i]![j]}`}</title></rect>`;
          }),
        )}
        ${rowH >= LABEL_MIN_ROW_H ? v.rowLabels.map((r, i) => svg`<text x=${LABEL_W - 4} y=${HEAD_H + rowH * (i + 0.5) + 3.5} fill="#9aa4b2" font-size="9" text-anchor="end">${r}</text>`) : null}
      </svg>
      ${this.compact ? null : this.contrasts(v, label)}`;
  }

  private contrasts(v: DesignView, label: (s: string) => string) {
    return html`<table id="design-contrasts" aria-label="Contrasts and F-tests">
        <thead><tr><th class="name">contrast</th>${v.columns.map((c) => html`<th title=${c}>${label(c)}</th>`)}${v.fTests.map((f, k) => html`<th title=${f}>F${k + 1}</th>`)}</tr></thead>
        <tbody>
          ${v.contrasts.map((c, k) => html`<tr data-contrast=${k + 1}><td class="name">C${k + 1} ${c.name}</td>${c.weights.map((w) => html`<td class="w">${w}</td>`)}${c.inF.map((on) => html`<td class="f">${on ? '✓' : ''}</td>`)}</tr>`)}
        </tbody>
      </table>`;
  }
}

customElements.define('sl-design-matrix', DesignMatrix);
