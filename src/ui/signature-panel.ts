import { LitElement, html } from 'lit';
import { DEFAULT_CONTRIBUTION_SHARE } from '../analysis/constants';
import type { SignatureResult } from '../analysis/signature';
import type { SignatureSettings } from '../app/page/settings';
import { toCsv } from '../report/csv';
import { role } from './roi-panel';
import { download } from './download';
import type { MapColumn } from './roi-panel';
import { fmt, panelStyles } from './styles';

/** Signature weights, metric, and the response of every map. Emits `signature-change`. */
export class SignaturePanel extends LitElement {
  static override properties = {
    maps: { attribute: false },
    settings: { attribute: false },
    results: { attribute: false },
    pair: { attribute: false },
    nativeMaps: { attribute: false },
    contributionThreshold: { attribute: false },
  };
  /** Maps in scanner (native) space: a signature's MNI weights do not line up with them. */
  declare nativeMaps: string[];
  /** The w × x overlay's own threshold (null: the default share of its maximum). */
  declare contributionThreshold: number | null;
  declare maps: MapColumn[];
  declare settings: SignatureSettings;
  declare results: SignatureResult[];
  /** Indices into results of pre and post, when comparing. */
  declare pair: [number, number] | null;
  static override styles = panelStyles;

  constructor() {
    super();
    this.maps = [];
    this.results = [];
    this.pair = null;
    this.nativeMaps = [];
    this.contributionThreshold = null;
  }

  override render() {
    const s = this.settings;
    if (!s) return html``;
    const pair = this.pair;
    const delta = pair ? sub(this.results[pair[1]]?.value, this.results[pair[0]]?.value) : null;
    return html`<h2>Signature response <button id="export-signature" ?disabled=${!this.results.length} @click=${this.exportCsv}>Export CSV</button></h2>
      <div class="row">
        <label>Weights
          <select id="weights" @change=${(e: Event) => this.set({ weightsId: idOrNull((e.target as HTMLSelectElement).value) })}>
            <option value="" ?selected=${s.weightsId === null}>none</option>
            ${this.maps.map((m) => html`<option value=${m.id} ?selected=${s.weightsId === m.id}>${m.name}</option>`)}
          </select>
        </label>
        <label>Metric
          <select id="metric" @change=${(e: Event) => this.set({ metric: (e.target as HTMLSelectElement).value as SignatureSettings['metric'] })}>
            ${(['dot', 'cosine', 'correlation'] as const).map((m) => html`<option value=${m} ?selected=${s.metric === m}>${m}</option>`)}
          </select>
        </label>
        <label><input id="contribution" type="checkbox" .checked=${s.showContribution} ?disabled=${s.weightsId === null}
          @change=${(e: Event) => this.set({ showContribution: (e.target as HTMLInputElement).checked })} /> show w × x</label>
        ${
          s.showContribution
            ? html`<label>where |w × x| ≥
              <input id="contribution-threshold" type="number" min="0" step="any" placeholder=${`${DEFAULT_CONTRIBUTION_SHARE * 100}% of max`} aria-label="w × x threshold"
                .value=${this.contributionThreshold === null ? '' : String(this.contributionThreshold)}
                @change=${(e: Event) => {
                  const v = (e.target as HTMLInputElement).value.trim();
                  const n = v === '' ? null : Number(v);
                  (e.target as HTMLInputElement).setCustomValidity(
                    n === null || n > 0 ? '' : 'above 0, or empty for the default',
                  );
                  if (n === null || n > 0)
                    this.dispatchEvent(
                      new CustomEvent<number | null>('contribution-threshold', {
                        detail: n,
                        bubbles: true,
                        composed: true,
                      }),
                    );
                }} /></label>`
            : null
        }
      </div>
      ${
        s.weightsId !== null && this.nativeMaps.length
          ? html`<p class="row native-warning" role="alert" style="color:#ffcf7a">Signature weights are in MNI space; ${this.nativeMaps.join(', ')} ${this.nativeMaps.length > 1 ? 'are' : 'is'} in scanner (native) space, so ${this.nativeMaps.length > 1 ? 'their' : 'its'} responses compare unaligned voxels.</p>`
          : null
      }
      <table aria-label="Signature responses">
        <thead><tr><th class="name">map</th><th>response</th><th>voxels</th></tr></thead>
        <tbody>
          ${this.results.map(
            (r, i) =>
              html`<tr data-map=${r.file}><td class="name" title=${r.notes.join('; ')}>${role(pair, i) ? `${role(pair, i)}: ` : ''}${r.file}</td><td class="value">${fmt(r.value, 4)}</td><td>${r.voxels}</td></tr>`,
          )}
          ${pair ? html`<tr><td class="name">post − pre</td><td class="delta">${fmt(delta, 4)}</td><td></td></tr>` : null}
        </tbody>
      </table>
      ${this.results.some((r) => r.notes.length) ? html`<p class="muted">${[...new Set(this.results.flatMap((r) => r.notes))].join('; ')}</p>` : null}`;
  }

  private set(patch: Partial<SignatureSettings>): void {
    this.dispatchEvent(
      new CustomEvent<SignatureSettings>('signature-change', {
        detail: { ...this.settings, ...patch },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private exportCsv(): void {
    const weights = this.maps.find((m) => m.id === this.settings.weightsId)?.name ?? '';
    download(
      'siglens_signature.csv',
      toCsv(
        ['weights', 'metric', 'map', 'compare', 'value', 'voxels'],
        this.results.map((r, i) => [weights, this.settings.metric, r.file, role(this.pair, i), r.value, r.voxels]),
      ),
      'text/csv',
    );
  }
}

function idOrNull(v: string): number | null {
  return v === '' ? null : Number(v);
}

function sub(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined ? null : a - b;
}

customElements.define('sl-signature-panel', SignaturePanel);
