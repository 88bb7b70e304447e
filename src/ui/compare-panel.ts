import { LitElement, html } from 'lit';
import type { CompareSettings } from '../app/page/settings';
import type { MapColumn } from './roi-panel';
import { panelStyles } from './styles';
import { pairRuleText } from '../analysis/pairing';

/** Choose pre and post maps for a side-by-side comparison. Emits `compare-change`. */
export class ComparePanel extends LitElement {
  static override properties = {
    maps: { attribute: false },
    settings: { attribute: false },
    differenceThreshold: { attribute: false },
    problem: { state: true },
  };
  /** The maps to choose from, with their kind in words (a difference of unlike kinds is warned of). */
  declare maps: (MapColumn & { readonly kind?: string })[];
  declare settings: CompareSettings;
  /** The difference pane's own threshold on |post − pre|. */
  declare differenceThreshold: number;
  declare problem: string | null;
  static override styles = panelStyles;

  constructor() {
    super();
    this.maps = [];
    this.differenceThreshold = 1;
    this.problem = null;
  }

  override render() {
    const s = this.settings;
    if (!s) return html``;
    // With fewer than two stat maps there is nothing to compare: no side defaults to the one map.
    const two = this.maps.length >= 2;
    const options = (selected: number | null) => [
      html`<option value="" ?selected=${!two || !this.maps.some((m) => m.id === selected)} disabled>—</option>`,
      ...this.maps.map((m) => html`<option value=${m.id} ?selected=${two && selected === m.id}>${m.name}</option>`),
    ];
    const same = two && s.preId !== null && s.preId === s.postId;
    const pre = this.maps.find((m) => m.id === s.preId);
    const post = this.maps.find((m) => m.id === s.postId);
    // Before a difference is drawn: post − pre of a t-map and a z-map (or any unlike kinds) mixes scales.
    const unlike = two && !same && pre?.kind && post?.kind && pre.kind !== post.kind;
    return html`<h2>Compare</h2>
      <div class="row">
        <label><input id="compare-on" type="checkbox" .checked=${s.on} ?disabled=${this.maps.length < 2} @change=${(e: Event) => this.set({ on: (e.target as HTMLInputElement).checked })} /> pre vs post side by side</label>
      </div>
      <div class="row">
        <label>Pre <select id="pre" ?disabled=${!two} @change=${(e: Event) => this.set({ preId: Number((e.target as HTMLSelectElement).value), pairedBy: 'user' })}>${options(s.preId)}</select></label>
        <label>Post <select id="post" ?disabled=${!two} @change=${(e: Event) => this.set({ postId: Number((e.target as HTMLSelectElement).value), pairedBy: 'user' })}>${options(s.postId)}</select></label>
        <label><input id="show-difference" type="checkbox" .checked=${s.showDifference} ?disabled=${!two} @change=${(e: Event) => this.set({ showDifference: (e.target as HTMLInputElement).checked })} /> post − pre pane</label>
        <label>shown where |post − pre| ≥
          <input id="difference-threshold" type="number" min="0" step="0.1" .value=${String(this.differenceThreshold)} aria-label="Difference pane threshold" ?disabled=${!two}
            @change=${(e: Event) => {
              const el = e.target as HTMLInputElement;
              const v = el.value.trim() === '' ? NaN : Number(el.value);
              this.problem =
                Number.isFinite(v) && v > 0
                  ? null
                  : `The difference threshold must be above 0 (got ${el.value.trim() || 'nothing'}).`;
              if (!this.problem)
                this.dispatchEvent(
                  new CustomEvent<number>('difference-threshold', { detail: v, bubbles: true, composed: true }),
                );
            }} /></label>
      </div>
      ${this.problem ? html`<p class="row" role="alert" style="color:var(--error, #ff6b6b)">${this.problem}</p>` : null}
      ${two && s.pairedBy ? html`<p class="muted" id="pair-rule">${pairRuleText(s.pairedBy)}</p>` : null}
      ${unlike ? html`<p class="row" id="kind-warning" role="alert" style="color:#ffcf7a">Pre is ${pre.kind} and post is ${post.kind}: post − pre subtracts values on different scales. Compare maps of one kind, or set their kinds in the map list.</p>` : null}
      ${!two ? html`<p class="muted" id="compare-note">Open a second statistical map to compare two.</p>` : same ? html`<p class="muted" id="compare-note">Pre and post are the same map: choose two different maps.</p>` : null}`;
  }

  private set(patch: Partial<CompareSettings>): void {
    this.dispatchEvent(
      new CustomEvent<CompareSettings>('compare-change', {
        detail: { ...this.settings, ...patch },
        bubbles: true,
        composed: true,
      }),
    );
  }
}
customElements.define('sl-compare-panel', ComparePanel);
