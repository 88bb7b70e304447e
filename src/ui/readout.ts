import { LitElement, html } from 'lit';
import type { EngineInfo } from '../worker/analysis-api';
import { fmt, panelStyles } from './styles';

export interface MapValue {
  readonly name: string;
  readonly voxel: [number, number, number] | null;
  readonly value: number | null;
}

/** Where the crosshair is (MNI mm, voxel, the value in every map) and which engine computes. */
export class Readout extends LitElement {
  static override properties = { mm: { attribute: false }, values: { attribute: false }, engine: { attribute: false } };
  declare mm: [number, number, number] | null;
  declare values: MapValue[];
  declare engine: EngineInfo | null;
  static override styles = panelStyles;

  constructor() {
    super();
    this.mm = null;
    this.values = [];
    this.engine = null;
  }

  override render() {
    return html`<div class="row" aria-live="polite">
        <span id="crosshair-mm">${this.mm ? `MNI ${this.mm.map((v) => v.toFixed(1)).join(', ')} mm` : 'no crosshair'}</span>
        ${this.values.map(
          (v) => html`<span class="muted" data-map=${v.name}>${v.name}: <span class="value">${fmt(v.value, 3)}</span>${v.voxel ? ` @ [${v.voxel.join(', ')}]` : ''}</span>`,
        )}
      </div>
      <div class="row muted" id="engine" title=${this.engine?.reason ?? ''}>
        ${this.engine ? `Engine: ${this.engine.kind === 'gpu' ? 'WebGPU' : 'CPU'} — ${this.engine.description}; ${this.engine.reason}` : 'Engine: starting…'}
      </div>`;
  }
}
customElements.define('sl-readout', Readout);
