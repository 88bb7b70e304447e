import { LitElement, css, html } from 'lit';

/**
 * The page's footer about the site itself: that nothing it loads leaves the machine, whether it works
 * offline, and that a new version is ready. Properties in (set by src/main.ts from the service worker), no events.
 */
export class SiteNote extends LitElement {
  static override properties = {
    offlineReady: { type: Boolean },
    updateReady: { type: Boolean },
    dismissed: { state: true },
  };
  /** The service worker holds this version: the page opens with no network. */
  declare offlineReady: boolean;
  /** A newer version is downloaded and waits for the next visit. */
  declare updateReady: boolean;
  /** The reader closed the update notice (it covers part of the page). */
  declare dismissed: boolean;
  static override styles = css`
    :host { display: block; padding: 0.3rem 0.8rem; font-size: 0.8rem; color: var(--muted, #9aa4b2); background: var(--bg, #111418); border-top: 1px solid #2a313b; }
    p { margin: 0; line-height: 1.35; }
    /* Over the page, since the viewer fills the window: a reader must see it without scrolling. */
    .update { position: fixed; right: 1rem; bottom: 1rem; max-width: 24rem; padding: 0.5rem 0.8rem; border-radius: 6px;
      background: #2a2112; border: 1px solid var(--accent, #ff9f1c); color: var(--fg, #e6e9ee); box-shadow: 0 2px 10px #0008; }
    .update button { margin-left: 0.4rem; font: inherit; }
  `;

  constructor() {
    super();
    this.offlineReady = false;
    this.updateReady = false;
    this.dismissed = false;
  }

  override render() {
    return html`<footer>
      <p id="privacy">
        Runs entirely in this browser: the maps you open are never uploaded, and nothing this page loads comes from another
        site.${this.offlineReady ? html` <span id="offline">Saved here: it works offline.</span>` : ''}
      </p>
      ${
        this.updateReady && !this.dismissed
          ? html`<p id="update" class="update" role="status">
            A new version of SigLens is ready. It takes effect the next time you open the page (once every SigLens tab is closed).
            <button id="update-dismiss" @click=${() => (this.dismissed = true)}>OK</button>
          </p>`
          : ''
      }
    </footer>`;
  }
}
customElements.define('sl-site-note', SiteNote);
