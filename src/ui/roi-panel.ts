import { MAX_ROI_RADIUS_MM } from '../analysis/constants';
import { live } from 'lit/directives/live.js';
import { LitElement, css, html } from 'lit';
import type { RoiResult, Sphere } from '../analysis/roi';
import { toCsv } from '../report/csv';
import { download } from './download';
import { fmt, panelStyles } from './styles';

export interface MapColumn {
  readonly id: number;
  readonly name: string;
}

/**
 * ROI spheres and their means in every map shown. Emits `rois-change` with the new sphere list and
 * `roi-add-crosshair`; with a pre and a post column it adds post - pre.
 */
export class RoiPanel extends LitElement {
  static override properties = {
    spheres: { attribute: false },
    columns: { attribute: false },
    results: { attribute: false },
    pair: { attribute: false },
    nativeMaps: { attribute: false },
    problem: { state: true },
  };
  /** Maps in scanner (native) space, where MNI coordinates mean nothing. */
  declare nativeMaps: string[];
  /** Why the last value typed was refused. */
  declare problem: string | null;
  declare spheres: Sphere[];
  declare columns: MapColumn[];
  /** results[column][sphere] */
  declare results: RoiResult[][];
  /** Indices into columns of pre and post, when comparing. */
  declare pair: [number, number] | null;
  static override styles = [
    panelStyles,
    css`
      /* The panel is about 440 px at 1280 px: the ROI cell holds its centre and radius, map names wrap, and
         with many maps the table scrolls sideways under a sticky ROI column. */
      table { font-size: 0.8rem; }
      th, td { padding: 0.12rem 0.25rem; vertical-align: top; }
      th.map { white-space: normal; overflow-wrap: anywhere; min-width: 3.6rem; max-width: 6rem; }
      .key { position: sticky; left: 0; background: var(--bg, #111418); z-index: 1; }
      .roi-name { max-width: 9rem; white-space: normal; overflow-wrap: anywhere; }
      .where input[type='number'] { width: 3.4rem; padding: 0 0.2rem; }
      .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
    `,
  ];

  constructor() {
    super();
    this.spheres = [];
    this.columns = [];
    this.results = [];
    this.pair = null;
    this.nativeMaps = [];
    this.problem = null;
  }

  override render() {
    // A pair whose maps are not (yet) columns (a new result on its way) is no pair.
    const valid = (i: number): boolean => i >= 0 && i < this.columns.length;
    const pair = this.pair && valid(this.pair[0]) && valid(this.pair[1]) ? this.pair : null;
    // The compared pair first (pre, post, then post − pre), then the other maps: what the reader came for is in view.
    const order = pair
      ? [pair[0], pair[1], ...this.columns.map((_, i) => i).filter((i) => i !== pair[0] && i !== pair[1])]
      : this.columns.map((_, i) => i);
    return html`<h2>ROIs <button id="export-rois" ?disabled=${!this.results.length} @click=${this.exportCsv}>Export CSV</button></h2>
      ${
        this.nativeMaps.length
          ? html`<p class="row native-warning" role="alert" style="color:#ffcf7a">ROI centres are MNI mm, but ${this.nativeMaps.join(', ')} ${this.nativeMaps.length > 1 ? 'are' : 'is'} in scanner (native) space: ${this.nativeMaps.length > 1 ? 'their' : 'its'} means are at other anatomy than the coordinates name.</p>`
          : null
      }
      ${this.problem ? html`<p class="row roi-problem" role="alert" style="color:var(--error, #ff6b6b)">${this.problem}</p>` : null}
      <div class="scroll">
        <table aria-label="ROI means">
          <thead>
            <tr>
              <th class="name key">ROI <span class="muted">centre, radius (mm)</span></th>
              ${order.map((i) => html`<th class="map" title=${this.columns[i]!.name}>${role(pair, i) ? `${role(pair, i)}: ` : ''}${short(this.columns[i]!.name)}</th>${pair && i === pair[1] ? html`<th class="map">post − pre</th>` : null}`)}
              <th><span class="visually-hidden">Remove</span></th>
            </tr>
          </thead>
          <tbody>
            ${this.spheres.map((s, k) => {
              const delta = pair ? diff(this.results[pair[1]]?.[k]?.mean, this.results[pair[0]]?.[k]?.mean) : null;
              return html`<tr data-roi=${s.name}>
                <td class="name key"><div class="roi-name" title=${s.name}>${s.name}</div>
                  <div class="where muted">${s.center.map((v) => fmt(v, 0)).join(', ')} · r
                    <input type="number" min="0.5" max=${MAX_ROI_RADIUS_MM} step="0.5" aria-label=${`Radius of ${s.name} in mm`} .value=${live(String(s.radiusMm))}
                      @change=${(e: Event) => this.setRadius(k, Number((e.target as HTMLInputElement).value))} /></div></td>
                ${order.map((c) => {
                  const r = this.results[c]?.[k];
                  return html`<td class="mean" title=${r ? `${this.columns[c]!.name}: ${r.voxels} voxel(s)` : ''}>${fmt(r?.mean ?? null, 3)}</td>${pair && c === pair[1] ? html`<td class="delta">${fmt(delta, 3)}</td>` : null}`;
                })}
                <td><button aria-label=${`Remove ${s.name}`} @click=${() => this.emit(this.spheres.filter((_, i) => i !== k))}>×</button></td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      <div class="row">
        <button id="roi-at-crosshair" @click=${() => this.dispatchEvent(new CustomEvent('roi-add-crosshair', { bubbles: true, composed: true }))}>Add sphere at crosshair</button>
      </div>
      <form class="row" @submit=${this.addByCoordinates} aria-label="Add a sphere by coordinates">
        <label>x <input name="x" type="number" step="any" required /></label>
        <label>y <input name="y" type="number" step="any" required /></label>
        <label>z <input name="z" type="number" step="any" required /></label>
        <label>r <input name="r" type="number" step="any" min="0.5" max=${MAX_ROI_RADIUS_MM} value="2" required /></label>
        <label>name <input name="name" type="text" /></label>
        <button type="submit">Add sphere</button>
      </form>`;
  }

  private setRadius(k: number, r: number): void {
    this.problem = radiusProblem(r);
    if (this.problem) {
      // The box goes back to the radius in use, so what it shows is what the means were computed with.
      this.requestUpdate();
      return;
    }
    this.emit(this.spheres.map((s, i) => (i === k ? { ...s, radiusMm: r } : s)));
  }

  private addByCoordinates(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = (n: string): number => Number((form.elements.namedItem(n) as HTMLInputElement).value);
    const center: [number, number, number] = [v('x'), v('y'), v('z')];
    const r = v('r');
    this.problem = !center.every(Number.isFinite) ? 'Enter x, y and z in mm.' : radiusProblem(r);
    if (this.problem) return;
    const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim() || `(${center.join(', ')})`;
    this.emit([...this.spheres, { name, center, radiusMm: r }]);
    form.reset();
  }

  private emit(spheres: Sphere[]): void {
    this.dispatchEvent(new CustomEvent<Sphere[]>('rois-change', { detail: spheres, bubbles: true, composed: true }));
  }

  private exportCsv(): void {
    const rows = this.spheres.flatMap((s, k) =>
      this.columns.map((c, i) => {
        const r = this.results[i]?.[k];
        return [c.name, role(this.pair, i), s.name, ...s.center, s.radiusMm, r?.voxels ?? null, r?.mean ?? null];
      }),
    );
    download(
      'siglens_rois.csv',
      toCsv(['map', 'compare', 'roi', 'x_mm', 'y_mm', 'z_mm', 'radius_mm', 'voxels', 'mean'], rows),
      'text/csv',
    );
  }
}

/** Why a radius is refused, or null: above 0 and at most MAX_ROI_RADIUS_MM. */
export function radiusProblem(r: number): string | null {
  if (!Number.isFinite(r)) return 'Enter a radius in mm.';
  if (r <= 0) return `A sphere's radius must be above 0 mm (got ${r}).`;
  if (r > MAX_ROI_RADIUS_MM)
    return `A radius over ${MAX_ROI_RADIUS_MM} mm (got ${r}) would average most of a brain, zeros outside it included.`;
  return null;
}

function diff(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined ? null : a - b;
}

export function short(name: string): string {
  const n = name.replace(/\.(nii|hdr|img)(\.gz)?$/i, '');
  return n.length > 24 ? `${n.slice(0, 11)}…${n.slice(-11)}` : n;
}

customElements.define('sl-roi-panel', RoiPanel);

/** Which side of a comparison column i is ('pre', 'post'), or ''. */
export function role(pair: [number, number] | null, i: number): '' | 'pre' | 'post' {
  return pair?.[0] === i ? 'pre' : pair?.[1] === i ? 'post' : '';
}
