import { LitElement, html } from 'lit';
import type { HeightControl } from '../analysis/height';
import { defaultThresholdValue } from '../app/height';
import type { ExtentKind, ThresholdSettings } from '../app/settings';
import { fmt, panelStyles } from './styles';

/** Threshold controls. Emits `settings-change` with the whole new settings object. */
export class ThresholdPanel extends LitElement {
  static override properties = {
    settings: { attribute: false },
    df: { attribute: false },
    resolved: { attribute: false },
    minVoxels: { attribute: false },
    height: { attribute: false },
  };
  declare settings: ThresholdSettings;
  /** df of the selected t-map (undefined for a z-map). */
  declare df: number | undefined;
  /** The map threshold the settings resolve to. */
  declare resolved: number | undefined;
  declare minVoxels: number | undefined;
  /** What FDR or Bonferroni gave, in those modes. */
  declare height: HeightControl | null | undefined;
  static override styles = panelStyles;

  override render() {
    const s = this.settings;
    if (!s) return html``;
    const stat = this.df === undefined ? 'z' : 't';
    return html`<h2>Threshold</h2>
      <div class="row">
        <label>Threshold by
          <select id="mode" @change=${(e: Event) => this.setMode((e.target as HTMLSelectElement).value as ThresholdSettings['mode'])}>
            <option value="z" ?selected=${s.mode === 'z'}>${stat} value</option>
            <option value="p" ?selected=${s.mode === 'p'}>voxelwise p (uncorrected)</option>
            <option value="fdr" ?selected=${s.mode === 'fdr'}>FDR q (Benjamini-Hochberg)</option>
            <option value="bonferroni" ?selected=${s.mode === 'bonferroni'}>Bonferroni α</option>
          </select>
        </label>
        <label>${s.mode === 'z' ? `${stat} ≥` : s.mode === 'fdr' ? 'q <' : s.mode === 'bonferroni' ? 'α <' : 'p <'}
          <input id="threshold" type="number" step=${s.mode === 'z' ? 0.1 : 0.001} min="0" .value=${String(s.value)}
            @change=${(e: Event) => this.set({ value: Number((e.target as HTMLInputElement).value) })} />
        </label>
      </div>
      <div class="row">
        <label><input id="two-sided" type="checkbox" .checked=${s.twoSided} @change=${(e: Event) => this.set({ twoSided: (e.target as HTMLInputElement).checked })} /> two-sided</label>
        <label>Connectivity
          <select id="connectivity" @change=${(e: Event) => this.set({ connectivity: Number((e.target as HTMLSelectElement).value) as 6 | 18 | 26 })}>
            ${[6, 18, 26].map((c) => html`<option value=${c} ?selected=${s.connectivity === c}>${c}</option>`)}
          </select>
        </label>
        <label><input id="faint" type="checkbox" .checked=${s.faint} @change=${(e: Event) => this.set({ faint: (e.target as HTMLInputElement).checked })} /> show sub-threshold faintly</label>
      </div>
      <div class="row">
        <label>Cluster extent
          <select id="extent" @change=${(e: Event) => this.set(extentDefaults((e.target as HTMLSelectElement).value as ExtentKind))}>
            <option value="none" ?selected=${s.extent === 'none'}>none</option>
            <option value="voxels" ?selected=${s.extent === 'voxels'}>at least N voxels</option>
            <option value="mm3" ?selected=${s.extent === 'mm3'}>at least V mm³</option>
            <option value="grf" ?selected=${s.extent === 'grf'}>GRF cluster p &lt; α</option>
          </select>
        </label>
        ${s.extent === 'none'
          ? null
          : html`<label>${s.extent === 'grf' ? 'α' : s.extent === 'mm3' ? 'mm³' : 'voxels'}
              <input id="extent-value" type="number" min="0" step=${s.extent === 'grf' ? 0.01 : 1} .value=${String(s.extentValue)}
                @change=${(e: Event) => this.set({ extentValue: Number((e.target as HTMLInputElement).value) })} />
            </label>`}
      </div>
      <div class="row muted" id="threshold-summary">
        ${this.heightLine()}${this.resolved === undefined || !Number.isFinite(this.resolved) ? (this.height ? '' : 'no map selected') : `${stat} ≥ ${fmt(this.resolved, 3)}${s.twoSided ? ` or ≤ −${fmt(this.resolved, 3)}` : ''}${this.df !== undefined ? ` (df ${this.df})` : ''}${this.minVoxels && this.minVoxels > 1 ? `; clusters of ${this.minVoxels}+ voxels` : ''}`}
      </div>`;
  }

  /** What the height control gave: q or alpha, the voxels tested and those that pass. */
  private heightLine(): string {
    const h = this.height;
    if (!h) return '';
    const what = `${h.method === 'fdr' ? 'FDR q' : 'Bonferroni α'} < ${h.alpha}${h.twoSided ? ' (two-sided)' : ''} over ${h.voxels} voxels (${h.statistic}): `;
    return h.threshold === null ? `${what}no voxel survives.` : `${what}${h.survivors} survive; `;
  }

  /** A new mode starts from its usual value (a z of 3.1 is no p). */
  private setMode(mode: ThresholdSettings['mode']): void {
    const value = mode === this.settings.mode ? this.settings.value : defaultThresholdValue(mode);
    this.set({ mode, value });
  }

  private set(patch: Partial<ThresholdSettings>): void {
    this.dispatchEvent(new CustomEvent<ThresholdSettings>('settings-change', { detail: { ...this.settings, ...patch }, bubbles: true, composed: true }));
  }
}

function extentDefaults(kind: ExtentKind): Partial<ThresholdSettings> {
  return { extent: kind, extentValue: kind === 'grf' ? 0.05 : kind === 'mm3' ? 80 : 10 };
}

customElements.define('sl-threshold-panel', ThresholdPanel);
