import { LitElement, css, html } from 'lit';
import type { DemoStep } from '../app/demo/demo';
import { panelStyles } from './styles';

/** The guided demo: the step's title and caption, with Back, Next and Exit. Emits `demo-go` (step index) and `demo-exit`. */
export class DemoBar extends LitElement {
  static override properties = { steps: { attribute: false }, index: { type: Number }, facts: { attribute: false } };
  declare steps: readonly DemoStep[];
  declare index: number;
  /** Key numbers of the step, in words (e.g. the sphere means before and after). */
  declare facts: string[];
  static override styles = [
    panelStyles,
    css`
      :host { display: block; background: #1f2a1f; border: 1px solid #3c6b3c; border-radius: 6px; padding: 0.5rem 0.8rem; }
      h2 { margin: 0 0 0.3rem; }
      p { margin: 0.2rem 0; line-height: 1.35; }
      .facts { color: #bfe8bf; font-variant-numeric: tabular-nums; }
      .nav { display: flex; gap: 0.5rem; align-items: center; margin-top: 0.35rem; }
    `,
  ];

  constructor() {
    super();
    this.steps = [];
    this.index = 0;
    this.facts = [];
  }

  override render() {
    const step = this.steps[this.index];
    if (!step) return html``;
    return html`<section aria-label="Guided demo" aria-live="polite">
      <h2 id="demo-title">Step ${this.index + 1} of ${this.steps.length}: ${step.title}</h2>
      <p id="demo-caption">${step.caption}</p>
      ${this.facts.map((f) => html`<p class="facts">${f}</p>`)}
      <div class="nav">
        <button id="demo-back" ?disabled=${this.index === 0} @click=${() => this.go(this.index - 1)}>Back</button>
        <button id="demo-next" ?disabled=${this.index === this.steps.length - 1} @click=${() => this.go(this.index + 1)}>Next</button>
        <button id="demo-exit" @click=${() => this.dispatchEvent(new CustomEvent('demo-exit', { bubbles: true, composed: true }))}>Exit demo</button>
      </div>
    </section>`;
  }

  private go(i: number): void {
    this.dispatchEvent(new CustomEvent<number>('demo-go', { detail: i, bubbles: true, composed: true }));
  }
}
customElements.define('sl-demo-bar', DemoBar);
