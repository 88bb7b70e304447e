import { LitElement, css, html } from 'lit';
import { parseMm, type ReadoutModel, type ReadoutValue } from '../app/page/readout-values';
import type { EngineInfo } from '../worker/analysis-api';
import { fmt, panelStyles } from './styles';

/**
 * One line under the panes: where the crosshair is (MNI or scanner mm, as the shown map's grid says),
 * the focused values (the shown map; pre, post and post − pre in a comparison, all at one stated
 * point; the open atlas's region), the other maps on demand, a "Go to x, y, z" field and the engine.
 * Emits `goto` with a point in mm.
 */
export class Readout extends LitElement {
  static override properties = {
    mm: { attribute: false },
    model: { attribute: false },
    engine: { attribute: false },
    space: { attribute: false },
    invalid: { state: true },
  };
  declare mm: [number, number, number] | null;
  /** 'mni', 'native' (scanner mm), or null with no map. */
  declare space: 'mni' | 'native' | null;
  declare model: ReadoutModel;
  declare engine: EngineInfo | null;
  declare invalid: boolean;
  static override styles = [
    panelStyles,
    css`
      :host { font-size: 0.84rem; }
      .line { display: flex; flex-wrap: wrap; gap: 0.2rem 0.55rem; align-items: baseline; }
      .value { font-variant-numeric: tabular-nums; color: var(--fg, #e6e9ee); }
      .label { color: var(--muted, #9aa4b2); }
      details { display: inline; }
      details[open] { display: block; flex-basis: 100%; }
      summary { cursor: pointer; color: var(--muted, #9aa4b2); }
      details ul { margin: 0.2rem 0; padding-left: 1.2rem; }
      form { display: inline-flex; gap: 0.3rem; align-items: baseline; }
      form input { width: 7rem; }
      #engine { margin-left: auto; }
      input[aria-invalid='true'] { border-color: var(--error, #ff6b6b); }
      .how { font-size: 0.78rem; }
    `,
  ];

  constructor() {
    super();
    this.mm = null;
    this.model = { primary: [], others: [], how: null };
    this.engine = null;
    this.space = null;
    this.invalid = false;
  }

  override render() {
    const m = this.model;
    const e = this.engine;
    return html`<div class="line">
        <span id="crosshair-mm">${this.mm ? `${this.space === 'native' ? 'scanner/native' : 'MNI'} ${this.mm.map((v) => v.toFixed(1)).join(', ')} mm` : 'no crosshair'}</span>
        <span aria-live="polite" id="values">${m.primary.map((v) => this.value(v, true))}</span>
        ${
          m.others.length
            ? html`<details id="other-maps"><summary title="The other maps at the crosshair">+${m.others.length} map${m.others.length > 1 ? 's' : ''}</summary>
              <ul>${m.others.map((v) => html`<li>${this.value(v, false)}</li>`)}</ul></details>`
            : null
        }
        <form @submit=${this.goTo}>
          <input id="goto" type="text" inputmode="decimal" aria-label="Go to x, y, z (mm)" placeholder="Go to x, y, z" aria-invalid=${this.invalid ? 'true' : 'false'}
            title="A point in mm, e.g. 56, -44, 30; Enter moves every pane there" @input=${() => (this.invalid = false)} />
        </form>
        <span id="engine" class="muted" title=${e ? `${e.description}; ${e.reason}` : ''}>${e ? `Engine: ${e.kind === 'gpu' ? 'WebGPU' : 'CPU'}` : 'Engine: starting…'}</span>
      </div>
      ${m.how ? html`<div class="muted how" id="sampled">Sampled ${m.how}.</div>` : null}`;
  }

  private value(v: ReadoutValue, primary: boolean) {
    return html`<span class=${primary ? 'primary' : 'other'} data-map=${v.name} data-label=${v.label}
      ><span class="label">${v.label}:</span> <span class="value">${fmt(v.value, 3)}</span>${v.region ? html` <strong class="region">${v.region}</strong>` : ''}${v.voxel && !primary ? ` @ [${v.voxel.join(', ')}]` : ''} </span>`;
  }

  private goTo(e: Event): void {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#goto')!;
    const mm = parseMm(input.value);
    this.invalid = !mm;
    if (mm)
      this.dispatchEvent(
        new CustomEvent<[number, number, number]>('goto', { detail: mm, bubbles: true, composed: true }),
      );
  }
}
customElements.define('sl-readout', Readout);
