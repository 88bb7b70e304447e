import { LitElement, css, html } from 'lit';
import type { Cluster } from '../analysis/clusters';
import { toCsv } from '../app/csv';
import { ROWS_BEFORE_SCROLLING, ROWS_SHOWN } from '../app/settings';
import { download } from './download';
import { fmt, fmtP, panelStyles } from './styles';

/** The cluster table. A row's button emits `peak-select` with the peak in mm; Export saves CSV. */
export class ClusterTableView extends LitElement {
  static override properties = { clusters: { attribute: false }, busy: { type: Boolean }, mapName: { attribute: false }, showAll: { state: true } };
  declare clusters: Cluster[];
  declare busy: boolean;
  declare mapName: string;
  declare showAll: boolean;
  static override styles = [panelStyles, css`
    .contained { height: 16rem; contain: strict; background: var(--bg, #111418); }
    thead th { position: sticky; top: 0; background: var(--bg, #111418); }
  `];

  constructor() {
    super();
    this.clusters = [];
    this.busy = false;
    this.mapName = '';
    this.showAll = false;
  }

  override render() {
    const rows = this.showAll ? this.clusters : this.clusters.slice(0, ROWS_SHOWN);
    return html`<h2>Clusters <span class="muted" id="cluster-count">${this.busy ? 'computing…' : `${this.clusters.length} cluster(s)`}</span>
        <button id="export-clusters" ?disabled=${!this.clusters.length} @click=${this.exportCsv}>Export CSV</button></h2>
      <div class=${rows.length > ROWS_BEFORE_SCROLLING ? 'scroll contained' : 'scroll'}>
        <table aria-label="Cluster table">
          <thead>
            <tr><th>#</th><th>sign</th><th>voxels</th><th>mm³</th><th>p</th><th>peak</th><th>peak x, y, z (mm)</th><th>centre of gravity (mm)</th></tr>
          </thead>
          <tbody>
            ${rows.map(
              (c) => html`<tr data-index=${c.index}>
                <td><button aria-label=${`Go to the peak of cluster ${c.index}`} @click=${() => this.select(c)}>${c.index}</button></td>
                <td class=${c.sign > 0 ? 'pos' : 'neg'}>${c.sign > 0 ? '+' : '−'}</td>
                <td class="voxels">${c.voxels}</td>
                <td>${fmt(c.volumeMm3, 0)}</td>
                <td class="p">${fmtP(c.p)}</td>
                <td class="peak">${fmt(c.peak.value, 2)}</td>
                <td class="peak-mm">${c.peak.mm.map((v) => fmt(v, 0)).join(', ')}</td>
                <td>${c.cog.mm.map((v) => fmt(v, 1)).join(', ')}</td>
              </tr>`,
            )}
          </tbody>
        </table>
        ${!this.showAll && this.clusters.length > ROWS_SHOWN
          ? html`<p class="muted" id="more-clusters">The ${ROWS_SHOWN} largest of ${this.clusters.length} clusters are shown (Export CSV lists all).
              <button @click=${() => (this.showAll = true)}>Show all</button></p>`
          : null}
      </div>`;
  }

  private select(c: Cluster): void {
    this.dispatchEvent(new CustomEvent<[number, number, number]>('peak-select', { detail: c.peak.mm, bubbles: true, composed: true }));
  }

  private exportCsv(): void {
    const csv = toCsv(
      ['index', 'sign', 'voxels', 'volume_mm3', 'p', 'peak_value', 'peak_x_mm', 'peak_y_mm', 'peak_z_mm', 'cog_x_mm', 'cog_y_mm', 'cog_z_mm', 'mean'],
      this.clusters.map((c) => [c.index, c.sign, c.voxels, c.volumeMm3, c.p, c.peak.value, ...c.peak.mm, ...c.cog.mm, c.mean]),
    );
    download(`${this.mapName.replace(/\.(nii|hdr|img)(\.gz)?$/i, '') || 'map'}_clusters.csv`, csv, 'text/csv');
  }
}
customElements.define('sl-cluster-table', ClusterTableView);
