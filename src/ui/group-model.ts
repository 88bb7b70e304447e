import { LitElement, css, html } from 'lit';
import type { DesignView } from '../app/group/design-view';
import { NO_MODEL, type DesignFile, type ModelChoices, type ParticipantChoices } from '../app/group/group-model';
import { download } from './download';
import { panelStyles } from './styles';
import './design-matrix';

/**
 * The Group panel's model builder, from the columns of the participants.tsv among the chosen files:
 * nuisance covariates, an effect of interest, groups (a column and its values); then the design as
 * FSL's Glm GUI shows it, and its files to download. Properties in (`choices`, `value`, `design`,
 * `files`, `error`, kept by the app), `model-change` (ModelChoices) out.
 */
export class GroupModel extends LitElement {
  static override properties = {
    choices: { attribute: false },
    design: { attribute: false },
    files: { attribute: false },
    error: { attribute: false },
    disabled: { type: Boolean },
    value: { attribute: false },
  };
  declare choices: ParticipantChoices | null;
  declare design: DesignView | null;
  declare files: readonly DesignFile[] | null;
  declare error: string | null;
  declare disabled: boolean;
  declare value: ModelChoices;
  static override styles = [
    panelStyles,
    css`h3 { font-size: 0.9rem; margin: 0.5rem 0 0.2rem; } .error { color: #ff6b6b; } fieldset { border: 1px solid #2a323c; border-radius: 4px; padding: 0.2rem 0.4rem; margin: 0.2rem 0; } legend { color: var(--muted, #9aa4b2); }`,
  ];

  constructor() {
    super();
    this.choices = null;
    this.design = null;
    this.files = null;
    this.error = null;
    this.disabled = false;
    this.value = NO_MODEL;
  }

  override render() {
    const c = this.choices;
    if (!c) return null;
    const v = this.value;
    const numeric = [...c.numeric, ...c.changes];
    const groupValues = c.categorical.find((g) => g.column === v.groupColumn)?.values ?? [];
    return html`<h3>Model from participants.tsv</h3>
      <fieldset id="model-covariates" ?disabled=${this.disabled}><legend>Covariates (nuisance, demeaned)</legend>
        ${numeric
          .filter((n) => n !== v.effect)
          .map(
            (n) => html`<label><input type="checkbox" data-covariate=${n} .checked=${v.covariates.includes(n)}
          @change=${(e: Event) => this.toggleCovariate(n, (e.target as HTMLInputElement).checked)} /> ${n}</label>`,
          )}
      </fieldset>
      <div class="row">
        <label>Effect of interest
          <select id="model-effect" ?disabled=${this.disabled} @change=${(e: Event) => this.effect((e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${v.effect === null}>none</option>
            ${numeric.map((n) => html`<option value=${n} ?selected=${v.effect === n}>${n}</option>`)}
          </select>
        </label>
        <label>Groups from
          <select id="model-group-column" ?disabled=${this.disabled} @change=${(e: Event) => this.groupColumn((e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${v.groupColumn === null}>none</option>
            ${c.categorical.map((g) => html`<option value=${g.column} ?selected=${v.groupColumn === g.column}>${g.column}</option>`)}
          </select>
        </label>
      </div>
      ${
        groupValues.length
          ? html`<fieldset id="model-groups" ?disabled=${this.disabled}><legend>Groups compared (cell means; every pair both ways, and an F-test for three or more)</legend>
            ${groupValues.map((g) => html`<label><input type="checkbox" data-group=${g} .checked=${v.groups.includes(g)} @change=${(e: Event) => this.toggleGroup(g, (e.target as HTMLInputElement).checked, groupValues)} /> ${g}</label>`)}
          </fieldset>`
          : null
      }
      ${this.error ? html`<p class="error" role="alert" id="model-error">${this.error}</p>` : null}
      ${
        this.design
          ? html`<sl-design-matrix .view=${this.design}></sl-design-matrix>
            <div class="row" id="model-files">Design files for randomise:
              ${(this.files ?? []).map((f) => html`<button data-file=${f.name} @click=${() => download(f.name, f.text, 'text/plain')}>${f.name}</button>`)}
            </div>`
          : html`<p class="muted" id="model-none">Without a covariate, an effect or groups, the design above runs as it is.</p>`
      }`;
  }

  private set(value: ModelChoices): void {
    this.dispatchEvent(new CustomEvent<ModelChoices>('model-change', { detail: value, bubbles: true, composed: true }));
  }

  private toggleCovariate(n: string, on: boolean): void {
    const rest = this.value.covariates.filter((x) => x !== n);
    this.set({ ...this.value, covariates: on ? [...rest, n] : rest });
  }

  private effect(n: string): void {
    this.set({ ...this.value, effect: n || null, covariates: this.value.covariates.filter((x) => x !== n) });
  }

  private groupColumn(column: string): void {
    // A new column starts with all its values chosen: the usual question is "do they differ at all".
    const values = this.choices?.categorical.find((g) => g.column === column)?.values ?? [];
    this.set({ ...this.value, groupColumn: column || null, groups: column ? [...values] : [] });
  }

  private toggleGroup(g: string, on: boolean, order: readonly string[]): void {
    const chosen = new Set(this.value.groups);
    if (on) chosen.add(g);
    else chosen.delete(g);
    this.set({ ...this.value, groups: order.filter((x) => chosen.has(x)) });
  }
}

customElements.define('sl-group-model', GroupModel);
