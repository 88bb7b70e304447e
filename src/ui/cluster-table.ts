import { LitElement, css, html, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Cluster } from '../analysis/clusters';
import { BERRY_ROI_RADIUS_MM } from '../analysis/constants';
import { toCsv } from '../app/csv';
import type { PermutationP } from '../app/group-session';
import { ROWS_BEFORE_SCROLLING, ROWS_BEYOND_VIEW } from '../app/settings';
import { download } from './download';
import { fmt, fmtP, panelStyles } from './styles';

/** A row's height and the box's before they are measured (the CSS fixes both in rem; measuring follows the font). */
const ROW_PX_GUESS = 28;
const BOX_PX_GUESS = 256;

/**
 * The cluster table: every cluster, drawn as a window of rows around what its box shows. A row's
 * button emits `peak-select` with the peak in mm; Export saves CSV; `spheres-at-peaks` (radius in mm)
 * asks for a sphere at each listed cluster's peak.
 */
export class ClusterTableView extends LitElement {
  static override properties = { clusters: { attribute: false }, busy: { type: Boolean }, mapName: { attribute: false }, permutation: { attribute: false }, first: { state: true } };
  declare clusters: Cluster[];
  declare busy: boolean;
  declare mapName: string;
  /** A group analysis's own clusters: their permutation FWE p (extent, mass) and GRF p, by index. */
  declare permutation: PermutationP | null;
  /** The first row the box shows. */
  declare first: number;
  static override styles = [
    panelStyles,
    css`
      .contained { height: 16rem; contain: strict; background: var(--bg, #111418); }
      thead th { position: sticky; top: 0; background: var(--bg, #111418); z-index: 1; }
      tbody tr { height: 1.75rem; }
      tr.gap td { padding: 0; border: 0; }
    `,
  ];
  private rowPx = ROW_PX_GUESS;
  /** The radius of spheres put at the peaks (Berry et al. 2021: 4 mm across). */
  private radiusMm = BERRY_ROI_RADIUS_MM;
  private boxPx = 0;
  private scrollPending = false;

  constructor() {
    super();
    this.clusters = [];
    this.busy = false;
    this.mapName = '';
    this.permutation = null;
    this.first = 0;
  }

  override render() {
    const all = this.clusters;
    const perm = this.permutation;
    const windowed = all.length > ROWS_BEFORE_SCROLLING;
    const shown = Math.ceil((this.boxPx || BOX_PX_GUESS) / this.rowPx);
    const from = windowed ? Math.max(0, Math.min(this.first, all.length - shown) - ROWS_BEYOND_VIEW) : 0;
    const to = windowed ? Math.min(all.length, this.first + shown + ROWS_BEYOND_VIEW) : all.length;
    const gap = (rows: number) => (rows > 0 ? html`<tr class="gap" aria-hidden="true" style="height: ${rows * this.rowPx}px"><td colspan=${perm ? 10 : 8}></td></tr>` : null);
    return html`<h2>Clusters <span class="muted" id="cluster-count">${this.busy ? 'computing…' : `${all.length} cluster(s)`}</span>
        <button id="export-clusters" ?disabled=${!all.length} @click=${this.exportCsv}>Export CSV</button></h2>
      <div class="row">
        <button id="spheres-at-peaks" ?disabled=${!all.length} @click=${this.spheresAtPeaks}>Spheres at peaks</button>
        <label>radius <input id="peak-radius" type="number" min="0.5" step="0.5" .value=${String(this.radiusMm)} @change=${(e: Event) => (this.radiusMm = Number((e.target as HTMLInputElement).value))} /> mm</label>
      </div>
      <div class=${windowed ? 'scroll contained' : 'scroll'} @scroll=${this.onScroll}>
        <table aria-label="Cluster table" aria-rowcount=${all.length + 1}>
          <thead>
            <tr aria-rowindex="1"><th>#</th><th>sign</th><th>voxels</th><th>mm³</th><th>${perm ? 'p GRF' : 'p'}</th>${perm ? html`<th title="FWE p of the extent, by permutation">p FWE</th><th title="FWE p of the mass, by permutation">p FWE mass</th>` : null}<th>peak</th><th>peak x, y, z (mm)</th><th>centre of gravity (mm)</th></tr>
          </thead>
          <tbody>
            ${gap(from)}
            ${repeat(
              all.slice(from, to),
              (c) => c.index,
              (c) => html`<tr data-index=${c.index} aria-rowindex=${c.index + 1}>
                <td><button aria-label=${`Go to the peak of cluster ${c.index}`} @click=${() => this.select(c)}>${c.index}</button></td>
                <td class=${c.sign > 0 ? 'pos' : 'neg'}>${c.sign > 0 ? '+' : '−'}</td>
                <td class="voxels">${c.voxels}</td>
                <td>${fmt(c.volumeMm3, 0)}</td>
                <td class="p">${fmtP(perm ? (perm.get(c.index)?.pGrf ?? null) : c.p)}</td>
                ${perm ? html`<td class="p-fwe">${fmtP(perm.get(c.index)?.pFwe ?? null)}</td><td class="p-mass">${fmtP(perm.get(c.index)?.pFweMass ?? null)}</td>` : null}
                <td class="peak">${fmt(c.peak.value, 2)}</td>
                <td class="peak-mm">${c.peak.mm.map((v) => fmt(v, 0)).join(', ')}</td>
                <td>${c.cog.mm.map((v) => fmt(v, 1)).join(', ')}</td>
              </tr>`,
            )}
            ${gap(all.length - to)}
          </tbody>
        </table>
      </div>`;
  }

  /** Measures a row and the box once there are some, so the window matches what the box shows. */
  protected override updated(changed: PropertyValues): void {
    if (!changed.has('clusters') || this.boxPx) return;
    const box = this.renderRoot.querySelector<HTMLElement>('.contained');
    const row = this.renderRoot.querySelector<HTMLElement>('tbody tr[data-index]');
    if (!box || !row) return;
    this.boxPx = box.clientHeight;
    this.rowPx = row.getBoundingClientRect().height || ROW_PX_GUESS;
    this.requestUpdate();
  }

  private onScroll(e: Event): void {
    const box = e.currentTarget as HTMLElement;
    if (this.scrollPending) return;
    this.scrollPending = true;
    requestAnimationFrame(() => {
      this.scrollPending = false;
      this.first = Math.floor(box.scrollTop / this.rowPx);
    });
  }

  private select(c: Cluster): void {
    this.dispatchEvent(new CustomEvent<[number, number, number]>('peak-select', { detail: c.peak.mm, bubbles: true, composed: true }));
  }

  /** Asks for a sphere at each listed cluster's peak: `spheres-at-peaks` with the radius (mm). */
  private spheresAtPeaks(): void {
    this.dispatchEvent(new CustomEvent<number>('spheres-at-peaks', { detail: this.radiusMm, bubbles: true, composed: true }));
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
