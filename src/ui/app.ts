import { LitElement, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Sphere } from '../analysis/roi';
import type { AnalysisResults } from '../app/page/analyzer';
import { DEMO_STEPS, type DemoFocus } from '../app/demo/demo';
import { demoFacts } from '../app/demo/demo-facts';
import type { MapEntry } from '../app/maps/maps';
import { PageActions } from '../app/page/page';
import type { BatchRequest, PageState } from '../app/page/page-state';
import type { GroupRequest } from '../app/group/group-session';
import type { ModelSetup } from '../app/group/group-preview';
import { PaneManager } from '../view/panes';
import { PagePanes } from '../app/page/page-panes';
import { withPeakSpheres, type PeakRow } from '../app/maps/peak-spheres';
import type { OverlayRole } from '../app/maps/layer-display';
import type { ThresholdSettings } from '../analysis/threshold-settings';
import type { CompareSettings, SignatureSettings } from '../app/page/settings';
import { StoreController } from '../app/page/store';
import { ViewModel } from '../app/page/view-model';
import type { Mm } from '../view/pane';
import { appStyles } from './app-styles';
import { viewStyles } from './view-styles';
import { exportMap, savePanePng } from './exports';
import type { ExportKind } from './export-panel';
import type { LayerChange } from './layers-panel';
import type { FrameChange, KindChange, LabelTableChoice, OverlayChange } from './map-list';
import './batch-panel';
import './cluster-table';
import './compare-panel';
import './demo-bar';
import './export-panel';
import './figure-dialog';
import { exportReport } from './report-export';
import './group-panel';
import './glass-brain';
import './file-drop';
import './layers-panel';
import './load-list';
import './map-list';
import './readout';
import './roi-panel';
import './signature-panel';
import './threshold-panel';

type Ev<T> = CustomEvent<T>;

/**
 * The page: it composes the panels and nothing else. The state lives in a store (src/app/page/store.ts,
 * held by PageActions); each panel gets its slice as properties and answers with events, which go
 * to PageActions; the panes follow the state through PaneManager.
 */
export class SiglensApp extends LitElement {
  static override styles = [appStyles, viewStyles];
  static override properties = { drawer: { state: true } };
  /** Whether the side panel is open as a drawer (narrow windows; wide ones always show it). */
  declare drawer: boolean;

  constructor() {
    super();
    this.drawer = false;
  }

  readonly page = new PageActions(
    new Worker(new URL('../worker/analysis.worker.ts', import.meta.url), { type: 'module', name: 'siglens-analysis' }),
  );
  private readonly view = new StoreController(this, this.page.store);
  private readonly panes = new PaneManager(this, new PagePanes(this.page), () => this.renderRoot);
  private readonly vm = new ViewModel();

  // The state, read (and for the threshold, set) from outside: tests and benchmarks drive the page through these.
  get state(): Readonly<PageState> {
    return this.view.state;
  }
  get maps(): readonly MapEntry[] {
    return this.state.maps;
  }
  get results(): AnalysisResults | null {
    return this.state.results;
  }
  get settings(): ThresholdSettings {
    return this.state.settings;
  }
  set settings(settings: ThresholdSettings) {
    this.page.set({ settings });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Escape closes the drawer from anywhere in the page.
    this.addEventListener('keydown', (e) => e.key === 'Escape' && this.drawer && void this.toggleDrawer());
    // A demo step's panels are brought into view again in a resized window (a drawer now, or a column).
    addEventListener('resize', () => {
      if (this.state.demoStep === null) return;
      this.demoShown = '';
      this.requestUpdate();
    });
    void this.page.start();
  }

  openFiles(files: File[]): void {
    this.page.openFiles(files);
  }

  runBatch(req: BatchRequest): Promise<void> {
    return this.page.runBatch(req);
  }

  /** Resolves when every pane's pixels are drawn (the benchmark waits for this). */
  panesDrawn(): Promise<void> {
    return this.panes.drawn();
  }

  override render() {
    const s = this.state;
    const p = this.page;
    const first = s.results?.shown[0];
    const shown = this.vm.shownMap(s);
    const second = s.results?.shown[1];
    const pair = this.vm.pairIndices(s);
    return html`<header>
        <h1>SigLens <span>brain activation maps</span></h1>
        <sl-file-drop @files-chosen=${(e: Ev<File[]>) => p.openFiles(e.detail)}></sl-file-drop>
        <button id="demo-button" @click=${() => p.startDemo()}>Demo</button>
        <button id="panels-button" aria-controls="side" aria-expanded=${this.drawer ? 'true' : 'false'} @click=${() => this.toggleDrawer()}>Panels</button>
      </header>
      ${s.error ? html`<p class="error" role="alert">${s.error} <button id="dismiss-error" aria-label="Dismiss the error" @click=${() => p.set({ error: null })}>Dismiss</button></p>` : null}
      ${this.linkNote()}
      ${this.loadErrors()}
      <main class=${this.docked ? 'docked' : ''}>
        <section class="views" aria-label="Views">
          ${
            s.demoStep === null
              ? null
              : html`<sl-demo-bar .steps=${DEMO_STEPS} .index=${s.demoStep} .facts=${demoFacts(DEMO_STEPS[s.demoStep]!, s.results, { running: s.group.running, clusters: s.groupMaps?.clusters ?? null, glm: s.group.glm })}
                @demo-go=${(e: Ev<number>) => p.goToStep(e.detail)} @demo-exit=${() => p.exitDemo()}></sl-demo-bar>`
          }
          <div class="pane-area">${this.renderPanes()}</div>
          ${
            s.results?.shown.length
              ? html`<label class="glass-toggle"><input id="glass-toggle" type="checkbox" .checked=${!!s.glassBrain} @change=${(e: Event) => p.set({ glassBrain: (e.target as HTMLInputElement).checked })} /> glass brain (maximum-intensity projections)</label>`
              : null
          }
          ${s.glassBrain ? html`<sl-glass-brain .model=${this.vm.glass(s)}></sl-glass-brain>` : null}
          <sl-readout .mm=${s.crosshair} .model=${this.vm.readout(s)} .engine=${s.engine} .space=${this.vm.space(s)} @goto=${(e: Ev<Mm>) => void this.panes.moveCrosshair(e.detail)}></sl-readout>
          ${s.results?.differenceNote ? html`<p class="muted">${s.results.differenceNote}</p>` : null}
        </section>
        <aside id="side" aria-label="Controls and results" class=${this.drawer ? 'open' : ''}>
          <button id="panels-close" aria-label="Close the panels" @click=${() => this.toggleDrawer()}>Close ✕</button>
          <sl-load-list .entries=${s.entries} @cancel-load=${(e: Ev<number>) => p.maps.cancelLoad(e.detail)} @dismiss-load=${(e: Ev<number>) => p.maps.dismiss(e.detail)}></sl-load-list>
          <sl-map-list .maps=${this.vm.mapRows(s)} .selectedId=${s.selectedId} .backgroundId=${s.backgroundId} .atlasId=${s.atlasId} .roles=${this.vm.roles(s)}
            @map-select=${(e: Ev<number>) => p.maps.selectMap(e.detail)}
            @background-select=${(e: Ev<number>) => p.set({ backgroundId: e.detail })}
            @atlas-select=${(e: Ev<number>) => p.set({ atlasId: e.detail })}
            @map-kind=${(e: Ev<KindChange>) => p.maps.setKind(e.detail.id, e.detail.kind)}
            @map-frame=${(e: Ev<FrameChange>) => void p.maps.setFrame(e.detail.id, e.detail.frame)}
            @map-remove=${(e: Ev<number>) => p.maps.removeMap(e.detail)}
            .extraOverlays=${s.extraOverlays}
            @overlay-change=${(e: Ev<OverlayChange>) => this.setOverlay(e.detail)}
            @label-table=${(e: Ev<LabelTableChoice>) => void p.maps.openLabelTable(e.detail.file, e.detail.id)}></sl-map-list>
          <sl-threshold-panel .settings=${s.settings} .kind=${shown?.kind} .resolved=${s.results?.threshold} .minVoxels=${first?.table.minVoxels} .height=${s.results?.height ?? null}
            .problem=${p.thresholdProblem()} .sliderMax=${shown ? Math.max(Math.abs(shown.stats.min), Math.abs(shown.stats.max)) : undefined}
            @settings-change=${(e: Ev<ThresholdSettings>) => p.set({ settings: e.detail })}></sl-threshold-panel>
          ${this.clusterTable(first, 0)}
          ${pair && second ? this.clusterTable(second, 1) : null}
          <sl-layers-panel .layers=${this.vm.layerRows(s)} @layer-change=${(e: Ev<LayerChange>) => p.setDisplay(e.detail.id, e.detail.patch)}
            @layer-move=${(e: Ev<{ role: OverlayRole; by: 1 | -1 }>) => p.moveOverlay(e.detail.role, e.detail.by)}></sl-layers-panel>
          <sl-compare-panel .maps=${this.vm.statMaps(s)} .settings=${s.compare} .differenceThreshold=${s.differenceThreshold}
            @compare-change=${(e: Ev<CompareSettings>) => p.set({ compare: e.detail })} @difference-threshold=${(e: Ev<number>) => p.set({ differenceThreshold: e.detail })}></sl-compare-panel>
          <sl-roi-panel .spheres=${s.spheres} .columns=${this.vm.columns(s)} .results=${s.results?.roi ?? []} .pair=${pair} .nativeMaps=${this.vm.nativeMaps(s)}
            @rois-change=${(e: Ev<Sphere[]>) => p.set({ spheres: e.detail })} @roi-add-crosshair=${() => p.addSphereAtCrosshair()}></sl-roi-panel>
          <sl-signature-panel .maps=${this.vm.named(s)} .settings=${s.signature} .results=${s.results?.signature ?? []} .pair=${pair} .nativeMaps=${this.vm.nativeMaps(s)}
            .contributionThreshold=${s.contributionThreshold}
            @signature-change=${(e: Ev<SignatureSettings>) => p.set({ signature: e.detail })} @contribution-threshold=${(e: Ev<number | null>) => p.set({ contributionThreshold: e.detail })}></sl-signature-panel>
          <sl-batch-panel .summary=${s.batch.summary} .progress=${s.batch.progress} ?running=${s.batch.running} .message=${s.batch.message} .covariateValues=${s.batch.covariates}
            .weightsName=${s.maps.find((m) => m.id === s.signature.weightsId)?.volume.name ?? null}
            @batch-run=${(e: Ev<BatchRequest>) => p.runBatch(e.detail)} @batch-cancel=${() => p.cancelBatch()}></sl-batch-panel>
          <sl-group-panel .summary=${s.group.summary} .progress=${s.group.progress} ?running=${s.group.running} .message=${s.group.message} .error=${s.group.error}
            .model=${s.group.model} .glm=${s.group.glm} .glmShown=${s.group.glmShown} .reveal=${this.revealKey(s)} .request=${s.group.request}
            @group-files=${(e: Ev<{ files: File[]; setup: ModelSetup }>) => void p.chooseGroupFiles(e.detail.files, e.detail.setup)}
            @group-model=${(e: Ev<{ setup: ModelSetup }>) => p.setGroupModel(e.detail.setup)} @group-test=${(e: Ev<number>) => void p.showGroupTest(e.detail)}
            @group-run=${(e: Ev<GroupRequest>) => p.runGroup(e.detail)} @group-cancel=${() => p.cancelGroup()} @peak-select=${(e: Ev<Mm>) => void this.panes.moveCrosshair(e.detail)}></sl-group-panel>
          <sl-export-panel ?hasMap=${!!first} ?hasDifference=${!!s.results?.difference} @export-map=${(e: Ev<ExportKind>) => s.results && exportMap(s.results, e.detail)}
            @figure-open=${() => p.set({ figureOpen: true })} @report-export=${() => this.exportReport()}></sl-export-panel>
          <sl-figure-dialog .source=${s.figureOpen ? this.vm.figure(s) : null} ?open=${s.figureOpen} @figure-close=${() => p.set({ figureOpen: false })}></sl-figure-dialog>
        </aside>
      </main>`;
  }

  /** What the demo's group step brings into view in the Group panel: its run's results, once the page is not busy. */
  private revealKey(s: PageState): string | null {
    const step = s.demoStep === null ? null : DEMO_STEPS[s.demoStep];
    if (!step?.group || s.busy || s.group.running) return null;
    const what = step.group.model
      ? s.group.glm
        ? `glm:${s.group.glmShown}`
        : null
      : s.group.summary
        ? 'paired'
        : null;
    return what && `${s.demoStep}|${what}|${s.selectedId}`;
  }

  /** A shown map's cluster table (labelled pre or post in a comparison), with what it was computed with for its CSV and the open atlas's regions. */
  private clusterTable(shown: AnalysisResults['shown'][number] | undefined, which: 0 | 1) {
    const s = this.state;
    return html`<sl-cluster-table .clusters=${shown?.table.clusters ?? []} .mapName=${shown?.entry.volume.name ?? ''} ?busy=${s.busy}
      .basis=${shown?.table ?? null} .settings=${s.settings} .df=${shown?.entry.df} .kind=${shown?.entry.kind} .height=${s.results?.height ?? null}
      .role=${shown && shown.role !== 'single' ? shown.role : null} .regions=${this.vm.peakRegions(s, which)} .regionShares=${this.vm.regionShares(s, which)}
      .permutation=${shown === s.results?.shown[0] ? this.vm.permutation(s) : null} .emptyNote=${this.vm.emptyNote(s, which)}
      @peak-select=${(e: Ev<Mm>) => void this.panes.moveCrosshair(e.detail)}
      @spheres-at-peaks=${(e: Ev<number>) => shown && this.spheresAtPeaks(shown.table.clusters, e.detail, this.vm.peakRegions(s, which))}></sl-cluster-table>`;
  }

  /** What a link made with local files needs: their names, until they are opened; then that the view is restored. */
  private linkNote() {
    const link = this.state.link;
    if (!link) return null;
    const close = html`<button aria-label="Dismiss" @click=${() => this.page.set({ link: null })}>✕</button>`;
    return link.missing.length
      ? html`<p class="link-note" role="status" id="link-note">This link was made with files from its author's computer. To restore its view, open
          ${link.missing.map((n, k) => html`${k ? ', ' : ''}<strong>${n}</strong>`)} (Open maps… or drop them here). ${close}</p>`
      : html`<p class="link-note" role="status" id="link-note">The link's view is restored with ${link.opened.join(', ')}. ${close}</p>`;
  }

  /**
   * Files that failed to load, on the main view: below 1200 px the load list sits in the closed
   * drawer, so a dropped bad file would otherwise show nothing. Dismissing drops the entry there too.
   */
  private loadErrors() {
    const failed = this.state.entries.filter((e) => e.state === 'error' && !e.note);
    if (failed.length === 0) return null;
    return html`<div class="load-errors" role="alert" aria-label="Files that could not be loaded">
      ${failed.map(
        (e) => html`<p class="error" data-failed=${e.name}>${e.error ?? `${e.name} could not be read`}
        <button class="dismiss-failed" aria-label=${`Dismiss the error for ${e.name}`} @click=${() => this.page.maps.dismiss(e.key)}>Dismiss</button></p>`,
      )}
    </div>`;
  }

  /** The demo's last brought-into-view panels (step and panels), and whether the demo opened the drawer. */
  private demoShown = '';
  private demoOpenedDrawer = false;

  /** The drawer the demo opened is docked beside the panes, not over them: what a caption names is never covered. */
  private get docked(): boolean {
    return this.drawer && this.demoOpenedDrawer;
  }

  protected override updated(): void {
    void this.showDemoFocus();
  }

  /**
   * What a demo caption speaks of is on screen: its panels scrolled into view in the side panel, the
   * drawer opened for them where the panels are one (and closed again for a step about the panes).
   */
  private async showDemoFocus(): Promise<void> {
    const s = this.state;
    const step = s.demoStep === null ? null : DEMO_STEPS[s.demoStep];
    // The group step: its panel while the run goes, then the run's cluster table.
    const focus: readonly DemoFocus[] = step?.group
      ? [s.groupMaps && !s.group.running ? 'clusters' : 'group']
      : (step?.focus ?? []);
    const key = step ? `${s.demoStep}|${focus.join(',')}` : '';
    if (key === this.demoShown) return;
    this.demoShown = key;
    // Where the panels are a drawer, the demo docks them beside the panes (the panes narrower, none covered).
    const narrow = this.renderRoot.querySelector<HTMLElement>('#panels-button')?.offsetParent !== null;
    if (narrow && focus.length && !this.drawer) {
      this.drawer = true;
      this.demoOpenedDrawer = true;
      await this.updateComplete;
    } else if (!focus.length && this.demoOpenedDrawer && this.drawer) {
      this.drawer = false;
      this.demoOpenedDrawer = false;
    }
    // A finished run: its results in the Group panel (both p per cluster), as the panel itself reveals them the first time.
    if (step?.group && focus[0] === 'clusters') {
      await this.updateComplete;
      this.renderRoot
        .querySelector('sl-group-panel')
        ?.shadowRoot?.querySelector('#group-stats')
        ?.scrollIntoView({ block: 'start' });
      return;
    }
    const selector = {
      clusters: 'sl-cluster-table',
      rois: 'sl-roi-panel',
      signature: 'sl-signature-panel',
      group: 'sl-group-panel',
    } as const;
    const el = focus.length ? this.renderRoot.querySelector<HTMLElement>(selector[focus[0]!]) : null;
    el?.scrollIntoView({ block: 'start', inline: 'nearest' });
  }

  /** Another map over the shown one (or off), at its own threshold. */
  private setOverlay(o: OverlayChange): void {
    const rest = this.state.extraOverlays.filter((x) => x.id !== o.id);
    this.page.set({
      extraOverlays:
        o.threshold === null
          ? rest
          : [
              ...this.state.extraOverlays.map((x) => (x.id === o.id ? { id: o.id, threshold: o.threshold! } : x)),
              ...(rest.length === this.state.extraOverlays.length ? [{ id: o.id, threshold: o.threshold }] : []),
            ],
    });
  }

  /** Opens or closes the panel drawer, moving focus into it or back to its button. */
  private async toggleDrawer(): Promise<void> {
    this.drawer = !this.drawer;
    this.demoOpenedDrawer = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(this.drawer ? '#panels-close' : '#panels-button')?.focus();
  }

  /** The panes' figures; PaneManager puts NiiVue on their canvases. */
  private renderPanes() {
    const scenes = this.panes.heads();
    const standIn = this.vm.standIn(this.state);
    // Said on the pane too: below 1200 px the table (and its note) is in the closed drawer.
    const empty = (key: string) => {
      const k = this.state.results?.shown.findIndex((m) => m.role === key) ?? -1;
      const note = k < 0 ? null : this.vm.emptyNote(this.state, k);
      return note ? html` <em class="standin empty-pane" title=${note}>no voxel reaches the threshold</em>` : null;
    };
    return html`<div class="panes" data-count=${scenes.length}>
      ${repeat(
        scenes,
        (h) => h.key,
        (h) => html`<figure data-pane=${h.key}>
          <figcaption><span>${h.title}${standIn ? html` <em class="standin">over a synthetic stand-in template, not MNI152</em>` : null}${empty(h.key)}</span><span class="pane-buttons"><button class="lightbox-toggle" aria-pressed=${this.state.lightbox ? 'true' : 'false'} title="Many axial slices at once (lightbox), or the three planes" @click=${() => this.page.set({ lightbox: !this.state.lightbox })}>${this.state.lightbox ? '3 planes' : 'Lightbox'}</button><button aria-label=${`Save ${h.title} as PNG`} @click=${() => this.savePng(h.key, h.title)}>PNG</button></span></figcaption>
          <div class="canvas-box"><canvas id=${`pane-${h.key}`} aria-label=${`Brain view: ${h.title}`}></canvas><div class="bar-titles" aria-label="Colour bars"></div><div class="slice-labels" aria-label="Slice positions"></div></div>
        </figure>`,
      )}
      ${scenes.length ? null : html`<p class="empty">Open or drop a statistical map (and a template) to begin, or press <strong>Demo</strong> for a guided tour of the generated sample data.</p>`}
    </div>`;
  }

  /** The HTML report of what the page shows (a failure is said, not swallowed). */
  private async exportReport(): Promise<void> {
    try {
      const s = this.state;
      // The peak regions the cluster tables show (one list per shown map), when an atlas is open.
      await exportReport(
        s,
        this.vm.figure(s),
        (s.results?.shown ?? []).map((_, k) => this.vm.peakRegions(s, k)),
      );
    } catch (e) {
      this.page.set({ error: `The report could not be made: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** A sphere at each listed cluster's peak; a radius that is not above 0 is said, not ignored. */
  private spheresAtPeaks(clusters: readonly PeakRow[], radiusMm: number, regions: readonly string[] | null): void {
    try {
      this.page.set({ spheres: withPeakSpheres(this.state.spheres, clusters, radiusMm, regions), error: null });
    } catch (e) {
      this.page.set({ error: e instanceof Error ? e.message : String(e) });
    }
  }

  private async savePng(key: string, title: string): Promise<void> {
    const pane = await this.panes.get(key);
    if (pane) await savePanePng(pane, title);
  }
}

customElements.define('siglens-app', SiglensApp);
