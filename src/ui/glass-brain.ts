import { LitElement, css, html } from 'lit';
import type { GlassModel } from '../app/page/view-model';
import { GLASS_EDGES } from '../analysis/glass-brain';
import { glassRaster } from '../figure/glass-raster';
import { fmt, panelStyles } from './styles';

/**
 * A glass brain (nilearn's plot_glass_brain, SPM's MIP): the three maximum-intensity projections of
 * the thresholded map over the brain's outline, side by side. Paints what src/analysis computed.
 */
export class GlassBrainView extends LitElement {
  static override properties = { model: { attribute: false } };
  declare model: GlassModel | null;
  static override styles = [
    panelStyles,
    css`
      .views { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; }
      figure { margin: 0; }
      /* The three views share a height that leaves the panes room, and keep the brain's proportions. */
      canvas { image-rendering: pixelated; background: #fff; display: block; height: 24vh; width: auto; }
      figcaption { font-size: 0.8rem; }
      .frame { position: relative; }
      /* Orientation letters at the edges, as the slice panes have them. */
      .edge { position: absolute; font: 600 0.75rem sans-serif; color: #1b5fa8; pointer-events: none; }
      .edge.left { left: 2px; top: 50%; transform: translateY(-50%); }
      .edge.right { right: 2px; top: 50%; transform: translateY(-50%); }
      .edge.top { top: 1px; left: 50%; transform: translateX(-50%); }
      .edge.bottom { bottom: 1px; left: 50%; transform: translateX(-50%); }
    `,
  ];

  constructor() {
    super();
    this.model = null;
  }

  override render() {
    const m = this.model;
    if (!m) return html``;
    return html`<p class="muted" id="glass-title">Glass brain: ${m.title}, maximum-intensity projections at ${fmt(m.threshold, 3)}${m.brain.maxAbs ? ` (largest |value| ${fmt(m.brain.maxAbs, 2)})` : ': no voxel passes'}</p>
      <div class="views">
        ${m.brain.views.map(
          (v) => html`<figure data-view=${v.name}>
            <div class="frame">
              <canvas width=${v.width} height=${v.height} aria-label=${`Glass brain, ${v.name} projection`}
                style=${`aspect-ratio: ${v.width * v.mm[0]} / ${v.height * v.mm[1]}`}></canvas>
              ${(['left', 'right', 'top', 'bottom'] as const).map((side, k) => html`<span class=${`edge ${side}`} aria-hidden="true">${GLASS_EDGES[v.name][k]}</span>`)}
            </div>
            <figcaption>${v.name}</figcaption>
          </figure>`,
        )}
      </div>`;
  }

  protected override updated(): void {
    const m = this.model;
    if (!m) return;
    m.brain.views.forEach((v, k) => {
      const canvas = this.renderRoot.querySelectorAll('canvas')[k];
      const ctx = canvas?.getContext('2d');
      if (!ctx) return;
      ctx.putImageData(
        new ImageData(glassRaster(v, m.threshold, m.brain.maxAbs) as Uint8ClampedArray<ArrayBuffer>, v.width, v.height),
        0,
        0,
      );
    });
  }
}

customElements.define('sl-glass-brain', GlassBrainView);
