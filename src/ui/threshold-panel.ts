import { LitElement, css, html, nothing } from 'lit';
import type { HeightControl } from '../analysis/height';
import { defaultThresholdValue } from '../app/page/height';
import { pThresholdable, statName, type MapKindInfo } from '../analysis/map-kind';
import type { ExtentKind, SmoothnessSource, ThresholdSettings } from '../analysis/threshold-settings';
import { fmt, panelStyles } from './styles';

/** The p slider runs over log10 p from 10^-6 to 10^-1. */
const LOG_P_RANGE: readonly [number, number] = [-6, -1];

/**
 * Threshold controls: a slider and a number box (the slider emits while dragged, so the table follows
 * it), in the units of the shown map's kind. Says why a value cannot be used. Emits `settings-change`
 * with the whole new settings object.
 */
export class ThresholdPanel extends LitElement {
  static override properties = {
    settings: { attribute: false },
    kind: { attribute: false },
    resolved: { attribute: false },
    minVoxels: { attribute: false },
    height: { attribute: false },
    problem: { attribute: false },
    sliderMax: { attribute: false },
  };
  declare settings: ThresholdSettings;
  /** What the shown map is (undefined: none shown). */
  declare kind: MapKindInfo | undefined;
  /** The map threshold the settings resolve to. */
  declare resolved: number | undefined;
  declare minVoxels: number | undefined;
  /** What FDR or Bonferroni gave, in those modes. */
  declare height: HeightControl | null | undefined;
  /** Why the settings cannot be used on the shown map, or null. */
  declare problem: string | null;
  /** The top of the value slider (the map's largest |value|). */
  declare sliderMax: number | undefined;
  static override styles = [
    panelStyles,
    css`.problem { color: var(--error, #ff6b6b); } input[type='range'] { width: 10rem; } input[aria-invalid='true'] { border-color: var(--error, #ff6b6b); }`,
  ];

  constructor() {
    super();
    this.problem = null;
  }

  override render() {
    const s = this.settings;
    if (!s) return html``;
    const k = this.kind;
    const stat = k ? statName(k.kind) : 'z';
    const pOk = !k || pThresholdable(k.kind);
    // FDR and Bonferroni need p at every voxel through the map's statistic: z, t or F.
    const heightOk = !k || k.kind === 'z' || k.kind === 't' || k.kind === 'f';
    const letter = s.mode === 'fdr' ? 'q' : s.mode === 'bonferroni' ? 'α' : 'p';
    // The value box is marked only for problems with its value (an atlas shown is "never thresholded": not the box's fault).
    const invalid = !!this.problem && /\bthreshold\b|p-value|FDR q|Bonferroni α|box/i.test(this.problem);
    return html`<h2>Threshold</h2>
      <div class="row">
        <label>Threshold by
          <select id="mode" @change=${(e: Event) => this.setMode((e.target as HTMLSelectElement).value as ThresholdSettings['mode'])}>
            <option value="z" ?selected=${s.mode === 'z'}>${stat === 'value' ? 'value' : `${stat} value`}</option>
            <option value="p" ?selected=${s.mode === 'p'} ?disabled=${!pOk && s.mode !== 'p'}>voxelwise p (uncorrected)</option>
            <option value="fdr" ?selected=${s.mode === 'fdr'} ?disabled=${!heightOk && s.mode !== 'fdr'}>FDR q (Benjamini-Hochberg)</option>
            <option value="bonferroni" ?selected=${s.mode === 'bonferroni'} ?disabled=${!heightOk && s.mode !== 'bonferroni'}>Bonferroni α</option>
          </select>
        </label>
        <label>${s.mode === 'z' ? `${stat} ≥` : `${letter} <`}
          <input id="threshold" type="number" step=${s.mode === 'z' ? 0.1 : 0.001} min="0" .value=${Number.isFinite(s.value) ? String(s.value) : ''} aria-invalid=${invalid ? 'true' : 'false'}
            aria-describedby="threshold-problem" @change=${(e: Event) => this.set({ value: readNumber(e) })} />
        </label>
      </div>
      <div class="row">
        <label>${s.mode === 'z' ? stat : `log₁₀ ${letter}`}
          <input id="threshold-slider" type="range" aria-label="Threshold slider"
            min=${s.mode === 'z' ? 0 : LOG_P_RANGE[0]} max=${s.mode === 'z' ? fmt(Math.max(this.sliderMax ?? 10, s.value || 0), 2) : LOG_P_RANGE[1]} step="0.01"
            .value=${String(s.mode === 'z' ? s.value : Math.log10(s.value))}
            @input=${(e: Event) => {
              const x = Number((e.target as HTMLInputElement).value);
              this.set({ value: s.mode === 'z' ? x : +(10 ** x).toPrecision(3) });
            }} />
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
      ${this.extentRow(s)}
      ${this.smoothnessRow(s)}
      ${this.problem ? html`<p class="row problem" id="threshold-problem" role="alert">${this.problem}</p>` : nothing}
      <div class="row muted" id="threshold-summary">${this.summary(stat)}</div>`;
  }

  /** The cluster extent threshold: its kind, and its value unless none. */
  private extentRow(s: ThresholdSettings) {
    return html`<div class="row">
        <label>Cluster extent
          <select id="extent" @change=${(e: Event) => this.set(extentDefaults((e.target as HTMLSelectElement).value as ExtentKind))}>
            <option value="none" ?selected=${s.extent === 'none'}>none</option>
            <option value="voxels" ?selected=${s.extent === 'voxels'}>at least N voxels</option>
            <option value="mm3" ?selected=${s.extent === 'mm3'}>at least V mm³</option>
            <option value="grf" ?selected=${s.extent === 'grf'}>GRF cluster p &lt; α</option>
          </select>
        </label>
        ${
          s.extent === 'none'
            ? null
            : html`<label>${s.extent === 'grf' ? 'α' : s.extent === 'mm3' ? 'mm³' : 'voxels'}
              <input id="extent-value" type="number" min="0" step=${s.extent === 'grf' ? 0.01 : 1} .value=${Number.isFinite(s.extentValue) ? String(s.extentValue) : ''}
                @change=${(e: Event) => this.set({ extentValue: readNumber(e) })} />
            </label>`
        }
      </div>`;
  }

  /** Where GRF's smoothness comes from: estimated, or FWHM or resels as SPM gives them (typed as text). */
  private smoothnessRow(s: ThresholdSettings) {
    return html`<div class="row">
        <label>Smoothness
          <select id="smoothness" title="What GRF p-values use: FSL smoothest's estimate from the map, or SPM's FWHM or resels" @change=${(e: Event) => this.set({ smoothness: (e.target as HTMLSelectElement).value as SmoothnessSource })}>
            <option value="estimate" ?selected=${!s.smoothness || s.smoothness === 'estimate'}>estimated from the map</option>
            <option value="fwhm" ?selected=${s.smoothness === 'fwhm'}>FWHM (mm), as SPM gives it</option>
            <option value="resels" ?selected=${s.smoothness === 'resels'}>resels (search volume), as SPM gives it</option>
          </select>
        </label>
        ${
          s.smoothness === 'fwhm' || s.smoothness === 'resels'
            ? html`<label>${s.smoothness === 'fwhm' ? 'FWHM mm' : 'resels'}
              <input id="smoothness-value" type="text" inputmode="decimal" size="12" placeholder=${s.smoothness === 'fwhm' ? '8 or 8, 8, 8' : 'e.g. 1460'} .value=${s.smoothnessText ?? ''}
                aria-invalid=${this.problem && /FWHM|resels/.test(this.problem) ? 'true' : 'false'} aria-describedby="threshold-problem"
                @change=${(e: Event) => this.set({ smoothnessText: (e.target as HTMLInputElement).value })} />
            </label>`
            : nothing
        }
      </div>`;
  }

  private summary(stat: string): string {
    const s = this.settings;
    // A refused smoothness alone leaves the table (results come): only its GRF p are missing.
    if (this.problem && this.resolved === undefined) return 'no table: the threshold cannot be used (see above)';
    const refused = this.problem ? '; no GRF p until the smoothness is corrected (see above)' : '';
    const height = this.heightLine();
    // FDR with no survivor has no finite height: the height line says so alone.
    if (this.resolved === undefined || !Number.isFinite(this.resolved)) return height || 'no map selected';
    const k = this.kind;
    const df =
      k?.kind === 't' && k.df !== undefined
        ? ` (df ${k.df})`
        : k?.kind === 'f' && k.df !== undefined
          ? ` (df ${k.df}, ${k.df2})`
          : '';
    const p = s.mode === 'p' ? `; p < ${s.value} ${s.twoSided ? 'two-sided' : 'one-sided'}` : '';
    return `${height}${stat} ≥ ${fmt(this.resolved, 3)}${s.twoSided ? ` or ≤ −${fmt(this.resolved, 3)}` : ''}${df}${p}${this.minVoxels && this.minVoxels > 1 ? `; clusters of ${this.minVoxels}+ voxels` : ''}${refused}`;
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
    this.dispatchEvent(
      new CustomEvent<ThresholdSettings>('settings-change', {
        detail: { ...this.settings, ...patch },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

/** The box's number; an empty box is NaN, which the page refuses with a reason rather than ignores. */
function readNumber(e: Event): number {
  const v = (e.target as HTMLInputElement).value.trim();
  return v === '' ? NaN : Number(v);
}

function extentDefaults(kind: ExtentKind): Partial<ThresholdSettings> {
  return { extent: kind, extentValue: kind === 'grf' ? 0.05 : kind === 'mm3' ? 80 : 10 };
}

customElements.define('sl-threshold-panel', ThresholdPanel);
