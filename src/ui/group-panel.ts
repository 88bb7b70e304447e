import { LitElement, css, html } from 'lit';
import { live } from 'lit/directives/live.js';
import { GROUP_DESIGNS, type GroupDesign } from '../analysis/group/design';
import type { GroupCluster } from '../analysis/group/inference';
import {
  DEFAULT_CONNECTIVITY,
  DEFAULT_PERMUTATIONS,
  DEFAULT_Z_THRESHOLD,
  GROUP_FWE_ALPHA,
} from '../analysis/constants';
import type { Connectivity } from '../compute/engine';
import type { GroupProgress, GroupRequest, GroupSummary, TfceSummary } from '../app/group/group-session';
import type { GlmSummary } from '../app/group/group-glm';
import { isModel, type ModelChoices } from '../app/group/group-model';
import { NO_MODEL_STATE, type GroupModelState, type ModelSetup } from '../app/group/group-preview';
import { groupFields, type GroupFieldText, type GroupFields } from '../app/group/group-fields';
import { splitBatchFiles } from '../app/batch/batch-runner';
import { fmt, fmtP, panelStyles } from './styles';
import './group-model';
import './group-tests';

/** The panel's first permutation count: the command's (`siglens group --permutations`). */
const PANEL_PERMUTATIONS = DEFAULT_PERMUTATIONS;
/** Why "two-sided" is off while the choices make a model. */
const MODEL_ONE_SIDED =
  "a model's contrasts are one-sided, as in randomise: add the reverse contrast for the other direction";

/**
 * Group analysis (second level): choose the maps (files or a folder, with participants.tsv for two
 * groups), the design and inference, Run; progress and Cancel while it runs; the finished run's
 * clusters with permutation and GRF p. With a participants.tsv, a model (covariates, an effect,
 * groups: sl-group-model) and, once run, every contrast's and F-test's FWE p (sl-group-tests). Emits
 * `group-run` (a GroupRequest), `group-cancel`, `group-files` and `group-model` ({ files?, setup }:
 * the builder's preview follows), `group-test` (a model test's maps to show) and `peak-select` (mm).
 */
export class GroupPanel extends LitElement {
  static override properties = {
    summary: { attribute: false },
    progress: { attribute: false },
    running: { type: Boolean },
    message: { attribute: false },
    error: { attribute: false },
    model: { attribute: false },
    glm: { attribute: false },
    glmShown: { attribute: false },
    reveal: { attribute: false },
    request: { attribute: false },
    design: { state: true },
    invalid: { state: true },
  };
  declare summary: GroupSummary | null;
  declare progress: GroupProgress | null;
  declare running: boolean;
  declare message: string | null;
  /** Why the last run failed: shown as an error (role=alert). */
  declare error: string | null;
  /** The model builder (from the app): the TSV's offers, the choices, the design they make. */
  declare model: GroupModelState;
  /** A finished model run, and which of its tests' maps are shown. */
  declare glm: GlmSummary | null;
  declare glmShown: number | null;
  /**
   * The demo's group steps: a key for what to bring into view (null while the page is busy); the
   * results scroll into view once per key.
   */
  declare reveal: string | null;
  /** The choices of the run under way or last started, wherever it came from (the demo's): the fields show them. */
  declare request: Omit<GroupRequest, 'files'> | null;
  declare design: GroupDesign;
  /** Why the choices cannot run as they are (a count that is not a number, say). */
  declare invalid: string | null;
  static override styles = [
    panelStyles,
    css`.excluded li { color: var(--muted); } .error { color: #ff6b6b; } progress { width: 10rem; } input[type='text'] { width: 8rem; }
      /* Ten columns in the side panel (a 30rem column or drawer): compact, as the cluster table. */
      #group-clusters { font-size: 0.78rem; }
      #group-clusters th, #group-clusters td { padding: 0.12rem 0.12rem; }
      #group-clusters th { white-space: normal; vertical-align: bottom; }
      #group-clusters button { padding: 0 0.3rem; }
      #group-clusters .sign { margin-left: 0.15rem; }`,
  ];

  private files: File[] = [];
  private pre = 'ses-pre';
  private post = 'ses-post';
  private pattern = '';
  private groupColumn = 'group';
  private groups = '';
  private thresholdText = String(DEFAULT_Z_THRESHOLD);
  private twoSided = false;
  private connectivity: Connectivity = DEFAULT_CONNECTIVITY;
  private permutations = String(PANEL_PERMUTATIONS);
  private seedText = '0';
  private tfce = false;

  constructor() {
    super();
    this.summary = null;
    this.progress = null;
    this.running = false;
    this.message = null;
    this.error = null;
    this.model = NO_MODEL_STATE;
    this.glm = null;
    this.glmShown = null;
    this.reveal = null;
    this.request = null;
    this.design = 'paired';
    this.invalid = null;
  }

  override render() {
    const d = this.design;
    // participants.tsv (and .img halves) are not maps: the button counts what enters the test.
    const { maps: chosen, participants } = splitBatchFiles(this.files);
    const maps = chosen.length;
    // A model's t-contrasts are one-sided (randomise's convention): two-sided does not apply to it.
    const modelMade = isModel(this.model.value);
    const text = (id: string, value: string, set: (v: string) => void, placeholder = '') =>
      html`<input id=${id} type="text" .value=${value} placeholder=${placeholder} @change=${(e: Event) => set((e.target as HTMLInputElement).value.trim())} />`;
    return html`<h2>Group analysis: t-test over subjects, permutation inference</h2>
      <div class="row">
        <label>Design
          <select id="group-design" @change=${(e: Event) => {
            this.design = (e.target as HTMLSelectElement).value as GroupDesign;
            this.emitModel(this.model.value);
          }}>
            ${GROUP_DESIGNS.map((g) => html`<option value=${g} ?selected=${g === d}>${g}</option>`)}
          </select>
        </label>
        ${d === 'paired' ? html`<label>pre ${text('group-pre', this.pre, (v) => this.setup(() => (this.pre = v)))}</label><label>post ${text('group-post', this.post, (v) => this.setup(() => (this.post = v)))}</label>` : null}
        ${
          d === 'two-sample'
            ? html`<label>column ${text('group-column', this.groupColumn, (v) => (this.groupColumn = v))}</label><label>groups A,B ${text('group-groups', this.groups, (v) => (this.groups = v), 'training,waitlist')}</label>`
            : null
        }
      </div>
      <div class="row">
        <label>Name pattern (optional) ${text('group-pattern', this.pattern, (v) => this.setup(() => (this.pattern = v)), '(?<sub>s\\d+)_(?<ses>pre|post)')}</label>
      </div>
      <div class="row">
        <label>z ≥ <input id="group-threshold" type="number" min="0" step="0.1" .value=${this.thresholdText} @input=${(e: Event) => this.typed({ threshold: (e.target as HTMLInputElement).value })} /></label>
        <label><input id="group-two-sided" type="checkbox" .checked=${live(this.twoSided && !modelMade)} ?disabled=${modelMade}
          aria-describedby="group-two-sided-why" @change=${(e: Event) => (this.twoSided = (e.target as HTMLInputElement).checked)} /> two-sided</label>
        ${modelMade ? html`<span class="muted" id="group-two-sided-why">${MODEL_ONE_SIDED}</span>` : null}
        <label>Connectivity
          <select id="group-connectivity" @change=${(e: Event) => (this.connectivity = Number((e.target as HTMLSelectElement).value) as Connectivity)}>
            ${[6, 18, 26].map((c) => html`<option value=${c} ?selected=${this.connectivity === c}>${c}</option>`)}
          </select>
        </label>
      </div>
      <div class="row">
        <label>Permutations <input id="group-permutations" type="text" style="width:5rem" .value=${this.permutations} @input=${(e: Event) => this.typed({ permutations: (e.target as HTMLInputElement).value })} /></label>
        <label>seed <input id="group-seed" type="number" min="0" step="1" .value=${this.seedText} @input=${(e: Event) => this.typed({ seed: (e.target as HTMLInputElement).value })} /></label>
        <label><input id="group-tfce" type="checkbox" .checked=${this.tfce} @change=${(e: Event) => (this.tfce = (e.target as HTMLInputElement).checked)} /> TFCE</label>
      </div>
      <p class="muted">Max-T, cluster extent and cluster mass are always computed; "all" runs every distinct permutation.</p>
      <div class="row">
        <label>Maps <input id="group-files" type="file" multiple accept=".nii,.gz,.hdr,.img,.tsv" ?disabled=${this.running} @change=${this.pick} /></label>
        <label>or a folder <input id="group-folder" type="file" webkitdirectory ?disabled=${this.running} @change=${this.pick} /></label>
      </div>
      <sl-group-model .choices=${this.model.choices} .value=${this.model.value} .design=${this.model.design} .files=${this.model.files} .error=${this.model.error} ?disabled=${this.running}
        @model-change=${(e: CustomEvent<ModelChoices>) => this.emitModel(e.detail)}></sl-group-model>
      <div class="row">
        <button id="group-run" ?disabled=${this.running || !maps || this.invalid !== null} aria-describedby="group-invalid" @click=${() => this.run()}>Run${maps ? ` (${maps} map${maps === 1 ? '' : 's'}${participants ? ' + participants.tsv' : ''})` : ''}</button>
        ${this.running ? html`<button id="group-cancel" @click=${() => this.emit('group-cancel', null)}>Cancel</button>` : null}
      </div>
      ${this.invalid ? html`<p class="error" role="alert" id="group-invalid">${this.invalid}</p>` : null}
      ${this.progress && this.running ? this.renderProgress(this.progress) : null}
      ${this.message ? html`<p class="muted" id="group-message" role="status">${this.message}</p>` : null}
      ${this.error && !this.running ? html`<p class="error" id="group-error" role="alert">${this.error}</p>` : null}
      ${this.summary && !this.running ? this.renderSummary(this.summary) : null}
      ${this.glm && !this.running ? html`<sl-group-tests .summary=${this.glm} .shown=${this.glmShown} ?showDesign=${!this.model.design}></sl-group-tests>` : null}`;
  }

  private revealed: string | null = null;

  override willUpdate(changed: Map<string, unknown>): void {
    // A run started elsewhere (the demo's): the fields say what produced the results shown.
    const r = this.request;
    if (!changed.has('request') || !r) return;
    this.design = r.design;
    [this.pre, this.post] = r.pair;
    this.pattern = r.pattern;
    this.groupColumn = r.groupColumn;
    this.groups = r.groups?.join(',') ?? '';
    this.thresholdText = String(r.thresholdZ);
    this.twoSided = r.twoSided;
    this.connectivity = r.connectivity;
    this.permutations = String(r.permutations);
    this.seedText = String(r.seed);
    this.tfce = r.tfce;
    this.invalid = null;
  }

  override updated(changed: Map<string, unknown>): void {
    // A run the demo started: its results come into view in the side panel once the page around them has settled.
    if (changed.has('reveal') && this.reveal !== null && this.reveal !== this.revealed) {
      const target = this.renderRoot.querySelector(this.glm ? 'sl-group-tests' : '#group-stats');
      if (target) {
        this.revealed = this.reveal;
        target.scrollIntoView({ block: 'start' });
      }
    }
  }

  private renderProgress(p: GroupProgress) {
    const left =
      p.secondsLeft === null
        ? ''
        : `, about ${p.secondsLeft < 90 ? `${Math.ceil(p.secondsLeft)} s` : `${Math.ceil(p.secondsLeft / 60)} min`} left`;
    return html`<div class="row" role="status"><progress id="group-progress" aria-label="Permutations done" max=${p.total || 1} value=${p.done}></progress>
      <span id="group-count">${p.total ? `${p.done} / ${p.total} permutations${left}` : 'reading the maps…'}</span></div>`;
  }

  private renderSummary(s: GroupSummary) {
    const perm = `${s.permutations.count} ${s.permutations.exhaustive ? 'exhaustive' : `random (seed ${s.permutations.seed})`} permutations`;
    const kept = s.clusters.filter((c) => c.pFwe < GROUP_FWE_ALPHA).length;
    const shown = kept
      ? `The viewer shows ${kept === 1 ? 'the one cluster' : `the ${kept} clusters`} with p FWE < ${GROUP_FWE_ALPHA} (its extent, ${s.criticalExtent} voxels, is the permutation cut-off for cluster size at this threshold), on ${kept === 1 ? 'its' : 'the largest'} peak`
      : `No cluster reaches p FWE < ${GROUP_FWE_ALPHA}: the viewer shows every cluster above the threshold`;
    return html`<p id="group-stats">${s.design}, ${s.contrast}: n ${s.n}, df ${s.df}, ${s.maskVoxels} voxels in the mask; clusters at z ≥ ${fmt(s.threshold.z, 2)} (t ≥ ${fmt(s.threshold.t, 3)})${s.twoSided ? ', two-sided' : ''}, ${s.connectivity}-connected; ${perm}${s.tfce ? ', TFCE' : ''}; ${fmt(s.seconds, 1)} s on ${s.engine}. ${shown}; the t, z and 1 − p maps are open in the map list.</p>
      ${s.tfce ? this.renderTfce(s.tfce) : null}
      <div class="scroll">
        <table aria-label="Group clusters" id="group-clusters">
          <thead><tr><th title="The cluster's number and the sign of its t (+ rises, − falls)"># ±</th><th>voxels</th><th title="FWE p of the extent, by permutation">p FWE</th><th title="FWE p of the mass, by permutation">p mass</th><th title="Gaussian random field p of the extent">p GRF</th><th title="The sum of t above the threshold over the cluster">mass</th><th>peak t</th><th>peak z</th><th title="The peak's x, y, z in mm">peak (mm)</th></tr></thead>
          <tbody>
            ${s.clusters.map(
              (c: GroupCluster) => html`<tr data-index=${c.index}>
              <td><button aria-label=${`Go to the peak of group cluster ${c.index}`} @click=${() => this.emit('peak-select', c.peak.mm)}>${c.index}</button><span class=${c.sign > 0 ? 'sign pos' : 'sign neg'} title=${c.sign > 0 ? 'positive t' : 'negative t'}>${c.sign > 0 ? '+' : '−'}</span></td>
              <td>${c.voxels}</td><td class="p-fwe">${fmtP(c.pFwe)}</td><td class="p-mass">${fmtP(c.pFweMass)}</td><td class="p-grf">${fmtP(c.pGrf)}</td>
              <td>${fmt(c.mass, 1)}</td><td>${fmt(c.peak.t, 2)}</td><td>${fmt(c.peak.z, 2)}</td>
              <td>${c.peak.mm.map((v) => fmt(v, 0)).join(',\u2009')}</td>
            </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${s.excluded.length ? html`<h2>Not in the analysis</h2><ul class="excluded" aria-label="Excluded files">${s.excluded.map((e) => html`<li data-file=${e.file}>${e.file}: ${e.reason}</li>`)}</ul>` : null}`;
  }

  /** TFCE's FWE p is voxelwise: a line of its own, since the clusters' table cannot carry it. */
  private renderTfce(t: TfceSummary) {
    const where = t.peakMm.map((v) => fmt(v, 0)).join(',\u2009');
    return html`<p id="group-tfce-result">TFCE (E ${t.E}, H ${t.H}, dh ${fmt(t.step, 3)}): ${t.significant} ${t.significant === 1 ? 'voxel' : 'voxels'} with TFCE p FWE < ${GROUP_FWE_ALPHA}; the smallest p, ${fmtP(t.minP)}, at
      <button aria-label="Go to the voxel of the smallest TFCE p" @click=${() => this.emit('peak-select', t.peakMm)}>(${where})</button> mm. Its map is the tfce_corrp one (1 − p).</p>`;
  }

  private pick(e: Event): void {
    const input = e.target as HTMLInputElement;
    this.files = Array.from(input.files ?? []);
    this.requestUpdate();
    this.emit('group-files', { files: this.files, setup: this.setupOf(this.model.value) });
  }

  private setupOf(value: ModelChoices): ModelSetup {
    return {
      design: this.design,
      pair: [this.pre || 'ses-pre', this.post || 'ses-post'],
      pattern: this.pattern,
      value,
    };
  }

  /** A choice the model's rows depend on changed (sessions, pattern): the preview follows. */
  private setup(change: () => void): void {
    change();
    this.emitModel(this.model.value);
  }

  private emitModel(value: ModelChoices): void {
    this.emit('group-model', { setup: this.setupOf(value) });
  }

  /** A field typed into: its text kept, and the fields checked at once (a refusal shows, and Run waits). */
  private typed(change: Partial<GroupFieldText>): void {
    if (change.threshold !== undefined) this.thresholdText = change.threshold;
    if (change.permutations !== undefined) this.permutations = change.permutations;
    if (change.seed !== undefined) this.seedText = change.seed;
    const f = this.fields();
    this.invalid = f.ok ? null : f.problem;
  }

  private fields(): GroupFields {
    return groupFields({ threshold: this.thresholdText, permutations: this.permutations, seed: this.seedText });
  }

  private run(): void {
    const f = this.fields();
    this.invalid = f.ok ? null : f.problem;
    if (!f.ok) return;
    const { thresholdZ, permutations, seed } = f;
    const groups = this.groups.split(',').map((g) => g.trim());
    const req: GroupRequest = {
      files: this.files,
      design: this.design,
      pair: [this.pre || 'ses-pre', this.post || 'ses-post'],
      pattern: this.pattern,
      groupColumn: this.groupColumn || 'group',
      groups: groups.length === 2 ? [groups[0]!, groups[1]!] : null,
      thresholdZ,
      twoSided: this.twoSided && !isModel(this.model.value),
      connectivity: this.connectivity,
      permutations,
      seed,
      tfce: this.tfce,
      model: isModel(this.model.value) ? this.model.value : null,
    };
    this.emit('group-run', req);
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

customElements.define('sl-group-panel', GroupPanel);
