import { LitElement, css, html, nothing } from 'lit';
import { MAP_KINDS, kindLabel, type MapKind, type MapKindInfo } from '../analysis/map-kind';
import type { MapRow } from '../app/page/view-model';
import { cardListStyles, panelStyles } from './styles';
import type { ExtraOverlay } from '../app/maps/layer-display';
import { DEFAULT_Z_THRESHOLD, ONE_MINUS_P_THRESHOLD, TFCE_DEFAULT_SHARE } from '../analysis/constants';

export interface KindChange {
  readonly id: number;
  readonly kind: MapKindInfo;
}

export interface FrameChange {
  readonly id: number;
  readonly frame: number;
}

const KIND_NAMES: Record<MapKind, string> = {
  z: 'z',
  t: 't',
  f: 'F',
  p: 'p',
  'one-minus-p': '1 − p (FSL corrp)',
  tfce: 'TFCE score (tfce_tstat)',
  effect: 'effect (cope, beta, con, pe)',
  weights: 'signature weights',
  label: 'label atlas',
  anatomy: 'anatomy',
  other: 'other',
};

/**
 * The loaded maps: what each is (its kind, which the user can change; a t- or F-map's df), which one
 * is shown, the background, the atlas, and a 4D map's frame. Emits `map-select`, `background-select`,
 * `atlas-select`, `map-remove` (id), `map-kind` (KindChange), `map-frame` (FrameChange).
 */
export class MapList extends LitElement {
  static override properties = {
    maps: { attribute: false },
    selectedId: { attribute: false },
    backgroundId: { attribute: false },
    atlasId: { attribute: false },
    roles: { attribute: false },
    extraOverlays: { attribute: false },
  };
  declare maps: MapRow[];
  /** In a comparison, the pre and post maps (then no single map is "shown"). */
  declare roles: ReadonlyMap<number, 'pre' | 'post'>;
  declare selectedId: number | null;
  declare backgroundId: number | null;
  declare atlasId: number | null;
  /** The maps drawn over the shown one, with their thresholds. */
  declare extraOverlays: readonly ExtraOverlay[];
  static override styles = [
    panelStyles,
    cardListStyles,
    css`
      .kind { color: #ffcf7a; font-weight: 600; }
      .ask { color: #ffcf7a; }
      input[type='range'] { width: 8rem; }
      input.df { width: 4.5rem; }
      .role { color: var(--accent, #ff9f1c); text-transform: uppercase; font-size: 0.78rem; }
      /* A button that opens a file chooser: the input covers it, invisible, so a click or Enter opens it. */
      .table-button { position: relative; display: inline-block; padding: 0.15rem 0.5rem; border: 1px solid #39424e; border-radius: 4px; background: #222a33; color: var(--fg, #e6e9ee); cursor: pointer; }
      .table-button:hover, .table-button:focus-within { border-color: var(--accent, #ff9f1c); }
      .table-button input { position: absolute; inset: 0; opacity: 0; cursor: pointer; width: 100%; }
    `,
  ];

  constructor() {
    super();
    this.maps = [];
    this.selectedId = null;
    this.backgroundId = null;
    this.atlasId = null;
    this.roles = new Map();
    this.extraOverlays = [];
  }

  override render() {
    if (!this.maps.length) return html``;
    return html`<h2>Maps</h2>
      <ul aria-label="Loaded maps">
        ${this.maps.map(
          (m) => html`<li data-map=${m.name} data-kind=${m.kind.kind}>
            <div class="name">${this.roles.has(m.id) ? html`<span class="role">${this.roles.get(m.id)}</span> ` : null}${m.name}</div>
            <div class="kind" data-kind-label>${kindLabel(m.kind)}${m.kind.source === 'user' ? ' (set by you)' : ` (from the ${m.kind.source === 'descrip' ? 'SPM description' : m.kind.source === 'afni' ? `AFNI header, frame ${m.frame + 1}${m.frameLabels?.[m.frame] ? ` ${m.frameLabels[m.frame]}` : ''}` : m.kind.source === 'intent' ? 'NIfTI intent' : m.kind.source === 'name' ? 'file name' : 'values'})`}</div>
            <div class="muted">${m.summary}</div>
            <div class="row">
              <label>Kind
                <select aria-label=${`Kind of ${m.name}`} class="kind-select" @change=${(e: Event) => this.kind(m, { kind: (e.target as HTMLSelectElement).value as MapKind, source: 'user', df: m.kind.df, df2: m.kind.df2 })}>
                  ${MAP_KINDS.map((k) => html`<option value=${k} ?selected=${k === m.kind.kind}>${KIND_NAMES[k]}</option>`)}
                </select>
              </label>
              ${m.kind.kind === 't' || m.kind.kind === 'f' ? this.dfInputs(m) : nothing}
            </div>
            ${m.frames > 1 ? this.frameControl(m) : nothing}
            <div class="row">
              ${
                m.kind.kind === 'anatomy'
                  ? nothing
                  : html`<label><input type="radio" name="shown" aria-label=${`Show ${m.name}`} .checked=${!this.roles.size && m.id === this.selectedId} @change=${() => this.emit('map-select', m.id)} /> show</label>`
              }
              ${m.kind.kind === 'anatomy' || m.kind.kind === 'label' || m.id === this.selectedId ? nothing : this.overlayControl(m)}
              ${
                m.kind.kind === 'label'
                  ? html`<label><input type="radio" name="atlas" aria-label=${`Name regions from ${m.name}`} .checked=${m.id === this.atlasId} @change=${() => this.emit('atlas-select', m.id)} /> atlas</label>
                    ${
                      m.regions === null
                        ? html`<label class="table-button"><span>Open its label table…</span><input type="file" accept=".xml,.tsv,.json,.lut,.ctbl,.txt" aria-label=${`Open the label table of ${m.name} (region names)`}
                          @change=${(e: Event) => this.labelTable(m, e)} /></label>`
                        : html`<span class="muted">${m.regions} region names</span>`
                    }`
                  : nothing
              }
              <label><input type="radio" name="background" aria-label=${`Use ${m.name} as background`} .checked=${m.id === this.backgroundId} @change=${() => this.emit('background-select', m.id)} /> background</label>
              <button aria-label=${`Remove ${m.name}`} @click=${() => this.emit('map-remove', m.id)}>Remove</button>
            </div>
          </li>`,
        )}
      </ul>`;
  }

  /** df of a t-map (one) or an F-map (two); an empty box is the df not known, which the page asks for. */
  private dfInputs(m: MapRow) {
    const read = (e: Event): number | undefined => {
      const el = e.target as HTMLInputElement;
      const n = Number(el.value);
      const ok = el.value.trim() !== '' && Number.isFinite(n) && n > 0;
      el.setCustomValidity(ok || el.value.trim() === '' ? '' : 'df must be a number above 0');
      return ok ? n : undefined;
    };
    const unknown = m.kind.df === undefined || (m.kind.kind === 'f' && m.kind.df2 === undefined);
    return html`<label>${m.kind.kind === 'f' ? 'df1' : 'df'}
        <input class="df" type="number" min="0" step="1" aria-label=${`Degrees of freedom of ${m.name}`} .value=${m.kind.df === undefined ? '' : String(m.kind.df)}
          @change=${(e: Event) => this.kind(m, { ...m.kind, df: read(e) })} />
      </label>
      ${
        m.kind.kind === 'f'
          ? html`<label>df2 <input class="df" type="number" min="0" step="1" aria-label=${`Denominator degrees of freedom of ${m.name}`} .value=${m.kind.df2 === undefined ? '' : String(m.kind.df2)}
            @change=${(e: Event) => this.kind(m, { ...m.kind, df2: read(e) })} /></label>`
          : nothing
      }
      ${unknown ? html`<span class="ask" role="status">df not in the file: enter it to threshold by p</span>` : nothing}`;
  }

  private frameControl(m: MapRow) {
    const go = (e: Event): void => {
      const n = Math.round(Number((e.target as HTMLInputElement).value));
      if (Number.isInteger(n) && n >= 1 && n <= m.frames)
        this.dispatchEvent(
          new CustomEvent<FrameChange>('map-frame', {
            detail: { id: m.id, frame: n - 1 },
            bubbles: true,
            composed: true,
          }),
        );
    };
    return html`<div class="row frame">
      <label>Frame
        <input type="range" class="frame-slider" min="1" max=${m.frames} step="1" .value=${String(m.frame + 1)} aria-label=${`Frame of ${m.name}`} @change=${go} />
        <input type="number" class="frame-number" min="1" max=${m.frames} step="1" .value=${String(m.frame + 1)} aria-label=${`Frame number of ${m.name}`} @change=${go} />
      </label>
      <span class="muted">of ${m.frames}</span>
      ${m.frameLabels ? html`<span class="frame-label" title=${m.frameLabels.map((l, k) => `${k + 1}: ${l}`).join('\n')}>${m.frameLabels[m.frame] ?? ''}</span>` : nothing}
    </div>`;
  }

  private kind(m: MapRow, kind: MapKindInfo): void {
    this.dispatchEvent(
      new CustomEvent<KindChange>('map-kind', { detail: { id: m.id, kind }, bubbles: true, composed: true }),
    );
  }

  /** "also over the shown map": a checkbox, and its own threshold on |value| once checked. */
  private overlayControl(m: MapRow) {
    const o = this.extraOverlays.find((x) => x.id === m.id);
    const set = (threshold: number | null) =>
      this.dispatchEvent(
        new CustomEvent<OverlayChange>('overlay-change', {
          detail: { id: m.id, threshold },
          bubbles: true,
          composed: true,
        }),
      );
    return html`<label><input type="checkbox" class="overlay-toggle" aria-label=${`Also overlay ${m.name}`} .checked=${!!o} @change=${(e: Event) => set((e.target as HTMLInputElement).checked ? defaultOverlayThreshold(m.kind.kind, m.maxAbs) : null)} /> overlay too</label>
      ${
        o
          ? html`<label>|value| ≥ <input type="number" class="overlay-threshold" min="0" step="0.1" aria-label=${`Overlay threshold of ${m.name}`} .value=${String(o.threshold)}
            @change=${(e: Event) => {
              const v = Number((e.target as HTMLInputElement).value);
              if (Number.isFinite(v) && v > 0) set(v);
            }} /></label>`
          : nothing
      }`;
  }

  /** A label table chosen for an atlas: `label-table` with the file and the atlas it is for. */
  private labelTable(m: MapRow, e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file)
      this.dispatchEvent(
        new CustomEvent<LabelTableChoice>('label-table', { detail: { id: m.id, file }, bubbles: true, composed: true }),
      );
    input.value = '';
  }

  private emit(type: string, id: number): void {
    this.dispatchEvent(new CustomEvent<number>(type, { detail: id, bubbles: true, composed: true }));
  }
}
customElements.define('sl-map-list', MapList);

export interface OverlayChange {
  readonly id: number;
  /** The overlay's threshold, or null to take it off. */
  readonly threshold: number | null;
}

/** Where an extra overlay starts: 1 − p at 0.95, a TFCE score at a tenth of its largest, else z 2.3. */
function defaultOverlayThreshold(kind: MapKind, maxAbs: number): number {
  if (kind === 'one-minus-p') return ONE_MINUS_P_THRESHOLD;
  if (kind === 'tfce') return +(TFCE_DEFAULT_SHARE * maxAbs).toPrecision(3) || 1;
  return DEFAULT_Z_THRESHOLD;
}

export interface LabelTableChoice {
  readonly id: number;
  readonly file: File;
}
