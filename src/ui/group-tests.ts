import { LitElement, css, html } from 'lit';
import type { GlmSummary } from '../app/group/group-glm';
import { fmt, fmtP, panelStyles } from './styles';
import './design-matrix';

/**
 * A finished model run (and its design, when asked): one row per t-contrast and F-test with its
 * largest statistic and that maximum's FWE p, its clusters and the best cluster's FWE p, and a button
 * that opens the test's maps in the viewer (randomise's tstatN / fstatN and their corrp maps).
 * Properties in (`summary`, `shown`), `group-test` (the test's 0-based row) out.
 */
export class GroupTests extends LitElement {
  static override properties = {
    summary: { attribute: false },
    shown: { attribute: false },
    showDesign: { type: Boolean },
  };
  declare summary: GlmSummary | null;
  declare shown: number | null;
  /** Whether to draw the fitted design too (when no builder above shows it: a run the demo started). */
  declare showDesign: boolean;
  static override styles = [
    panelStyles,
    css`#glm-tests th, #glm-tests td { padding: 0.15rem 0.25rem; } td.name { white-space: normal; min-width: 9.5rem; } td.name button { min-width: 2.3rem; padding: 0 0.25rem; } tr.shown td { background: #222a33; } .stat { color: var(--muted, #9aa4b2); } .tests { overflow-x: auto; }`,
  ];

  constructor() {
    super();
    this.summary = null;
    this.shown = null;
    this.showDesign = false;
  }

  override render() {
    const s = this.summary;
    if (!s) return null;
    const counts = [
      ...new Set(
        s.tests.map(
          (t) =>
            `${t.count}${t.exhaustive ? ' (all)' : ''} ${t.permutation === 'sign-flip' ? 'sign flips' : 'permutations'}`,
        ),
      ),
    ].join(' / ');
    return html`${this.showDesign ? html`<sl-design-matrix id="glm-design" compact .view=${s.model}></sl-design-matrix>` : null}
      <p id="glm-stats">${s.design === 'paired' ? "Model of each subject's post − pre" : 'Model of the maps'}: n ${s.n}, rank ${s.rank}, df ${s.df}, ${s.maskVoxels} voxels in the mask; Freedman-Lane, ${counts} per test (seed ${s.seed}); clusters at z ≥ ${fmt(s.thresholdZ, 2)} (in t or F at the same p), one-sided, ${s.connectivity}-connected; ${fmt(s.seconds, 1)} s on ${s.engine}.</p>
      <div class="tests">
        <table aria-label="Contrasts and F-tests" id="glm-tests">
          <thead><tr><th class="name" title="Each test's button shows its maps in the viewer">test (maps); p: FWE</th><th title="The largest statistic in the map">max</th><th title="FWE p of the largest statistic (max-statistic null)">p max</th><th title="The largest cluster's size (voxels) at the cluster-forming threshold">largest</th><th title="The smallest cluster FWE p of the extent, by permutation">p cluster</th></tr></thead>
          <tbody>
            ${s.tests.map((t, k) => {
              const best = t.clusters.reduce<(typeof t.clusters)[number] | null>(
                (a, c) => (a === null || c.pFwe < a.pFwe ? c : a),
                null,
              );
              const what = `${t.kind === 't' ? 'contrast' : 'F-test'} ${t.index} (${t.name})`;
              return html`<tr data-test=${t.stem} class=${this.shown === k ? 'shown' : ''}>
                <td class="name"><button aria-pressed=${this.shown === k ? 'true' : 'false'} aria-label=${`Show the maps of ${what}`} title=${`${t.stem}: ${what}`}
                  @click=${() => this.dispatchEvent(new CustomEvent<number>('group-test', { detail: k, bubbles: true, composed: true }))}>${t.kind === 't' ? 'C' : 'F'}${t.index}</button> ${t.name}</td>
                <td class="max" title=${t.kind === 't' ? `t, df ${t.df2}` : `F, df ${t.df1}, ${t.df2}`}><span class="stat">${t.kind}</span> ${fmt(t.maxStat, 2)}</td><td class="p-max">${fmtP(t.pMax)}</td>
                <td class="voxels" title=${`${t.clusters.length} clusters`} data-clusters=${t.clusters.length}>${t.clusters[0]?.voxels ?? '–'}</td><td class="p-fwe">${best ? fmtP(best.pFwe) : '–'}</td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      ${s.excluded.length ? html`<h2>Not in the analysis</h2><ul class="excluded" aria-label="Excluded files">${s.excluded.map((e) => html`<li data-file=${e.file}>${e.file}: ${e.reason}</li>`)}</ul>` : null}`;
  }
}

customElements.define('sl-group-tests', GroupTests);
