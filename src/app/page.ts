import * as Comlink from 'comlink';
import type { Mm } from '../view/pane';
import type { AnalysisApi } from '../worker/analysis-api';
import { Analyzer } from './analyzer';
import { BatchSession } from './batch-session';
import { DEMO_STEPS, SAMPLE, type SampleKey } from './demo';
import { MapActions } from './map-actions';
import type { MapEntry } from './maps';
import { ANALYSIS_INPUTS, initialPageState, URL_INPUTS, type BatchRequest, type PageState } from './page-state';
import { comparedPair } from './analyzer';
import { mergeDisplay, type LayerDisplay, type LayerId, type OverlayRole } from './layer-display';
import { isStatMap } from './maps';
import { thresholdProblem } from './settings';
import { Store } from './store';
import { currentUrlState, formatUrlState, parseUrlState, URL_WRITE_DELAY_MS, whenPaused, type UrlState } from './url-state';

/** Where a demo step wants the crosshair once its panes show. */
export type PendingCrosshair = readonly [number, number, number] | 'peak' | null;

/**
 * What the page does: loads maps, keeps the analysis current with the state, follows the state in
 * the address bar, runs batches and the demo. It changes the page only through its store; the
 * components read the store and send their events here.
 */
export class PageActions {
  readonly store: Store<PageState>;
  readonly api: Comlink.Remote<AnalysisApi>;
  readonly analyzer: Analyzer;
  readonly maps: MapActions;
  private readonly batchSession: BatchSession;
  private readonly url: UrlState = parseUrlState(location.search);
  pendingCrosshair: PendingCrosshair = null;

  constructor(worker: Worker) {
    this.store = new Store(initialPageState(this.url));
    this.api = Comlink.wrap<AnalysisApi>(worker);
    this.analyzer = new Analyzer(this.api);
    this.batchSession = new BatchSession(this.api, (batch) => this.set({ batch }));
    const engineReady = this.api.init(this.url.engine).then(
      (engine) => this.set({ engine }),
      (e: unknown) => this.set({ error: `The ${this.url.engine} engine could not start: ${e instanceof Error ? e.message : String(e)}` }),
    );
    this.maps = new MapActions(this.store, this.api, engineReady);
    this.store.subscribe((_, changed) => {
      if (ANALYSIS_INPUTS.some((k) => changed.has(k))) void this.recompute();
      if (URL_INPUTS.some((k) => changed.has(k))) this.writeUrlSoon();
    });
  }

  get state(): Readonly<PageState> {
    return this.store.state;
  }

  set(patch: Partial<PageState>): void {
    this.store.set(patch);
  }

  /** Loads the maps a link names, then starts the demo when it asks for it. */
  async start(): Promise<void> {
    await this.loadUrlMaps();
    if (this.url.demo) await this.startDemo();
  }

  /** Loads files chosen or dropped; a failure is listed with its reason and removes nothing. */
  openFiles(files: File[]): void {
    this.maps.openFiles(files);
  }

  private async loadUrlMaps(): Promise<void> {
    const u = this.url;
    const byUrl = (url: string): Promise<MapEntry | null> => this.maps.load({ kind: 'url', url, name: decodeURIComponent(url.split('/').pop() || url) }, url);
    const loaded = await Promise.all(u.maps.map(byUrl));
    const bg = u.background ? await byUrl(u.background) : null;
    const id = (i: number | null | undefined): number | null => (i === null || i === undefined ? null : (loaded[i]?.id ?? null));
    const patch: { -readonly [K in keyof PageState]?: PageState[K] } = {};
    if (bg) patch.backgroundId = bg.id;
    if (id(u.selected) !== null) patch.selectedId = id(u.selected);
    if (u.compare) patch.compare = { on: true, preId: id(u.compare.pre), postId: id(u.compare.post), showDifference: u.compare.diff };
    if (u.signature) patch.signature = { ...this.state.signature, weightsId: id(u.signature.weights), metric: u.signature.metric };
    this.set(patch);
    await Promise.all(Object.entries(u.frames ?? {}).map(([i, k]) => (loaded[Number(i)] ? this.maps.setFrame(loaded[Number(i)]!.id, k) : undefined)));
  }

  /** Why the threshold cannot be used on the shown map, or null. */
  thresholdProblem(): string | null {
    const s = this.state;
    const pair = comparedPair(s);
    const shown = pair ? pair[0] : s.maps.find((m) => m.id === s.selectedId && isStatMap(m));
    const atlas = !pair && s.maps.find((m) => m.id === s.selectedId && m.kind.kind === 'label');
    if (atlas) return `${atlas.volume.name} is a label atlas: it is shown in its label colours and never thresholded.`;
    return thresholdProblem(s.settings, shown?.kind, shown?.volume.name);
  }

  private async recompute(): Promise<void> {
    if (this.thresholdProblem()) {
      // A wrong value withdraws the table (the panel says why) rather than leave a stale one looking current.
      this.analyzer.cancel();
      this.set({ results: null, busy: false });
      return;
    }
    this.set({ busy: true });
    try {
      const results = await this.analyzer.run(this.state);
      if (results) this.set({ results, error: null });
    } catch (e) {
      this.set({ error: `Analysis failed: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      this.set({ busy: false });
    }
  }

  /** The user's change to one layer's look. */
  setDisplay(id: LayerId, patch: LayerDisplay): void {
    this.set({ display: { ...this.state.display, [id]: mergeDisplay(this.state.display[id], patch) } });
  }

  /** Moves an overlay one place up (+1) or down (-1) in the stack. */
  moveOverlay(role: OverlayRole, by: 1 | -1): void {
    const order = [...this.state.overlayOrder];
    const i = order.indexOf(role);
    const j = i + by;
    if (i < 0 || j < 0 || j >= order.length) return;
    [order[i], order[j]] = [order[j]!, order[i]!];
    this.set({ overlayOrder: order });
  }

  addSphereAtCrosshair(): void {
    const mm = this.state.crosshair;
    if (!mm) return;
    const center = mm.map((v) => Math.round(v * 10) / 10) as Mm;
    this.set({ spheres: [...this.state.spheres, { name: `crosshair (${center.join(', ')})`, center, radiusMm: 2 }] });
  }

  /** Scores a batch against the signature weights chosen in the signature panel. */
  runBatch(req: BatchRequest): Promise<void> {
    const { weightsId, metric } = this.state.signature;
    if (weightsId === null) return Promise.resolve();
    return this.batchSession.run(req.files, req.pair, req.pattern, weightsId, metric, [...this.state.spheres], req.covariates ?? []);
  }

  cancelBatch(): void {
    this.batchSession.cancel();
  }

  // ---- the guided demo ----

  async startDemo(): Promise<void> {
    this.set({ demoStep: 0 });
    const urls = new Map(this.state.maps.map((m) => [m.url, m]));
    const need = (Object.keys(SAMPLE) as (keyof typeof SAMPLE)[]).filter((k) => k !== 'standIn' && k !== 'realTemplate' && !urls.has(SAMPLE[k]));
    const real = urls.get(SAMPLE.realTemplate) ?? urls.get(SAMPLE.standIn) ?? (await this.loadTemplate());
    await Promise.all(need.map((k) => this.maps.load({ kind: 'url', url: SAMPLE[k], name: SAMPLE[k].split('/').pop()! }, SAMPLE[k])));
    if (real) this.set({ backgroundId: real.id });
    this.goToStep(0);
  }

  /** The real template when `npm run fetch-template` has put one in place, else the stand-in. */
  private async loadTemplate(): Promise<MapEntry | null> {
    const real = await fetch(SAMPLE.realTemplate, { method: 'HEAD' }).then((r) => r.ok && !/text\/html/.test(r.headers.get('content-type') ?? ''), () => false);
    const url = real ? SAMPLE.realTemplate : SAMPLE.standIn;
    return this.maps.load({ kind: 'url', url, name: url.split('/').pop()! }, url);
  }

  goToStep(i: number): void {
    const step = DEMO_STEPS[i];
    if (!step) return;
    const s = this.state;
    const id = (k: SampleKey): number | null => s.maps.find((m) => m.url === SAMPLE[k])?.id ?? null;
    this.maps.userSelected = true;
    this.pendingCrosshair = step.crosshair;
    this.set({
      demoStep: i,
      selectedId: id(step.show),
      settings: step.settings,
      spheres: [...step.spheres],
      compare: step.compare ? { on: true, preId: id(step.compare.pre), postId: id(step.compare.post), showDifference: step.compare.difference } : { ...s.compare, on: false },
      signature: { ...s.signature, weightsId: step.signature ? id('signature') : null, metric: 'dot' },
    });
  }

  private readonly writeUrlSoon = whenPaused(() => this.writeUrl(), URL_WRITE_DELAY_MS);

  private writeUrl(): void {
    const { backgroundId, selectedId, settings, crosshair, compare, signature, spheres } = this.state;
    const maps = this.state.maps.map((m) => ({ id: m.id, url: m.url, frame: m.volume.frame }));
    history.replaceState(null, '', formatUrlState(currentUrlState(this.url, { maps, backgroundId, selectedId, settings, crosshair, compare, signature, spheres: [...spheres] })));
  }
}
