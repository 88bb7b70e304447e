import { LitElement, css, html } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { BatchSummary } from '../analysis/batch';
import type { Covariate } from '../analysis/bids';
import type { PairedStats } from '../analysis/paired';
import { batchCsv } from '../report/batch-csv';
import { plotSvg } from '../app/batch/batch-plot';
import type { BatchProgress } from '../app/batch/batch-runner';
import type { BatchRequest } from '../app/page/page-state';
import './batch-stats';
import { download } from './download';
import { fmt, fmtP, panelStyles } from './styles';

export type { BatchRequest };

/** The plot's y-axis title. */
const Y_TITLE = 'signature response';

/** Batch scoring: choose files or a folder, pair sessions, see the paired statistics and the plot. */
export class BatchPanel extends LitElement {
  static override properties = {
    summary: { attribute: false },
    progress: { attribute: false },
    running: { type: Boolean },
    weightsName: { attribute: false },
    message: { attribute: false },
    covariateValues: { attribute: false },
  };
  declare summary: BatchSummary | null;
  declare progress: BatchProgress | null;
  declare running: boolean;
  declare weightsName: string | null;
  declare message: string | null;
  /** The covariates asked for, with each participant's value (for the scatter plots). */
  declare covariateValues: readonly Covariate[];
  static override styles = [
    panelStyles,
    css`.plot svg { border-radius: 4px; max-width: 100%; height: auto; display: block; } .excluded li { color: var(--muted); }`,
  ];

  private pre = 'ses-pre';
  private post = 'ses-post';
  private pattern = '';
  private covariates = '';

  constructor() {
    super();
    this.summary = null;
    this.progress = null;
    this.running = false;
    this.weightsName = null;
    this.message = null;
    this.covariateValues = [];
  }

  override render() {
    const s = this.summary;
    return html`<h2>Batch: signature response per subject, pre vs post</h2>
      <p class="muted">${this.weightsName ? `Weights: ${this.weightsName} (choose them in the signature panel).` : 'Choose signature weights in the signature panel first.'}</p>
      <div class="row">
        <label>Pre session <input id="batch-pre" type="text" .value=${this.pre} @change=${(e: Event) => (this.pre = (e.target as HTMLInputElement).value.trim())} /></label>
        <label>Post session <input id="batch-post" type="text" .value=${this.post} @change=${(e: Event) => (this.post = (e.target as HTMLInputElement).value.trim())} /></label>
      </div>
      <div class="row">
        <label>Name pattern (optional, named groups sub and ses)
          <input id="batch-pattern" type="text" placeholder="(?<sub>s\\d+)_(?<ses>pre|post)" @change=${(e: Event) => (this.pattern = (e.target as HTMLInputElement).value.trim())} />
        </label>
      </div>
      <div class="row">
        <label>Covariates (participants.tsv columns, comma-separated; COL means COL or COL_post − COL_pre)
          <input id="batch-covariates" type="text" placeholder="gain, promis" @change=${(e: Event) => (this.covariates = (e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <div class="row">
        <label>Score files <input id="batch-files" type="file" multiple ?disabled=${!this.weightsName || this.running} @change=${this.pick} /></label>
        <label>Score a folder <input id="batch-folder" type="file" webkitdirectory ?disabled=${!this.weightsName || this.running} @change=${this.pick} /></label>
      </div>
      ${
        this.progress
          ? html`<div class="row"><progress aria-label="Batch progress" max=${this.progress.total} value=${this.progress.done}></progress>
            <span id="batch-count">${this.progress.done} / ${this.progress.total}</span>
            ${this.running ? html`<button id="batch-cancel" @click=${() => this.emit('batch-cancel', null)}>Cancel</button>` : null}</div>`
          : null
      }
      ${this.message ? html`<p class="muted" role="status">${this.message}</p>` : null}
      ${s ? this.results(s) : null}`;
  }

  private results(s: BatchSummary) {
    // Escaped text only (plotSvg escapes every name): the same document the export saves.
    const plot = s.subjects.length ? plotSvg(s, Y_TITLE) : null;
    return html`<div class="row">
        <button id="batch-csv" @click=${() => download('siglens_batch.csv', batchCsv(s), 'text/csv')}>Export CSV</button>
        <button id="batch-svg" ?disabled=${!plot} @click=${() => plot && download('siglens_batch_plot.svg', plot, 'image/svg+xml')}>Export plot (SVG)</button>
      </div>
      <p id="batch-stats">${statsLine(`${s.pair[1]} − ${s.pair[0]}`, s.paired)}</p>
      ${
        s.groups && 'difference' in s.groups
          ? html`<p id="batch-groups">${s.groups.groups.join(' vs ')} (change): difference ${fmt(s.groups.difference, 4)}, 95% CI [${s.groups.ci95.map((v) => fmt(v, 4)).join(', ')}], Welch t(${fmt(s.groups.df, 1)}) = ${fmt(s.groups.t, 3)}, p = ${fmtP(s.groups.p)}</p>`
          : null
      }
      ${plot ? html`<div class="plot">${unsafeHTML(plot)}</div>` : null}
      <div class="scroll">
        <table aria-label="Batch results">
          <thead><tr><th class="name">subject</th><th>group</th><th>${s.pair[0]}</th><th>${s.pair[1]}</th><th>change</th></tr></thead>
          <tbody>
            ${s.subjects.map((r) => html`<tr data-subject=${r.subject}><td class="name">${r.subject}</td><td>${r.group ?? ''}</td><td>${fmt(r.pre.value, 3)}</td><td>${fmt(r.post.value, 3)}</td><td>${fmt(r.change, 3)}</td></tr>`)}
          </tbody>
        </table>
      </div>
      <sl-batch-stats .summary=${s} .covariates=${this.covariateValues}></sl-batch-stats>
      ${
        s.excluded.length
          ? html`<h2>Not in the analysis</h2><ul class="excluded" aria-label="Excluded files">${s.excluded.map((e) => html`<li data-file=${e.file}>${e.file}: ${e.reason}</li>`)}</ul>`
          : null
      }`;
  }

  private pick(e: Event): void {
    const input = e.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = '';
    if (files.length)
      this.emit('batch-run', {
        files,
        pair: [this.pre || 'ses-pre', this.post || 'ses-post'],
        pattern: this.pattern,
        covariates: this.covariates
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean),
      } satisfies BatchRequest);
  }

  private emit(type: string, detail: BatchRequest | null): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

function statsLine(label: string, p: PairedStats | null): string {
  if (!p) return 'Fewer than two complete pairs: no paired statistics.';
  return `${label}: n ${p.n}, mean ${fmt(p.mean, 4)} (SD ${fmt(p.sd, 4)}), 95% CI [${p.ci95.map((v) => fmt(v, 4)).join(', ')}], paired t(${p.df}) = ${fmt(p.t, 3)}, p = ${fmtP(p.p)}, Cohen's d_z = ${fmt(p.dz, 3)}`;
}

customElements.define('sl-batch-panel', BatchPanel);
