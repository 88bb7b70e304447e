import { LitElement, css, html, type PropertyValues } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Cluster } from '../analysis/clusters';
import type { Peak } from '../analysis/subpeaks';
import type { HeightControl } from '../analysis/height';
import type { MapKindInfo } from '../analysis/map-kind';
import { clusterCsv, smoothnessText, type TableBasis } from '../report/cluster-csv';
import { fmtP } from '../report/escape';
import type { ThresholdSettings } from '../analysis/threshold-settings';
import { ROWS_BEFORE_SCROLLING, ROWS_BEYOND_VIEW } from '../app/page/settings';
import { BERRY_ROI_RADIUS_MM } from '../analysis/constants';
import type { PermutationP } from '../app/group/group-session';
import { download } from './download';
import { fmt, panelStyles } from './styles';

/** A row's height and the box's before they are measured (the CSS fixes both in rem; measuring follows the font). */
const ROW_PX_GUESS = 28;
const BOX_PX_GUESS = 256;

/** One line of the table: a cluster, or one of the sub-peaks of an expanded cluster. */
type Row = { readonly key: string; readonly cluster: Cluster; readonly sub: number; readonly peak: Peak };

/**
 * The cluster table, an ARIA tree grid: one Tab stop (the active row), arrow keys between rows,
 * Right/Left to show or hide a cluster's sub-peaks, Enter to go to a peak. It draws a window of rows
 * around what its box shows. A row emits `peak-select` with the peak in mm; Export saves CSV with
 * the settings as header lines; `spheres-at-peaks` (radius in mm) asks for a sphere at each listed
 * cluster's peak.
 */
export class ClusterTableView extends LitElement {
  static override properties = {
    clusters: { attribute: false },
    busy: { type: Boolean },
    mapName: { attribute: false },
    basis: { attribute: false },
    settings: { attribute: false },
    df: { attribute: false },
    kind: { attribute: false },
    height: { attribute: false },
    role: { attribute: false },
    regions: { attribute: false },
    regionShares: { attribute: false },
    permutation: { attribute: false },
    emptyNote: { attribute: false },
    first: { state: true },
    active: { state: true },
    expanded: { state: true },
  };
  /** The atlas region at each cluster's peak (by position in clusters), or null with no atlas. */
  declare regions: string[] | null;
  /** Each cluster's share of voxels per region, computed when the CSV is exported. */
  declare regionShares: (() => string[]) | null;
  declare clusters: Cluster[];
  declare busy: boolean;
  declare mapName: string;
  /** The settings the table was computed with (its smoothness, engine...), for the GRF note and the CSV. */
  declare basis: TableBasis | null;
  declare settings: ThresholdSettings | null;
  declare df: number | undefined;
  /** What the map is (its statistic and df, as the map list shows it), for the CSV's threshold line. */
  declare kind: MapKindInfo | undefined;
  /** What FDR or Bonferroni gave, in those modes, for the CSV's threshold line. */
  declare height: HeightControl | null;
  /** In a comparison, which side this table is. */
  declare role: 'pre' | 'post' | null;
  /** A group analysis's own clusters: their permutation FWE p (extent, mass) and GRF p, by index. */
  declare permutation: PermutationP | null;
  /** Why the table is empty, where the page can say (a threshold beyond the map's values). */
  declare emptyNote: string | null;
  /** The first row the box shows. */
  declare first: number;
  /** The row that holds the table's Tab stop. */
  declare active: number;
  /** Indices of the clusters whose sub-peaks are shown. */
  declare expanded: ReadonlySet<number>;
  static override styles = [
    panelStyles,
    css`
      .contained { height: 16rem; contain: strict; background: var(--bg, #111418); }
      thead th { position: sticky; top: 0; background: var(--bg, #111418); z-index: 1; }
      tbody tr { height: 1.75rem; }
      tbody tr[data-key] { cursor: pointer; }
      tr.gap td { padding: 0; border: 0; }
      /* Seven columns in the side panel at 1280 px: compact, tabular figures. */
      table { font-size: 0.8rem; }
      th, td { padding: 0.12rem 0.16rem; }
      .toggle { width: 0.7rem; }
      /* The region column takes what the others leave (max-width 0 in an auto table): a long name
         (AAL's Frontal_Sup_Medial_L) ends in an ellipsis, whole in its title, and never runs past the panel. */
      .region { max-width: 0; width: 30%; min-width: 4rem; overflow: hidden; text-overflow: ellipsis; text-align: left; }
      tr[aria-level='2'] td { color: var(--muted, #9aa4b2); }
      tr[aria-level='2'] td:first-child { padding-left: 1.2rem; }
      tbody tr[tabindex]:focus { outline: 2px solid var(--accent, #ff9f1c); outline-offset: -2px; }
      tbody tr[aria-selected='true'] { background: #1d2530; }
      .toggle { display: inline-block; color: var(--muted, #9aa4b2); cursor: pointer; }
      .basis { margin: 0 0 0.3rem; font-size: 0.8rem; }
      h2 .role { color: var(--accent, #ff9f1c); text-transform: uppercase; font-size: 0.8rem; }
    `,
  ];
  private rowPx = ROW_PX_GUESS;
  /** The radius of spheres put at the peaks (Berry et al. 2021: 4 mm across). */
  private radiusMm = BERRY_ROI_RADIUS_MM;
  private boxPx = 0;
  private scrollPending = false;
  /** Set by a key press: focus the active row once it is drawn. */
  private focusPending = false;

  constructor() {
    super();
    this.clusters = [];
    this.busy = false;
    this.mapName = '';
    this.basis = null;
    this.settings = null;
    this.df = undefined;
    this.kind = undefined;
    this.height = null;
    this.role = null;
    this.regions = null;
    this.regionShares = null;
    this.permutation = null;
    this.emptyNote = null;
    this.first = 0;
    this.active = 0;
    this.expanded = new Set();
  }

  /** The rows in order: each cluster, then its sub-peaks when expanded. */
  private rows(): Row[] {
    return this.clusters.flatMap((c) => [
      { key: `${c.index}`, cluster: c, sub: 0, peak: c.peak },
      ...(this.expanded.has(c.index)
        ? c.subpeaks.map((p, k) => ({ key: `${c.index}.${k + 1}`, cluster: c, sub: k + 1, peak: p }))
        : []),
    ]);
  }

  override render() {
    const all = this.rows();
    const active = Math.min(this.active, Math.max(0, all.length - 1));
    const windowed = all.length > ROWS_BEFORE_SCROLLING;
    const shown = Math.ceil((this.boxPx || BOX_PX_GUESS) / this.rowPx);
    const from = windowed ? Math.max(0, Math.min(this.first, all.length - shown) - ROWS_BEYOND_VIEW) : 0;
    const to = windowed ? Math.min(all.length, this.first + shown + ROWS_BEYOND_VIEW) : all.length;
    const extra = this.extraColumns();
    const gap = (rows: number) =>
      rows > 0
        ? html`<tr class="gap" aria-hidden="true" style="height: ${rows * this.rowPx}px"><td colspan=${7 + (this.permutation ? 2 : 0) + (this.regions ? 1 : 0) + (extra.z ? 1 : 0) + (extra.fwe ? 1 : 0) - (extra.cog ? 0 : 1) - (extra.mm3 ? 0 : 1)}></td></tr>`
        : null;
    const warnings = this.permutation ? [] : (this.basis?.warnings ?? []);
    // A group run's own table: its p GRF comes from the run (the z-map's smoothness in its mask), not this map's estimate.
    const basis = this.permutation
      ? "the group analysis (the z-map's smoothness within its mask); p FWE and p mass by its permutations"
      : this.basis
        ? smoothnessText(this.basis)
        : null;
    const subs = this.clusters.reduce((n, c) => n + c.subpeaks.length, 0);
    return html`<h2>Clusters${this.role ? html` <span class="role">${this.role}</span>` : null}
        <span class="muted" id="cluster-count">${this.busy ? 'computing…' : `${this.clusters.length} cluster(s)${subs ? `, ${subs} sub-peak(s)` : ''}`}</span>
        <button id="export-clusters" ?disabled=${!this.clusters.length} @click=${this.exportCsv}>Export CSV</button></h2>
      <div class="row">
        <button id="spheres-at-peaks" ?disabled=${!all.length} @click=${this.spheresAtPeaks}>Spheres at peaks</button>
        <label>radius <input id="peak-radius" type="number" min="0.5" step="0.5" .value=${String(this.radiusMm)} @change=${(e: Event) => (this.radiusMm = Number((e.target as HTMLInputElement).value))} /> mm</label>
      </div>
      ${this.role ? html`<p class="muted basis">${this.mapName}</p>` : null}
      ${this.emptyNote && !this.busy ? html`<p class="muted" id="empty-note" role="status">${this.emptyNote}</p>` : null}
      ${basis ? html`<p class="muted basis" id="grf-basis" title="What the cluster p-values rest on (Gaussian random field theory)">GRF p from ${basis}</p>` : null}
      ${warnings.length ? html`<p class="muted basis" id="grf-note">${warnings.join('. ')}.</p>` : null}
      <div class=${windowed ? 'scroll contained' : 'scroll'} @scroll=${this.onScroll}>
        <table role="treegrid" aria-label=${`Cluster table${this.role ? ` (${this.role})` : ''}`} aria-rowcount=${all.length + 1}>
          <thead>
            <tr role="row" aria-rowindex="1">
              <th role="columnheader" title="Cluster (1 = largest); ▸ shows its sub-peaks">#</th><th role="columnheader">voxels</th>${extra.mm3 ? html`<th role="columnheader">mm³</th>` : null}
              <th role="columnheader" title="Cluster p by Gaussian random field theory">${this.permutation ? 'p GRF' : 'p'}</th>${this.permutation ? html`<th role="columnheader" title="FWE p of the extent, by permutation">p FWE</th><th role="columnheader" title="FWE p of the mass, by permutation">p mass</th>` : null}<th role="columnheader" title="Peak value (its sign is the cluster's)">peak</th>${extra.z ? html`<th role="columnheader" class="peak-z" title="The peak's z-equivalent: the z with the same one-sided p (SPM's Z_E)">Z</th>` : null}${extra.fwe ? html`<th role="columnheader" class="peak-fwe" title="Peak-level FWE p by random field theory at the peak's height (SPM's peak p(FWE-corr), from the DLH and the search volume)">p peak</th>` : null}
              <th role="columnheader" title="Peak position x, y, z in mm">peak (mm)</th>${extra.cog ? html`<th role="columnheader" title="Centre of gravity (value-weighted) x, y, z in mm, to the nearest mm (the CSV has it in full)">cog (mm)</th>` : null}
              ${this.regions ? html`<th role="columnheader" class="name region" title="peak region: the open atlas's region at the peak">peak region</th>` : null}
            </tr>
          </thead>
          <tbody @keydown=${this.onKey}>
            ${gap(from)}
            ${repeat(
              all.slice(from, to),
              (r) => r.key,
              (r, k) => this.row(r, from + k, from + k === active, extra),
            )}
            ${gap(all.length - to)}
          </tbody>
        </table>
      </div>`;
  }

  /**
   * SPM's results columns where they say something: the peak's z-equivalent on a t- or F-map (on a
   * z-map it is the peak itself), and the peak-level FWE p wherever the smoothness is known.
   */
  private extraColumns(): Columns {
    // The permutation p, or the peak region, take the centre of gravity's place too (the panel is about 440 px).
    if (this.permutation) return { z: false, fwe: false, cog: false, mm3: true };
    const z = this.clusters.some(
      (c) => c.peakZ != null && Math.abs(c.peakZ - c.peak.value) > 1e-6 * Math.abs(c.peak.value),
    );
    const fwe = this.clusters.some((c) => c.peakPFwe != null);
    // The panel has room for so many columns: with SPM's, the centre of gravity goes to the peak's title (and the CSV).
    return { z, fwe, cog: !z && !fwe && !this.regions, mm3: !(this.regions && (z || fwe)) };
  }

  private row(r: Row, pos: number, active: boolean, extra: Columns) {
    const c = r.cluster;
    const sign = c.sign > 0 ? 'pos' : 'neg';
    if (r.sub > 0)
      return html`<tr role="row" aria-level="2" aria-label=${`Sub-peak ${c.index}.${r.sub}: ${fmt(r.peak.value, 2)} at ${r.peak.mm.map((v) => fmt(v, 0)).join(', ')} mm`} data-key=${r.key} data-index=${c.index} data-subpeak=${r.sub} aria-rowindex=${pos + 2} tabindex=${active ? 0 : -1} aria-selected=${active ? 'true' : 'false'}
        @click=${() => this.choose(pos)}>
        <td role="gridcell">${c.index}.${r.sub}</td><td role="gridcell"></td>${extra.mm3 ? html`<td role="gridcell"></td>` : null}<td role="gridcell"></td>${this.permutation ? html`<td role="gridcell"></td><td role="gridcell"></td>` : null}
        <td role="gridcell" class=${`peak ${sign}`}>${fmt(r.peak.value, 2)}</td>${extra.z ? html`<td role="gridcell"></td>` : null}${extra.fwe ? html`<td role="gridcell"></td>` : null}
        <td role="gridcell" class="peak-mm">${r.peak.mm.map((v) => fmt(v, 0)).join(', ')}</td>${extra.cog ? html`<td role="gridcell"></td>` : null}
        ${this.regions ? html`<td role="gridcell"></td>` : null}
      </tr>`;
    const open = this.expanded.has(c.index);
    // A group analysis's own cluster: the run's GRF p (z-based) beside its permutation p.
    const perm = this.permutation?.get(c.index);
    return html`<tr role="row" aria-level="1" aria-label=${`Cluster ${c.index}: ${c.voxels} voxels, p ${fmtP(c.p)}, peak ${fmt(c.peak.value, 2)} at ${c.peak.mm.map((v) => fmt(v, 0)).join(', ')} mm${c.subpeaks.length ? `, ${c.subpeaks.length} sub-peaks` : ''}`} data-key=${r.key} data-index=${c.index} aria-rowindex=${pos + 2} tabindex=${active ? 0 : -1} aria-selected=${active ? 'true' : 'false'}
        aria-expanded=${ifDefined(c.subpeaks.length ? (open ? 'true' : 'false') : undefined)} @click=${(e: Event) => !(e.target as Element).closest('.toggle') && this.choose(pos)}>
      <td role="gridcell"><span class="toggle" aria-hidden="true" @click=${() => this.toggle(c, pos)}>${c.subpeaks.length ? (open ? '▾' : '▸') : ''}</span><button tabindex="-1" aria-label=${`Go to the peak of cluster ${c.index}`}>${c.index}</button></td>
      <td role="gridcell" class="voxels" title=${`${fmt(c.volumeMm3, 0)} mm³`}>${c.voxels}</td>
      ${extra.mm3 ? html`<td role="gridcell">${fmt(c.volumeMm3, 0)}</td>` : null}
      <td role="gridcell" class="p" title=${!perm && c.p === null ? (this.basis?.grfWithheld ?? '') : ''}>${fmtP(perm ? (perm.pGrf ?? null) : c.p)}</td>
      ${this.permutation ? html`<td role="gridcell" class="p-fwe">${fmtP(perm?.pFwe ?? null)}</td><td role="gridcell" class="p-mass">${fmtP(perm?.pFweMass ?? null)}</td>` : null}
      <td role="gridcell" class=${`peak ${sign}`}>${fmt(c.peak.value, 2)}</td>${extra.z ? html`<td role="gridcell" class="peak-z">${c.peakZ == null ? '–' : fmt(c.peakZ, 2)}</td>` : null}${extra.fwe ? html`<td role="gridcell" class="peak-fwe">${fmtP(c.peakPFwe ?? null)}</td>` : null}
      <td role="gridcell" class="peak-mm" title=${extra.cog ? '' : `centre of gravity ${c.cog.mm.map((v) => fmt(v, 2)).join(', ')} mm`}>${c.peak.mm.map((v) => fmt(v, 0)).join(', ')}</td>
      ${extra.cog ? html`<td role="gridcell" title=${c.cog.mm.map((v) => fmt(v, 2)).join(', ')}>${c.cog.mm.map((v) => fmt(Math.round(v), 0)).join(', ')}</td>` : null}
      ${this.regions ? html`<td role="gridcell" class="name region" title=${this.regions[c.index - 1] ?? ''}>${this.regions[c.index - 1] ?? ''}</td>` : null}
    </tr>`;
  }

  protected override willUpdate(changed: PropertyValues): void {
    // A new table (a threshold moved): keep the expanded clusters that still have sub-peaks.
    if (changed.has('clusters')) {
      const keep = new Set([...this.expanded].filter((i) => this.clusters[i - 1]?.subpeaks.length));
      if (keep.size !== this.expanded.size) this.expanded = keep;
    }
  }

  /** Measures a row and the box once there are some, so the window matches what the box shows; focuses the row a key chose. */
  protected override updated(changed: PropertyValues): void {
    if (this.focusPending) {
      this.focusPending = false;
      this.renderRoot.querySelector<HTMLElement>('tbody tr[tabindex="0"]')?.focus();
    }
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

  /** The grid's keys (WAI-ARIA tree grid, rows focused): arrows, Home/End, Page keys, Enter or Space. */
  private onKey(e: KeyboardEvent): void {
    const rows = this.rows();
    if (!rows.length) return;
    // The row the key was pressed in (a row, or a button in it, has the focus).
    const key = (e.target as Element).closest?.('tr[data-key]')?.getAttribute('data-key');
    const found = rows.findIndex((r) => r.key === key);
    const at = found >= 0 ? found : Math.min(this.active, rows.length - 1);
    const r = rows[at]!;
    const page = Math.max(1, Math.floor((this.boxPx || BOX_PX_GUESS) / this.rowPx) - 1);
    let to = at;
    switch (e.key) {
      case 'ArrowDown':
        to = at + 1;
        break;
      case 'ArrowUp':
        to = at - 1;
        break;
      case 'PageDown':
        to = at + page;
        break;
      case 'PageUp':
        to = at - page;
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = rows.length - 1;
        break;
      case 'ArrowRight':
        if (r.sub === 0 && r.cluster.subpeaks.length && !this.expanded.has(r.cluster.index)) this.toggle(r.cluster, at);
        else if (r.sub === 0 && this.expanded.has(r.cluster.index)) to = at + 1;
        break;
      case 'ArrowLeft':
        if (r.sub > 0) to = at - r.sub;
        else if (this.expanded.has(r.cluster.index)) this.toggle(r.cluster, at);
        break;
      case 'Enter':
      case ' ':
        this.choose(at);
        break;
      default:
        return;
    }
    e.preventDefault();
    this.moveTo(Math.max(0, Math.min(rows.length - 1, to)));
  }

  private moveTo(pos: number): void {
    this.active = pos;
    this.focusPending = true;
    const shown = Math.ceil((this.boxPx || BOX_PX_GUESS) / this.rowPx);
    // Bring the row into the drawn window; focusing it then scrolls the box to it.
    if (pos < this.first || pos >= this.first + shown) this.first = Math.max(0, pos - Math.floor(shown / 2));
    this.requestUpdate();
  }

  private toggle(c: Cluster, pos: number): void {
    if (!c.subpeaks.length) return;
    const next = new Set(this.expanded);
    if (!next.delete(c.index)) next.add(c.index);
    this.expanded = next;
    this.active = pos;
  }

  /** Goes to the row's peak (or sub-peak), and gives the row the table's Tab stop. */
  private choose(pos: number): void {
    const r = this.rows()[pos];
    if (!r) return;
    this.active = pos;
    this.dispatchEvent(
      new CustomEvent<[number, number, number]>('peak-select', { detail: r.peak.mm, bubbles: true, composed: true }),
    );
  }

  /** Asks for a sphere at each listed cluster's peak: `spheres-at-peaks` with the radius (mm). */
  private spheresAtPeaks(): void {
    this.dispatchEvent(
      new CustomEvent<number>('spheres-at-peaks', { detail: this.radiusMm, bubbles: true, composed: true }),
    );
  }

  private exportCsv(): void {
    const b = this.basis;
    const settings = this.settings;
    if (!b || !settings) return;
    const regions = this.regions && this.regionShares ? { peak: this.regions, shares: this.regionShares() } : null;
    const csv = clusterCsv({
      file: this.mapName,
      role: this.role,
      settings,
      df: this.df,
      kind: this.kind,
      height: this.height,
      table: { ...b, clusters: this.clusters },
      regions,
    });
    const stem = this.mapName.replace(/\.(nii|hdr|img)(\.gz)?$/i, '') || 'map';
    download(`${stem}${this.role ? `_${this.role}` : ''}_clusters.csv`, csv, 'text/csv');
  }
}
/** The optional columns: SPM's Z and peak FWE p, and the centre of gravity where there is room. */
interface Columns {
  readonly z: boolean;
  readonly fwe: boolean;
  readonly cog: boolean;
  /** mm³ beside voxels: left to the voxels cell's title when SPM's columns and the peak region share the panel. */
  readonly mm3: boolean;
}

customElements.define('sl-cluster-table', ClusterTableView);
