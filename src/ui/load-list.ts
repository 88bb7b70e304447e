import { LitElement, css, html, nothing } from 'lit';
import type { LoadEntry } from '../app/page/page-state';

export type { LoadEntry };

/**
 * Files being loaded, with a progress bar each, the errors of those that failed and the notes of
 * those that loaded with something to know (files that loaded move to the map list). Each finished
 * entry can be dismissed. Emits `cancel-load` and `dismiss-load` (the entry's key).
 */
export class LoadList extends LitElement {
  static override properties = { entries: { attribute: false } };
  declare entries: LoadEntry[];

  static override styles = css`
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.4rem; }
    li { background: var(--panel, #1a1f26); border-radius: 6px; padding: 0.4rem 0.6rem; }
    .name { font-weight: 600; word-break: break-all; }
    .summary { color: var(--muted, #9aa4b2); font-size: 0.85rem; }
    .error { color: var(--error, #ff6b6b); font-size: 0.9rem; }
    .warning { color: #ffcf7a; font-size: 0.9rem; }
    progress { width: 100%; }
    button { margin-left: 0.5rem; }
  `;

  constructor() {
    super();
    this.entries = [];
  }

  override render() {
    return html`<ul aria-label="Loaded files">
      ${this.entries
        .filter((e) => e.state !== 'ready' || e.warning || e.note)
        .map(
          (e) => html`<li data-state=${e.state} data-name=${e.name}>
          <span class="name">${e.name}</span>
          ${
            e.state === 'loading'
              ? html`<progress aria-label=${`Reading ${e.name}`} max=${e.total ?? 1} value=${e.total ? e.done : nothing}></progress>
                <button @click=${() => this.dispatchEvent(new CustomEvent('cancel-load', { detail: e.key, bubbles: true, composed: true }))}>Cancel</button>`
              : nothing
          }
          ${e.summary ? html`<div class="summary">${e.summary}</div>` : nothing}
          ${e.error ? html`<div class=${e.note ? 'summary' : 'error'} role=${e.note ? 'status' : 'alert'}>${e.error}</div>` : nothing}
          ${e.warning ? html`<div class="warning" role="alert">${e.warning}</div>` : nothing}
          ${
            e.state === 'loading'
              ? nothing
              : html`<button class="dismiss" aria-label=${`Dismiss ${e.name}`} @click=${() => this.dispatchEvent(new CustomEvent('dismiss-load', { detail: e.key, bubbles: true, composed: true }))}>Dismiss</button>`
          }
        </li>`,
        )}
    </ul>`;
  }
}
customElements.define('sl-load-list', LoadList);
