import { LitElement, html } from 'lit';
import type { EngineInfo } from '../worker/analysis-api';
import { fmt, panelStyles } from './styles';

export interface MapValue {
  readonly name: string;
  readonly voxel: [number, number, number] | null;
  readonly value: number | null;
  /** The region the value names, for a label atlas. */
  readonly region?: string | null;
}

/**
 * Where the crosshair is (MNI or scanner mm, as the shown map's grid says), the value in every map,
 * the atlas region there, and which engine computes.
 */
export class Readout extends LitElement {
  static override properties = { mm: { attribute: false }, values: { attribute: false }, engine: { attribute: false }, space: { attribute: false } };
  declare mm: [number, number, number] | null;
  /** 'mni', 'native', or null with no map. */
  declare space: 'mni' | 'native' | null;
  declare values: MapValue[];
  declare engine: EngineInfo | null;
  static override styles = panelStyles;

  constructor() {
    super();
    this.mm = null;
    this.values = [];
    this.engine = null;
    this.space = null;
  }

  override render() {
    return html`<div class="row" aria-live="polite">
        <span id="crosshair-mm">${this.mm ? `${this.space === 'native' ? 'scanner/native' : 'MNI'} ${this.mm.map((v) => v.toFixed(1)).join(', ')} mm` : 'no crosshair'}</span>
        ${this.values.map(
          (v) => html`<span class="muted" data-map=${v.name}>${v.name}: <span class="value">${fmt(v.value, 3)}</span>${v.region ? html` <strong class="region">${v.region}</strong>` : ''}${v.voxel ? ` @ [${v.voxel.join(', ')}]` : ''}</span>`,
        )}
      </div>
      <div class="row muted" id="engine" title=${this.engine?.reason ?? ''}>
        ${this.engine ? `Engine: ${this.engine.kind === 'gpu' ? 'WebGPU' : 'CPU'} — ${this.engine.description}; ${this.engine.reason}` : 'Engine: starting…'}
      </div>`;
  }
}
customElements.define('sl-readout', Readout);
