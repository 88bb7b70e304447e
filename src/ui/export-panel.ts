import { LitElement, css, html } from 'lit';
import { panelStyles } from './styles';

export type ExportKind = 'thresholded' | 'labels' | 'difference';

/** The map exports. Emits `export-map` with the kind asked for, `figure-open` for the publication figure, `report-export` for the HTML report. */
export class ExportPanel extends LitElement {
  static override properties = { hasMap: { type: Boolean }, hasDifference: { type: Boolean } };
  declare hasMap: boolean;
  declare hasDifference: boolean;
  static override styles = [panelStyles, css`button { margin: 0.15rem 0.3rem 0.15rem 0; }`];

  constructor() {
    super();
    this.hasMap = false;
    this.hasDifference = false;
  }

  override render() {
    return html`<section class="exports" aria-label="Exports">
      <h2>Export</h2>
      <button id="export-thresholded" ?disabled=${!this.hasMap} @click=${() => this.emit('thresholded')}>Thresholded map (.nii)</button>
      <button id="export-labels" ?disabled=${!this.hasMap} @click=${() => this.emit('labels')}>Cluster labels (.nii)</button>
      <button id="export-difference" ?disabled=${!this.hasDifference} @click=${() => this.emit('difference')}>Difference map (.nii)</button>
      <button id="export-figure" ?disabled=${!this.hasMap} @click=${() => this.dispatchEvent(new CustomEvent('figure-open', { bubbles: true, composed: true }))}>Figure (mosaic PNG/SVG)…</button>
      <button id="export-report" @click=${() => this.dispatchEvent(new CustomEvent('report-export', { bubbles: true, composed: true }))}>Report (HTML)</button>
    </section>`;
  }

  private emit(kind: ExportKind): void {
    this.dispatchEvent(new CustomEvent<ExportKind>('export-map', { detail: kind, bubbles: true, composed: true }));
  }
}
customElements.define('sl-export-panel', ExportPanel);
