import { LitElement, css, html, nothing } from 'lit';
import {
  BACKGROUND_COLORMAPS,
  CONTRIBUTION_NEGATIVE,
  CONTRIBUTION_POSITIVE,
  DEFAULT_NEGATIVE,
  DEFAULT_POSITIVE,
  NEGATIVE_COLORMAPS,
  POSITIVE_COLORMAPS,
  type LayerDisplay,
  type LayerId,
  type OverlayRole,
} from '../app/maps/layer-display';
import type { LayerRow } from '../app/page/view-model';
import { cardListStyles, panelStyles } from './styles';

export interface LayerChange {
  readonly id: LayerId;
  readonly patch: LayerDisplay;
}

/**
 * Per layer: visibility, colour maps (positive and negative), display range, symmetric negative side,
 * opacity, an atlas's outline, and the overlays' order. Emits `layer-change` (LayerChange) and
 * `layer-move` ({ role, by }).
 */
export class LayersPanel extends LitElement {
  static override properties = { layers: { attribute: false } };
  declare layers: LayerRow[];
  static override styles = [
    panelStyles,
    cardListStyles,
    css`
      input.range { width: 4.5rem; }
      input[type='range'] { width: 6rem; }
    `,
  ];

  constructor() {
    super();
    this.layers = [];
  }

  override render() {
    if (!this.layers.length) return html``;
    const overlays = this.layers.filter((l) => l.role);
    return html`<h2>Layers</h2>
      <ul aria-label="Layers">
        ${this.layers.map((l) => {
          const d = l.display;
          const at = overlays.indexOf(l);
          const num = (key: 'min' | 'max', label: string) =>
            html`<label>${label} <input class="range" data-range=${key} type="number" step="any" aria-label=${`${label} of ${l.name}`} placeholder=${l.auto ? String(+l.auto[key].toPrecision(4)) : 'auto'}
              .value=${d[key] === undefined ? '' : String(d[key])}
              @change=${(e: Event) => {
                const v = (e.target as HTMLInputElement).value.trim();
                this.change(l, { [key]: v === '' ? NaN : Number(v) });
              }} /></label>`;
          return html`<li data-layer=${l.id} data-kind=${l.kind}>
            <div class="name">${l.name} <span class="muted">${l.kindLabel}</span></div>
            <div class="row">
              <label><input type="checkbox" class="layer-visible" aria-label=${`Show layer ${l.name}`} .checked=${d.visible !== false} @change=${(e: Event) => this.change(l, { visible: (e.target as HTMLInputElement).checked })} /> shown</label>
              ${
                l.kind === 'label'
                  ? html`<label><input type="checkbox" class="layer-outline" aria-label=${`Outline ${l.name}`} .checked=${!!d.outline} @change=${(e: Event) => this.change(l, { outline: (e.target as HTMLInputElement).checked })} /> outline</label>`
                  : html`<label>colours
                    <select class="layer-colormap" aria-label=${`Colour map of ${l.name}`} @change=${(e: Event) => this.change(l, { colormap: (e.target as HTMLSelectElement).value })}>
                      ${(l.kind === 'background' ? BACKGROUND_COLORMAPS : POSITIVE_COLORMAPS).map((c) => html`<option value=${c} ?selected=${c === (d.colormap ?? l.colours?.colormap ?? (l.kind === 'background' ? 'gray' : l.id === 'contribution' ? CONTRIBUTION_POSITIVE : DEFAULT_POSITIVE))}>${c}</option>`)}
                    </select></label>`
              }
              ${
                l.kind === 'stat' || l.kind === 'signed'
                  ? html`<label>negative
                    <select class="layer-colormap-negative" aria-label=${`Negative colour map of ${l.name}`} @change=${(e: Event) => this.change(l, { colormapNegative: (e.target as HTMLSelectElement).value })}>
                      ${NEGATIVE_COLORMAPS.map((c) => html`<option value=${c} ?selected=${c === (d.colormapNegative ?? l.colours?.colormapNegative ?? (l.id === 'contribution' ? CONTRIBUTION_NEGATIVE : DEFAULT_NEGATIVE))}>${c}</option>`)}
                    </select></label>`
                  : nothing
              }
            </div>
            ${
              l.kind === 'label'
                ? nothing
                : html`<div class="row">
                  ${num('min', 'min')} ${num('max', 'max')}
                  ${
                    l.kind === 'stat'
                      ? html`<label><input type="checkbox" class="layer-symmetric" aria-label=${`Symmetric range of ${l.name}`} .checked=${d.symmetric !== false} @change=${(e: Event) => this.change(l, { symmetric: (e.target as HTMLInputElement).checked })} /> ± symmetric</label>`
                      : nothing
                  }
                </div>`
            }
            ${
              l.kind === 'background'
                ? nothing
                : html`<div class="row">
                  <label>opacity <input type="range" class="layer-opacity" min="0" max="1" step="0.05" aria-label=${`Opacity of ${l.name}`} .value=${String(d.opacity ?? 1)}
                    @change=${(e: Event) => this.change(l, { opacity: Number((e.target as HTMLInputElement).value) })} /></label>
                  ${
                    l.role
                      ? html`<button class="layer-up" aria-label=${`Move ${l.name} up`} ?disabled=${at === overlays.length - 1} @click=${() => this.move(l.role!, 1)}>▲</button>
                        <button class="layer-down" aria-label=${`Move ${l.name} down`} ?disabled=${at === 0} @click=${() => this.move(l.role!, -1)}>▼</button>`
                      : nothing
                  }
                </div>`
            }
          </li>`;
        })}
      </ul>`;
  }

  private change(l: LayerRow, patch: LayerDisplay): void {
    this.dispatchEvent(
      new CustomEvent<LayerChange>('layer-change', { detail: { id: l.id, patch }, bubbles: true, composed: true }),
    );
  }

  private move(role: OverlayRole, by: 1 | -1): void {
    this.dispatchEvent(
      new CustomEvent<{ role: OverlayRole; by: 1 | -1 }>('layer-move', {
        detail: { role, by },
        bubbles: true,
        composed: true,
      }),
    );
  }
}
customElements.define('sl-layers-panel', LayersPanel);
