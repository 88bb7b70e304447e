import * as Comlink from 'comlink';
import { LitElement, html, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { BERRY_2021_SPHERES, type Sphere } from '../analysis/roi';
import { valueAtMm } from '../analysis/sample';
import { Analyzer, comparedPair, type AnalysisResults } from '../app/analyzer';
import { describeMap, mapEntry, type MapEntry } from '../app/maps';
import { SceneBuilder } from '../app/scene';
import { DEFAULT_COMPARE, DEFAULT_SIGNATURE, validSettings, type CompareSettings, type SignatureSettings, type ThresholdSettings } from '../app/settings';
import { currentUrlState, formatUrlState, parseUrlState, URL_WRITE_DELAY_MS, whenPaused, type UrlState } from '../app/url-state';
import { isNiftiError, type Volume } from '../nifti';
import type { Mm, ViewerPane } from '../view/pane';
import type { AnalysisApi, EngineInfo } from '../worker/analysis-api';
import { VolumeLoader } from '../worker/client';
import type { ParseSource } from '../worker/protocol';
import { groupFiles } from '../worker/sources';
import { DEMO_STEPS, SAMPLE, type SampleKey } from '../app/demo';
import { demoFacts } from '../app/demo-facts';
import { exportMap, savePanePng } from './exports';
import { BatchSession, IDLE_BATCH, type BatchState } from '../app/batch-session';
import type { BatchRequest } from './batch-panel';
import './batch-panel';
import './demo-bar';
import type { LoadEntry } from './load-list';
import { appStyles } from './app-styles';
import './cluster-table';
import './compare-panel';
import './file-drop';
import './load-list';
import './map-list';
import './readout';
import './roi-panel';
import './signature-panel';
import './threshold-panel';

/** The page: load maps, threshold them, read clusters, ROIs and signatures, compare pre and post. */
export class SiglensApp extends LitElement {
  static override properties = {
    entries: { state: true },
    maps: { state: true },
    selectedId: { state: true },
    backgroundId: { state: true },
    settings: { state: true },
    compare: { state: true },
    signature: { state: true },
    spheres: { state: true },
    results: { state: true },
    busy: { state: true },
    engine: { state: true },
    crosshair: { state: true },
    error: { state: true },
    demoStep: { state: true },
    batch: { state: true },
  };
  declare entries: LoadEntry[];
  declare maps: MapEntry[];
  declare selectedId: number | null;
  declare backgroundId: number | null;
  declare settings: ThresholdSettings;
  declare compare: CompareSettings;
  declare signature: SignatureSettings;
  declare spheres: Sphere[];
  declare results: AnalysisResults | null;
  declare busy: boolean;
  declare engine: EngineInfo | null;
  declare crosshair: Mm | null;
  declare error: string | null;
  /** The demo step shown, or null outside the demo. */
  declare demoStep: number | null;
  declare batch: BatchState;
  static override styles = appStyles;

  private readonly loader = new VolumeLoader();
  private readonly worker = new Worker(new URL('../worker/analysis.worker.ts', import.meta.url), { type: 'module', name: 'siglens-analysis' });
  private readonly api = Comlink.wrap<AnalysisApi>(this.worker);
  private readonly analyzer = new Analyzer(this.api);
  private readonly batchSession = new BatchSession(this.api, (s) => (this.batch = s));
  private readonly panes = new Map<string, Promise<ViewerPane>>();
  private readonly cancels = new Map<number, () => void>();
  private readonly url: UrlState = parseUrlState(location.search);
  private nextKey = 1;
  /** Where a demo step wants the crosshair once its panes show. */
  private pendingCrosshair: readonly [number, number, number] | 'peak' | null = null;
  /** Whether the user chose the shown map (then new maps do not change it). */
  private userSelected = false;
  private nextId = 1;
  private engineReady: Promise<unknown>;

  constructor() {
    super();
    this.entries = [];
    this.maps = [];
    this.selectedId = null;
    this.backgroundId = null;
    this.settings = this.url.settings;
    this.compare = DEFAULT_COMPARE;
    this.signature = DEFAULT_SIGNATURE;
    this.spheres = this.url.spheres ?? [...BERRY_2021_SPHERES];
    this.results = null;
    this.busy = false;
    this.engine = null;
    this.crosshair = this.url.crosshair;
    this.error = null;
    this.demoStep = null;
    this.batch = IDLE_BATCH;
    this.engineReady = this.api.init(this.url.engine).then(
      (info) => (this.engine = info),
      (e: unknown) => (this.error = `The ${this.url.engine} engine could not start: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadUrlMaps().then(() => (this.url.demo ? this.startDemo() : undefined));
  }

  override render() {
    const scenes = this.sceneBuilder.heads(this);
    const pair = comparedPair(this);
    // Panels get the same arrays until their inputs change, so a threshold change re-renders the table alone.
    const cols = this.results?.columns ?? [];
    const columns = this.memo('columns', [cols], () => cols.map((m) => ({ id: m.id, name: m.volume.name })));
    const pairIdx = this.memo('pair', [pair?.[0], pair?.[1], cols], () => (pair && this.results ? ([cols.indexOf(pair[0]), cols.indexOf(pair[1])] as [number, number]) : null));
    const named = this.memo('named', [this.maps], () => this.maps.map((m) => ({ id: m.id, name: m.volume.name })));
    const first = this.results?.shown[0];
    const bg = this.maps.find((m) => m.id === this.backgroundId);
    const standIn = !!bg && /stand-?in/i.test(`${bg.volume.name} ${bg.volume.description}`);
    return html`<header>
        <h1>SigLens <span>brain activation maps</span></h1>
        <sl-file-drop @files-chosen=${(e: CustomEvent<File[]>) => this.openFiles(e.detail)}></sl-file-drop>
        <button id="demo-button" @click=${() => this.startDemo()}>Demo</button>
      </header>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      <main>
        <section class="views" aria-label="Views">
          ${this.demoStep === null
            ? null
            : html`<sl-demo-bar .steps=${DEMO_STEPS} .index=${this.demoStep} .facts=${demoFacts(DEMO_STEPS[this.demoStep]!, this.results)}
                @demo-go=${(e: CustomEvent<number>) => this.goToStep(e.detail)} @demo-exit=${() => (this.demoStep = null)}></sl-demo-bar>`}
          <div class="panes" data-count=${scenes.length}>
            ${repeat(
              scenes,
              (s) => s.key,
              (s) => html`<figure data-pane=${s.key}>
                <figcaption><span>${s.title}${standIn ? html` <em class="standin">over a synthetic stand-in template, not MNI152</em>` : null}</span><button aria-label=${`Save ${s.title} as PNG`} @click=${() => this.savePng(s.key, s.title)}>PNG</button></figcaption>
                <div class="canvas-box"><canvas id=${`pane-${s.key}`} aria-label=${`Brain view: ${s.title}`}></canvas></div>
              </figure>`,
            )}
            ${scenes.length ? null : html`<p class="empty">Open or drop a statistical map (and a template) to begin, or press <strong>Demo</strong> for a guided tour of the generated sample data.</p>`}
          </div>
          <sl-readout .mm=${this.crosshair} .values=${this.memo('readout', [this.crosshair, this.maps, this.results?.difference], () => this.readoutValues())} .engine=${this.engine}></sl-readout>
          ${this.results?.differenceNote ? html`<p class="muted">${this.results.differenceNote}</p>` : null}
        </section>
        <aside aria-label="Controls and results">
          <sl-load-list .entries=${this.entries} @cancel-load=${(e: CustomEvent<number>) => this.cancels.get(e.detail)?.()}></sl-load-list>
          <sl-map-list .maps=${this.memo('mapList', [this.maps], () => this.maps.map((m) => ({ id: m.id, name: m.volume.name, summary: describeMap(m), anatomy: m.anatomy })))} .selectedId=${this.selectedId} .backgroundId=${this.backgroundId}
            @map-select=${(e: CustomEvent<number>) => this.selectMap(e.detail)}
            @background-select=${(e: CustomEvent<number>) => this.update1({ backgroundId: e.detail })}
            @map-remove=${(e: CustomEvent<number>) => this.removeMap(e.detail)}></sl-map-list>
          <sl-threshold-panel .settings=${this.settings} .df=${first?.entry.df} .resolved=${this.results?.threshold} .minVoxels=${first?.table.minVoxels}
            @settings-change=${(e: CustomEvent<ThresholdSettings>) => this.update1({ settings: e.detail })}></sl-threshold-panel>
          <sl-cluster-table .clusters=${first?.table.clusters ?? []} .mapName=${first?.entry.volume.name ?? ''} ?busy=${this.busy}
            @peak-select=${(e: CustomEvent<Mm>) => this.moveCrosshair(e.detail)}></sl-cluster-table>
          ${pair && this.results?.shown[1] ? html`<sl-cluster-table .clusters=${this.results.shown[1].table.clusters} .mapName=${this.results.shown[1].entry.volume.name} ?busy=${this.busy} @peak-select=${(e: CustomEvent<Mm>) => this.moveCrosshair(e.detail)}></sl-cluster-table>` : null}
          <sl-compare-panel .maps=${this.memo('statMaps', [this.maps], () => this.maps.filter((m) => !m.anatomy).map((m) => ({ id: m.id, name: m.volume.name })))} .settings=${this.compare}
            @compare-change=${(e: CustomEvent<CompareSettings>) => this.update1({ compare: e.detail })}></sl-compare-panel>
          <sl-roi-panel .spheres=${this.spheres} .columns=${columns} .results=${this.results?.roi ?? []} .pair=${pairIdx}
            @rois-change=${(e: CustomEvent<Sphere[]>) => this.update1({ spheres: e.detail })}
            @roi-add-crosshair=${() => this.addSphereAtCrosshair()}></sl-roi-panel>
          <sl-signature-panel .maps=${named} .settings=${this.signature} .results=${this.results?.signature ?? []} .pair=${pairIdx}
            @signature-change=${(e: CustomEvent<SignatureSettings>) => this.update1({ signature: e.detail })}></sl-signature-panel>
          <sl-batch-panel .summary=${this.batch.summary} .progress=${this.batch.progress} ?running=${this.batch.running} .message=${this.batch.message}
            .weightsName=${this.maps.find((m) => m.id === this.signature.weightsId)?.volume.name ?? null}
            @batch-run=${(e: CustomEvent<BatchRequest>) => this.runBatch(e.detail)} @batch-cancel=${() => this.batchSession.cancel()}></sl-batch-panel>
          <section class="exports" aria-label="Exports">
            <h2>Export</h2>
            <button id="export-thresholded" ?disabled=${!first} @click=${() => this.results && exportMap(this.results, 'thresholded')}>Thresholded map (.nii)</button>
            <button id="export-labels" ?disabled=${!first} @click=${() => this.results && exportMap(this.results, 'labels')}>Cluster labels (.nii)</button>
            <button id="export-difference" ?disabled=${!this.results?.difference} @click=${() => this.results && exportMap(this.results, 'difference')}>Difference map (.nii)</button>
          </section>
        </aside>
      </main>`;
  }

  protected override updated(changed: PropertyValues): void {
    this.scheduleShow();
    const inputs = ['maps', 'selectedId', 'settings', 'compare', 'signature', 'spheres'];
    if (inputs.some((k) => changed.has(k))) void this.recompute();
    if ([...inputs, 'backgroundId', 'crosshair'].some((k) => changed.has(k))) this.writeUrlSoon();
  }

  /** Loads files chosen or dropped; a failure is listed with its reason and removes nothing. */
  openFiles(files: File[]): void {
    const { sources, orphans } = groupFiles(files);
    for (const o of orphans) this.entries = [...this.entries, { key: this.nextKey++, name: o.name, state: 'error', done: 0, total: undefined, error: `${o.name}: ${o.reason}` }];
    for (const s of sources) void this.load(s, null);
  }

  private async load(source: ParseSource, url: string | null): Promise<MapEntry | null> {
    const key = this.nextKey++;
    // Ids follow the order files were chosen, not the order downloads finish.
    const id = this.nextId++;
    this.entries = [...this.entries, { key, name: source.name, state: 'loading', done: 0, total: undefined }];
    const patch = (p: Partial<LoadEntry>): void => void (this.entries = this.entries.map((e) => (e.key === key ? { ...e, ...p } : e)));
    const job = this.loader.load(source, (done, total) => patch({ done, total }));
    this.cancels.set(key, job.cancel);
    try {
      const entry = mapEntry(id, await job.done, url);
      await this.engineReady;
      await this.api.addMap({ id: entry.id, name: entry.volume.name, data: entry.volume.data, dims: entry.volume.dims, affine: entry.volume.affine, pixdim: entry.volume.pixdim });
      patch({ state: 'ready', summary: describeMap(entry) });
      this.adopt(entry);
      return entry;
    } catch (e) {
      patch({ state: 'error', error: isNiftiError(e) ? e.message : `${source.name}: ${e instanceof Error ? e.message : String(e)}` });
      return null;
    } finally {
      this.cancels.delete(key);
    }
  }

  /**
   * A new map, kept in the order chosen: the first anatomy becomes the background, the first stat map
   * is shown (until the user picks one), the first two stat maps are offered as pre and post.
   */
  private adopt(entry: MapEntry): void {
    this.maps = [...this.maps, entry].sort((a, b) => a.id - b.id);
    if (entry.anatomy && this.backgroundId === null) this.backgroundId = entry.id;
    const stats = this.maps.filter((m) => !m.anatomy);
    if (!this.userSelected && stats[0]) this.selectedId = stats[0].id;
    if (stats.length >= 2 && !this.compare.on) this.compare = { ...this.compare, preId: stats[0]!.id, postId: stats[1]!.id };
  }

  private async loadUrlMaps(): Promise<void> {
    const u = this.url;
    const loaded = await Promise.all(u.maps.map((url) => this.load({ kind: 'url', url, name: decodeURIComponent(url.split('/').pop() || url) }, url)));
    const bg = u.background ? await this.load({ kind: 'url', url: u.background, name: decodeURIComponent(u.background.split('/').pop() || u.background) }, u.background) : null;
    const id = (i: number | null | undefined): number | null => (i === null || i === undefined ? null : (loaded[i]?.id ?? null));
    if (bg) this.backgroundId = bg.id;
    if (id(u.selected) !== null) this.selectedId = id(u.selected);
    if (u.compare) this.compare = { on: true, preId: id(u.compare.pre), postId: id(u.compare.post), showDifference: u.compare.diff };
    if (u.signature) this.signature = { ...this.signature, weightsId: id(u.signature.weights), metric: u.signature.metric };
  }

  private selectMap(id: number): void {
    this.userSelected = true;
    this.selectedId = id;
  }

  private update1(patch: Partial<Pick<SiglensApp, 'selectedId' | 'backgroundId' | 'settings' | 'compare' | 'signature' | 'spheres'>>): void {
    Object.assign(this, patch);
  }

  private removeMap(id: number): void {
    this.maps = this.maps.filter((m) => m.id !== id);
    void this.api.removeMap(id);
    if (this.selectedId === id) this.selectedId = this.maps.find((m) => !m.anatomy)?.id ?? null;
    if (this.backgroundId === id) this.backgroundId = null;
    if (this.compare.preId === id || this.compare.postId === id) this.compare = { ...this.compare, on: false };
    if (this.signature.weightsId === id) this.signature = { ...this.signature, weightsId: null };
  }

  private async recompute(): Promise<void> {
    if (!validSettings(this.settings)) return;
    this.busy = true;
    try {
      const r = await this.analyzer.run(this);
      if (r) {
        this.results = r;
        this.error = null;
      }
    } catch (e) {
      this.error = `Analysis failed: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.busy = false;
    }
  }

  private readonly sceneBuilder = new SceneBuilder();

  private showPending = false;

  /** NiiVue's work waits until the next frame has painted: a new table shows first, and a fast slider coalesces. */
  private scheduleShow(): void {
    if (this.showPending) return;
    this.showPending = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        this.showPending = false;
        void this.showScenes().then(() => this.applyPendingCrosshair());
      }),
    );
  }

  /** Hands the scenes to NiiVue when the results (or the background) changed. */
  private async showScenes(): Promise<void> {
    // Every other input (threshold, faint, spheres...) brings new results; the background does not.
    const { scenes, changed } = this.sceneBuilder.scenes(this);
    if (!changed) return;
    for (const key of [...this.panes.keys()]) if (!scenes.some((s) => s.key === key)) this.panes.delete(key);
    const panes = await Promise.all(scenes.map((s) => this.pane(s.key)));
    await Promise.all(panes.map((p, k) => p?.show(scenes[k]!.layers, this.crosshair ?? undefined)));
    const live = panes.filter((p): p is ViewerPane => !!p);
    // Once the view is on screen, the worker indexes the shown maps: even the first move of the threshold is then read on the page.
    const shown = this.results;
    if (shown?.shown.length) void Promise.all(live.map((p) => p.whenDrawn())).then(() => this.analyzer.prepareIndexes(shown, this.settings));
    for (const p of live) p.syncWith(live.filter((o) => o !== p));
    if (!this.crosshair && live[0]) this.crosshair = live[0].crosshair ?? null;

    scenes.forEach((s, k) => {
      if (!panes[k]) return;
      this.markCrosshair(s.key, panes[k]);
      // What the pane holds now, for readers and tests: e.g. "background stat mask".
      const fig = this.renderRoot.querySelector<HTMLElement>(`figure[data-pane="${s.key}"]`);
      if (fig) fig.dataset.layers = s.layers.map((l) => l.style.kind).join(' ');
    });
  }

  /** A demo step's crosshair, once its results and panes are there. */
  private async applyPendingCrosshair(): Promise<void> {
    const want = this.pendingCrosshair;
    const peak = this.results?.shown[0]?.table.clusters[0]?.peak.mm;
    if (!want || !this.panes.size || (want === 'peak' && !peak) || this.busy) return;
    this.pendingCrosshair = null;
    await this.moveCrosshair(want === 'peak' ? peak! : [...want]);
  }

  private pane(key: string): Promise<ViewerPane | null> {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>(`#pane-${key}`);
    if (!canvas) return Promise.resolve(null);
    let p = this.panes.get(key);
    if (!p) {
      // NiiVue is loaded with the first pane, so the page's first paint does not wait for it.
      p = import('../view/pane').then(({ ViewerPane }) => ViewerPane.create(canvas, key === 'single')).then((pane) => {
        pane.onUserMove = (mm) => this.moveCrosshair(mm, pane);
        return pane;
      });
      this.panes.set(key, p);
    }
    return p;
  }

  /** Moves the crosshair in every pane (sync in NiiVue needs focus, so we set it ourselves). */
  private async moveCrosshair(mm: Mm, from?: ViewerPane): Promise<void> {
    const was = this.crosshair;
    if (from && was && was.every((v, k) => Math.abs(v - mm[k]!) < 1e-3)) return;
    this.crosshair = mm;
    for (const [key, pending] of this.panes) {
      const p = await pending;
      if (p !== from) p.setCrosshair(mm);
      this.markCrosshair(key, p);
    }
  }

  /** Each pane's own crosshair, on its figure: what a reader (or a test) can check panes agree on. */
  private markCrosshair(key: string, pane: ViewerPane): void {
    const fig = this.renderRoot.querySelector<HTMLElement>(`figure[data-pane="${key}"]`);
    const mm = pane.crosshair;
    if (fig && mm) fig.dataset.crosshair = mm.map((v) => v.toFixed(1)).join(',');
  }

  private readonly memos = new Map<string, { deps: unknown[]; value: unknown }>();

  /** `compute()`, again only when one of `deps` is no longer the same object or value. */
  private memo<T>(name: string, deps: unknown[], compute: () => T): T {
    const m = this.memos.get(name);
    if (m && m.deps.length === deps.length && m.deps.every((d, i) => d === deps[i])) return m.value as T;
    const value = compute();
    this.memos.set(name, { deps, value });
    return value;
  }

  private readoutValues() {
    const mm = this.crosshair;
    const maps: Volume[] = [...this.maps.map((m) => m.volume), ...(this.results?.difference ? [this.results.difference] : [])];
    return maps.map((v) => {
      const s = mm ? valueAtMm(v, mm) : null;
      return { name: v.name, voxel: s?.voxel ?? null, value: s?.value ?? null };
    });
  }

  private addSphereAtCrosshair(): void {
    const mm = this.crosshair;
    if (!mm) return;
    const center = mm.map((v) => Math.round(v * 10) / 10) as [number, number, number];
    this.spheres = [...this.spheres, { name: `crosshair (${center.join(', ')})`, center, radiusMm: 2 }];
  }

  /** Resolves when every pane's pixels are drawn (the benchmark waits for this). */
  async panesDrawn(): Promise<void> {
    for (const p of this.panes.values()) (await p)?.drawn();
  }

  private async savePng(key: string, title: string): Promise<void> {
    const pane = await this.panes.get(key);
    if (pane) await savePanePng(pane, title);
  }

  /** Scores a batch against the signature weights chosen in the signature panel. */
  runBatch(req: BatchRequest): Promise<void> {
    const w = this.signature.weightsId;
    if (w === null) return Promise.resolve();
    return this.batchSession.run(req.files, req.pair, req.pattern, w, this.signature.metric, this.spheres);
  }

  // ---- the guided demo ----

  private async startDemo(): Promise<void> {
    this.demoStep = 0;
    const urls = new Map(this.maps.map((m) => [m.url, m]));
    const need = (Object.keys(SAMPLE) as (keyof typeof SAMPLE)[]).filter((k) => k !== 'standIn' && k !== 'realTemplate' && !urls.has(SAMPLE[k]));
    const real = urls.get(SAMPLE.realTemplate) ?? urls.get(SAMPLE.standIn) ?? (await this.loadTemplate());
    await Promise.all(need.map((k) => this.load({ kind: 'url', url: SAMPLE[k], name: SAMPLE[k].split('/').pop()! }, SAMPLE[k])));
    if (real) this.backgroundId = real.id;
    this.goToStep(0);
  }

  /** The real template when `npm run fetch-template` has put one in place, else the stand-in. */
  private async loadTemplate(): Promise<MapEntry | null> {
    const real = await fetch(SAMPLE.realTemplate, { method: 'HEAD' }).then((r) => r.ok && !/text\/html/.test(r.headers.get('content-type') ?? ''), () => false);
    const url = real ? SAMPLE.realTemplate : SAMPLE.standIn;
    return this.load({ kind: 'url', url, name: url.split('/').pop()! }, url);
  }

  private goToStep(i: number): void {
    const step = DEMO_STEPS[i];
    if (!step) return;
    const id = (k: SampleKey): number | null => this.maps.find((m) => m.url === SAMPLE[k])?.id ?? null;
    this.demoStep = i;
    this.userSelected = true;
    this.selectedId = id(step.show);
    this.settings = step.settings;
    this.spheres = [...step.spheres];
    this.compare = step.compare ? { on: true, preId: id(step.compare.pre), postId: id(step.compare.post), showDifference: step.compare.difference } : { ...this.compare, on: false };
    this.signature = { ...this.signature, weightsId: step.signature ? id('signature') : null, metric: 'dot' };
    this.pendingCrosshair = step.crosshair;
  }

  private readonly writeUrlSoon = whenPaused(() => this.writeUrl(), URL_WRITE_DELAY_MS);

  private writeUrl(): void {
    const { backgroundId, selectedId, settings, crosshair, compare, signature, spheres } = this;
    const maps = this.maps.map((m) => ({ id: m.id, url: m.url }));
    history.replaceState(null, '', formatUrlState(currentUrlState(this.url, { maps, backgroundId, selectedId, settings, crosshair, compare, signature, spheres })));
  }
}

customElements.define('siglens-app', SiglensApp);
