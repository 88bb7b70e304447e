import { LitElement, css, html } from 'lit';
import { panelStyles } from './styles';

export interface MapRow {
  readonly id: number;
  readonly name: string;
  readonly summary: string;
  readonly anatomy: boolean;
}

/** The loaded maps: which one is shown, which is the background. Emits `map-select`, `background-select`, `map-remove`. */
export class MapList extends LitElement {
  static override properties = { maps: { attribute: false }, selectedId: { attribute: false }, backgroundId: { attribute: false }, roles: { attribute: false } };
  declare maps: MapRow[];
  /** In a comparison, the pre and post maps (then no single map is "shown"). */
  declare roles: ReadonlyMap<number, 'pre' | 'post'>;
  declare selectedId: number | null;
  declare backgroundId: number | null;
  static override styles = [
    panelStyles,
    css`
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; }
      li { background: var(--panel, #1a1f26); border-radius: 6px; padding: 0.3rem 0.5rem; }
      .name { font-weight: 600; word-break: break-all; }
      .role { color: var(--accent, #ff9f1c); text-transform: uppercase; font-size: 0.78rem; }
    `,
  ];

  constructor() {
    super();
    this.maps = [];
    this.selectedId = null;
    this.backgroundId = null;
    this.roles = new Map();
  }

  override render() {
    if (!this.maps.length) return html``;
    return html`<h2>Maps</h2>
      <ul aria-label="Loaded maps">
        ${this.maps.map(
          (m) => html`<li data-map=${m.name}>
            <div class="name">${this.roles.has(m.id) ? html`<span class="role">${this.roles.get(m.id)}</span> ` : null}${m.name}</div>
            <div class="muted">${m.summary}</div>
            <div class="row">
              <label><input type="radio" name="shown" aria-label=${`Show ${m.name}`} .checked=${!this.roles.size && m.id === this.selectedId} @change=${() => this.emit('map-select', m.id)} /> show</label>
              <label><input type="radio" name="background" aria-label=${`Use ${m.name} as background`} .checked=${m.id === this.backgroundId} @change=${() => this.emit('background-select', m.id)} /> background</label>
              <button aria-label=${`Remove ${m.name}`} @click=${() => this.emit('map-remove', m.id)}>Remove</button>
            </div>
          </li>`,
        )}
      </ul>`;
  }

  private emit(type: string, id: number): void {
    this.dispatchEvent(new CustomEvent<number>(type, { detail: id, bubbles: true, composed: true }));
  }
}
customElements.define('sl-map-list', MapList);
