import { LitElement, css, html, svg } from 'lit';
import type { BatchSummary } from '../analysis/batch';
import type { Covariate } from '../analysis/bids';
import type { Correlation } from '../analysis/batch-stats';
import { associationPoints, SCATTER, scatterGeometry } from '../app/batch/scatter-plot';
import { download } from './download';
import { fmt, fmtP, panelStyles } from './styles';

/**
 * A batch's per-subject ROI means and its associations: each ROI's pre, post and change, each
 * group's paired test (and the ANOVA of the changes for three or more groups), Spearman and Pearson
 * of each change against each covariate, and the scatter plot of one (change vs covariate, the
 * least-squares line, subjects as labelled points), exportable as SVG. Properties in only.
 */
export class BatchStats extends LitElement {
  static override properties = {
    summary: { attribute: false },
    covariates: { attribute: false },
    plotted: { state: true },
  };
  declare summary: BatchSummary | null;
  declare covariates: readonly Covariate[];
  /** Which correlation the scatter plot shows (index into summary.correlations). */
  declare plotted: number;
  static override styles = [
    panelStyles,
    css`svg { background: #0d1014; border-radius: 4px; max-width: 100%; } h3 { font-size: 0.9rem; margin: 0.6rem 0 0.3rem; }`,
  ];

  constructor() {
    super();
    this.summary = null;
    this.covariates = [];
    this.plotted = 0;
  }

  override render() {
    const s = this.summary;
    if (!s?.subjects.length) return html``;
    const rois = s.subjects[0]!.pre.rois.map((r) => r.name);
    return html`${rois.length ? this.roiTable(s, rois) : null} ${this.groups(s)} ${s.correlations.length ? this.correlations(s) : null}`;
  }

  private roiTable(s: BatchSummary, rois: string[]) {
    return html`<h3>ROI means per subject</h3>
      <ul id="roi-paired">${rois.map((name, k) => {
        const p = s.roiPaired[k];
        return html`<li>${name}: ${p ? `change ${fmt(p.mean, 4)}, 95% CI [${p.ci95.map((v) => fmt(v, 4)).join(', ')}], t(${p.df}) = ${fmt(p.t, 3)}, p = ${fmtP(p.p)}` : 'fewer than two complete pairs'}</li>`;
      })}</ul>
      <div class="scroll">
        <table aria-label="ROI means per subject" id="roi-subjects">
          <thead><tr><th class="name">subject</th>${rois.map((r) => html`<th>${r} ${s.pair[0]}</th><th>${s.pair[1]}</th><th>change</th>`)}</tr></thead>
          <tbody>${s.subjects.map(
            (row) =>
              html`<tr data-subject=${row.subject}><td class="name">${row.subject}</td>${rois.map((_, k) => {
                const [a, b] = [row.pre.rois[k]?.mean ?? null, row.post.rois[k]?.mean ?? null];
                return html`<td>${fmt(a, 3)}</td><td>${fmt(b, 3)}</td><td>${a === null || b === null ? '–' : fmt(b - a, 3)}</td>`;
              })}</tr>`,
          )}</tbody>
        </table>
      </div>`;
  }

  private groups(s: BatchSummary) {
    const g = s.groups;
    if (!g) return null;
    return html`<h3>Groups</h3>
      <ul id="batch-by-group">${g.byGroup.map((b) => html`<li>${b.group}: ${b.paired ? `n ${b.paired.n}, change ${fmt(b.paired.mean, 4)}, 95% CI [${b.paired.ci95.map((v) => fmt(v, 4)).join(', ')}], t(${b.paired.df}) = ${fmt(b.paired.t, 3)}, p = ${fmtP(b.paired.p)}` : 'fewer than two pairs'}</li>`)}</ul>
      ${'anova' in g && g.anova ? html`<p id="batch-anova">One-way ANOVA of the changes across ${g.groups.join(', ')}: F(${g.anova.df1}, ${g.anova.df2}) = ${fmt(g.anova.F, 3)}, p = ${fmtP(g.anova.p)}</p>` : null}`;
  }

  private correlations(s: BatchSummary) {
    const k = Math.min(this.plotted, s.correlations.length - 1);
    const c = s.correlations[k]!;
    return html`<h3>Change against covariates</h3>
      <div class="scroll">
        <table aria-label="Correlations" id="batch-correlations">
          <thead><tr><th class="name">measure</th><th class="name">covariate</th><th>n</th><th>left out</th><th title="Spearman">ρ</th><th>p</th><th title="Pearson">r</th><th>p</th></tr></thead>
          <tbody>${s.correlations.map(
            (r, i) => html`<tr data-measure=${r.measure} data-covariate=${r.covariate}>
            <td class="name"><button aria-label=${`Plot ${r.measure} against ${r.covariate}`} @click=${() => (this.plotted = i)}>${r.measure}</button></td><td class="name">${r.covariate}</td>
            <td>${r.n}</td><td title=${r.missingSubjects.join(', ')}>${r.missing}</td><td>${fmt(r.spearman?.rho, 3)}</td><td>${fmtP(r.spearman?.p ?? null)}</td><td>${fmt(r.pearson?.r, 3)}</td><td>${fmtP(r.pearson?.p ?? null)}</td>
          </tr>`,
          )}</tbody>
        </table>
      </div>
      ${this.scatter(s, c)}`;
  }

  private scatter(s: BatchSummary, c: Correlation) {
    const cov = this.covariates.find((v) => v.name === c.covariate);
    const points = cov ? associationPoints(s, cov, c.measure) : [];
    if (points.length < 2) return html`<p class="muted">Too few subjects with both values to plot.</p>`;
    const g = scatterGeometry(points);
    const title = `${c.measure} change (${s.pair[1]} − ${s.pair[0]}) vs ${c.covariate}`;
    const B = SCATTER;
    return html`<div class="row"><button id="scatter-svg" @click=${() => this.exportSvg(c)}>Export scatter (SVG)</button></div>
      <svg id="batch-scatter" xmlns="http://www.w3.org/2000/svg" width=${B.width} height=${B.height} viewBox="0 0 ${B.width} ${B.height}" role="img" aria-label=${title}>
        <rect width=${B.width} height=${B.height} fill="#0d1014" />
        ${g.yTicks.map((t) => svg`<line x1=${B.left} x2=${B.width - B.right} y1=${t.y} y2=${t.y} stroke="#2a323c" /><text x=${B.left - 5} y=${t.y + 4} fill="#9aa4b2" font-size="10" text-anchor="end">${t.label}</text>`)}
        ${g.xTicks.map((t) => svg`<text x=${t.x} y=${B.height - B.bottom + 14} fill="#9aa4b2" font-size="10" text-anchor="middle">${t.label}</text>`)}
        ${g.zeroY === null ? null : svg`<line x1=${B.left} x2=${B.width - B.right} y1=${g.zeroY} y2=${g.zeroY} stroke="#5b6573" stroke-dasharray="3 3" />`}
        ${g.fit ? svg`<line id="scatter-fit" x1=${g.fit.x1} y1=${g.fit.y1} x2=${g.fit.x2} y2=${g.fit.y2} stroke="#4fa3ff" stroke-width="1.5" />` : null}
        ${g.points.map((p) => svg`<circle cx=${p.cx} cy=${p.cy} r="3.5" fill="#ff9f1c"><title>${p.label}</title></circle><text x=${p.cx + 5} y=${p.cy - 4} fill="#e6e9ee" font-size="9">${p.label.replace(/^sub-/, '')}</text>`)}
        <text x=${(B.left + B.width - B.right) / 2} y=${B.height - 6} fill="#e6e9ee" font-size="11" text-anchor="middle">${c.covariate}</text>
        <text x="12" y=${(B.top + B.height - B.bottom) / 2} fill="#e6e9ee" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${(B.top + B.height - B.bottom) / 2})">${c.measure} change</text>
        <text x=${B.left} y="14" fill="#9aa4b2" font-size="10">ρ = ${fmt(c.spearman?.rho, 2)}, p = ${fmtP(c.spearman?.p ?? null)}; r = ${fmt(c.pearson?.r, 2)}, p = ${fmtP(c.pearson?.p ?? null)}; n = ${c.n}</text>
      </svg>`;
  }

  private exportSvg(c: Correlation): void {
    const el = this.renderRoot.querySelector('#batch-scatter');
    if (el)
      download(
        `siglens_${c.measure.replace(/[^\w.-]+/g, '_')}_vs_${c.covariate.replace(/[^\w.-]+/g, '_')}.svg`,
        new XMLSerializer().serializeToString(el),
        'image/svg+xml',
      );
  }
}

customElements.define('sl-batch-stats', BatchStats);
