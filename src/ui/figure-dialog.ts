import { LitElement, css, html, type PropertyValues } from 'lit';
import { figureSvg } from '../figure/figure-export';
import { defaultFigureOptions, figureLayout, type FigureLayout, type FigureOptions } from '../figure/figure-layout';
import { FigureError, type FigureView } from '../figure/figure-slices';
import { parseSliceList, type FigureSource } from '../app/page/figure-source';
import { download } from './download';
import { drawFigure, figurePng, paneDataUrls } from './figure-render';
import { panelStyles } from './styles';

/** The preview is drawn this many pixels wide (at whatever DPI that makes). */
const PREVIEW_PX = 760;

/**
 * The publication figure of the shown map: a mosaic of slices with its colour bar, previewed, saved
 * as PNG (at the DPI chosen) or SVG. Properties in (`source`, `open`); `figure-close` out.
 */
export class FigureDialog extends LitElement {
  static override properties = {
    source: { attribute: false },
    open: { type: Boolean },
    options: { state: true },
    sliceText: { state: true },
    error: { state: true },
    saving: { state: true },
  };
  declare source: FigureSource | null;
  declare open: boolean;
  declare options: FigureOptions;
  declare sliceText: string;
  declare error: string | null;
  declare saving: boolean;
  static override styles = [
    panelStyles,
    css`
      dialog { background: #14181e; color: var(--fg, #e6e9ee); border: 1px solid #39424e; border-radius: 6px; max-width: min(96vw, 820px); max-height: 94vh; padding: 0.8rem; }
      dialog::backdrop { background: rgba(0, 0, 0, 0.6); }
      canvas { display: block; width: 100%; max-width: ${PREVIEW_PX}px; margin: 0.4rem 0; border: 1px solid #2a323c; }
      input[type='text'] { width: 12rem; }
      .error { color: #ff6b6b; }
      .actions { justify-content: flex-end; }
    `,
  ];

  private layout: FigureLayout | null = null;
  private forSource: FigureSource | null = null;

  constructor() {
    super();
    this.source = null;
    this.open = false;
    this.options = defaultFigureOptions('', '');
    this.sliceText = '-24, 0, 24, 48';
    this.error = null;
    this.saving = false;
  }

  override render() {
    const o = this.options;
    const even = o.slices.kind === 'even';
    return html`<dialog aria-label="Figure" @close=${() => this.close()}>
      <h2>Figure: ${this.source?.name ?? ''}</h2>
      <div class="row">
        <label>View
          <select id="figure-view" @change=${(e: Event) => this.set({ view: (e.target as HTMLSelectElement).value as FigureView })}>
            ${(['axial', 'coronal', 'sagittal'] as const).map((v) => html`<option value=${v} ?selected=${o.view === v}>${v}</option>`)}
          </select>
        </label>
        <label>Slices
          <select id="figure-slice-kind" @change=${(e: Event) => this.setSliceKind((e.target as HTMLSelectElement).value === 'even')}>
            <option value="even" ?selected=${even}>evenly spaced</option>
            <option value="mm" ?selected=${!even}>at mm</option>
          </select>
        </label>
        ${
          o.slices.kind === 'even'
            ? html`<label>how many <input id="figure-count" type="number" min="1" max="60" .value=${String(o.slices.count)} @change=${(e: Event) => this.set({ slices: { kind: 'even', count: Number((e.target as HTMLInputElement).value) } })} /></label>`
            : html`<label>mm <input id="figure-mm" type="text" .value=${this.sliceText} @change=${(e: Event) => this.setSliceText((e.target as HTMLInputElement).value)} /></label>`
        }
        <label>Columns <input id="figure-columns" type="number" min="1" placeholder="auto" .value=${o.columns === null ? '' : String(o.columns)} @change=${(
          e: Event,
        ) => {
          const v = (e.target as HTMLInputElement).value;
          this.set({ columns: v === '' ? null : Number(v) });
        }} /></label>
      </div>
      <div class="row">
        <label>Title <input id="figure-title" type="text" .value=${o.title} @change=${(e: Event) => this.set({ title: (e.target as HTMLInputElement).value })} /></label>
        <label>Colour bar <input id="figure-bar-title" type="text" .value=${o.colourbarTitle} @change=${(e: Event) => this.set({ colourbarTitle: (e.target as HTMLInputElement).value })} /></label>
        <label>units <input id="figure-units" type="text" style="width:6rem" .value=${o.units} @change=${(e: Event) => this.set({ units: (e.target as HTMLInputElement).value })} /></label>
      </div>
      <div class="row">
        <label>Width (in) <input id="figure-width" type="number" min="1" max="40" step="0.5" .value=${String(o.widthIn)} @change=${(e: Event) => this.set({ widthIn: Number((e.target as HTMLInputElement).value) })} /></label>
        <label>DPI <input id="figure-dpi" type="number" min="36" max="1200" step="50" .value=${String(o.dpi)} @change=${(e: Event) => this.set({ dpi: Number((e.target as HTMLInputElement).value) })} /></label>
        <label><input id="figure-labels" type="checkbox" .checked=${o.clusterLabels} @change=${(e: Event) => this.set({ clusterLabels: (e.target as HTMLInputElement).checked })} /> cluster numbers</label>
        <label><input id="figure-glass" type="checkbox" .checked=${!!o.glass} @change=${(e: Event) => this.set({ glass: (e.target as HTMLInputElement).checked })} /> glass brain row</label>
        <label><input id="figure-dark" type="checkbox" .checked=${o.dark} @change=${(e: Event) => this.set({ dark: (e.target as HTMLInputElement).checked })} /> black background</label>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      <canvas id="figure-preview" aria-label="Figure preview"></canvas>
      <div class="row actions">
        <span class="muted" id="figure-size">${this.sizeNote()}</span>
        <button id="figure-png" ?disabled=${!this.layout || this.saving} @click=${() => this.savePng()}>Save PNG (${o.dpi} dpi)</button>
        <button id="figure-svg" ?disabled=${!this.layout || this.saving} @click=${() => this.saveSvg()}>Save SVG</button>
        <button id="figure-close" @click=${() => this.close()}>Close</button>
      </div>
    </dialog>`;
  }

  protected override updated(changed: PropertyValues): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (changed.has('open') && dialog) {
      if (this.open && !dialog.open) dialog.showModal();
      if (!this.open && dialog.open) dialog.close();
    }
    if (this.source && (this.source.name !== this.forSource?.name || this.source.units !== this.forSource.units)) {
      // A new map: its name and statistic become the defaults (the user's layout choices stay).
      this.forSource = this.source;
      this.options = {
        ...this.options,
        title: this.source.name,
        colourbarTitle: this.source.name,
        units: this.source.units,
      };
      return;
    }
    if (this.open && (changed.has('options') || changed.has('source') || changed.has('open'))) this.preview();
  }

  private set(patch: Partial<FigureOptions>): void {
    this.options = { ...this.options, ...patch };
  }

  private setSliceKind(even: boolean): void {
    if (even)
      this.set({
        slices: { kind: 'even', count: this.options.slices.kind === 'even' ? this.options.slices.count : 12 },
      });
    else this.setSliceText(this.sliceText);
  }

  private setSliceText(text: string): void {
    this.sliceText = text;
    const mm = parseSliceList(text);
    if ('error' in mm) this.error = mm.error;
    else this.set({ slices: { kind: 'mm', mm } });
  }

  private preview(): void {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('#figure-preview');
    if (!canvas || !this.source) return;
    try {
      const layout = figureLayout(this.source.input, this.options);
      drawFigure(canvas, this.source.input, layout, (PREVIEW_PX / layout.widthPt) * 72);
      this.layout = layout;
      this.error = null;
      canvas.dataset.panes = String(layout.panes.length);
      canvas.dataset.slices = layout.panes.map((p) => p.slice.mm).join(',');
      canvas.dataset.glass = String(layout.glass.length);
      // For tests and assistive checks: the cluster numbers drawn, and the glass panes in canvas pixels.
      canvas.dataset.labels = layout.texts
        .filter((t) => t.outlined)
        .map((t) => t.text)
        .join(',');
      const px = canvas.width / layout.widthPt;
      canvas.dataset.glassPx = layout.glass
        .map((g) => [g.x, g.y, g.w, g.h].map((v) => Math.round(v * px)).join(' '))
        .join(';');
    } catch (e) {
      this.layout = null;
      this.error =
        e instanceof FigureError
          ? e.message
          : `The figure could not be drawn: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.requestUpdate();
  }

  private sizeNote(): string {
    const l = this.layout;
    if (!l) return '';
    const s = this.options.dpi / 72;
    return `${Math.round(l.widthPt * s)} × ${Math.round(l.heightPt * s)} px, ${(l.widthPt / 72).toFixed(1)} × ${(l.heightPt / 72).toFixed(1)} in`;
  }

  private fileStem(): string {
    return `${(this.source?.name ?? 'map').replace(/[^\w.-]+/g, '_')}_${this.options.view}_mosaic`;
  }

  private async savePng(): Promise<void> {
    if (!this.layout || !this.source) return;
    this.saving = true;
    try {
      download(
        `${this.fileStem()}.png`,
        await figurePng(this.source.input, this.layout, this.options.dpi),
        'image/png',
      );
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.saving = false;
    }
  }

  private saveSvg(): void {
    if (!this.layout || !this.source) return;
    download(
      `${this.fileStem()}.svg`,
      figureSvg(this.layout, paneDataUrls(this.source.input, this.layout, this.options.dpi)),
      'image/svg+xml',
    );
  }

  private close(): void {
    if (!this.open) return;
    this.dispatchEvent(new CustomEvent('figure-close', { bubbles: true, composed: true }));
  }
}

customElements.define('sl-figure-dialog', FigureDialog);
