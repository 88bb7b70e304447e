import * as Comlink from 'comlink';
import type { Mm } from '../../view/pane';
import type { AnalysisApi } from '../../worker/analysis-api';
import { Analyzer } from './analyzer';
import { BatchSession } from '../batch/batch-session';
import { GroupSession, type GroupMapsRef, type GroupRequest } from '../group/group-session';
import { GroupView } from '../group/group-view';
import type { ModelSetup } from '../group/group-preview';
import { SAMPLE } from '../demo/demo';
import { DemoSession } from '../demo/demo-session';
import { MapActions } from './map-actions';
import type { MapEntry } from '../maps/maps';
import {
  ANALYSIS_INPUTS,
  initialPageState,
  URL_INPUTS,
  type BatchRequest,
  type PageState,
  type PendingCrosshair,
} from './page-state';
import { mergeDisplay, type LayerDisplay, type LayerId, type OverlayRole } from '../maps/layer-display';
import { drawableSettings, pageThresholdProblem } from './threshold-target';
import { Store } from './store';
import {
  currentUrlState,
  formatUrlState,
  parseUrlState,
  URL_WRITE_DELAY_MS,
  whenPaused,
  type UrlState,
} from './url-state';

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
  private readonly groupSession: GroupSession;
  private url: UrlState = parseUrlState(location.search);
  /** The guided demo (its steps drive this page). */
  readonly demo: DemoSession;
  /** The crosshair wanted once the panes show the results, until they place it (page-panes.ts). */
  pendingCrosshair: PendingCrosshair = null;
  /** How a group run's maps open and show. */
  private readonly groupView: GroupView;

  constructor(worker: Worker) {
    this.store = new Store(initialPageState(this.url));
    this.api = Comlink.wrap<AnalysisApi>(worker);
    this.analyzer = new Analyzer(this.api);
    this.batchSession = new BatchSession(this.api, (batch) => this.set({ batch }));
    this.groupSession = new GroupSession(
      this.api,
      (group) => this.set({ group }),
      (volumes, run) => this.groupView.openRun(volumes, run),
      (key, volumes, test) => this.groupView.openTest(key, volumes, test),
    );
    const engineReady = this.api.init(this.url.engine).then(
      (engine) => this.set({ engine }),
      (e: unknown) =>
        this.set({
          error: `The ${this.url.engine} engine could not start: ${e instanceof Error ? e.message : String(e)}`,
        }),
    );
    this.maps = new MapActions(this.store, this.api, engineReady);
    this.maps.onLocalLoaded = (entry) => this.claimLinked(entry);
    // The first map shown opens on its largest cluster: at the panes' default point no slice may
    // cross one, and the map looks empty (a review's first complaint). A link's own point stays.
    this.maps.onFirstShown = () => {
      if (this.state.demoStep === null && this.state.crosshair === null) this.pendingCrosshair = 'peak';
    };
    this.demo = new DemoSession(this);
    this.groupView = new GroupView(this);
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

  /** The maps the link names, by its index: loaded from their URLs, or (local files) once the reader opens them. */
  private linked: (MapEntry | null)[] = [];
  /** A background a link from before local maps named by URL. */
  private linkedBackground: MapEntry | null = null;

  private async loadUrlMaps(): Promise<void> {
    const u = this.url;
    const byUrl = (url: string): Promise<MapEntry | null> =>
      this.maps.load({ kind: 'url', url, name: decodeURIComponent(url.split('/').pop() || url) }, url);
    const missing = u.maps.flatMap((m) => (m.kind === 'local' ? [m.name] : []));
    // Said first: the reader can open the files while the others download.
    if (missing.length) this.set({ link: { missing, opened: [] } });
    this.linked = await Promise.all(u.maps.map((m) => (m.kind === 'url' ? byUrl(m.url) : Promise.resolve(null))));
    this.linkedBackground = typeof u.background === 'string' ? await byUrl(u.background) : null;
    this.applyDfs();
    this.applyLink();
    await this.applyFrames();
  }

  /** The link's choices (background, shown map, comparison, signature) as far as its maps are here. */
  private applyLink(): void {
    const u = this.url;
    const id = (i: number | null | undefined): number | null =>
      i === null || i === undefined ? null : (this.linked[i]?.id ?? null);
    const patch: { -readonly [K in keyof PageState]?: PageState[K] } = {};
    const bg = typeof u.background === 'number' ? id(u.background) : (this.linkedBackground?.id ?? null);
    if (bg !== null) patch.backgroundId = bg;
    if (id(u.selected) !== null) patch.selectedId = id(u.selected);
    if (u.compare && id(u.compare.pre) !== null && id(u.compare.post) !== null)
      patch.compare = {
        on: true,
        preId: id(u.compare.pre),
        postId: id(u.compare.post),
        showDifference: u.compare.diff,
      };
    if (u.signature && id(u.signature.weights) !== null)
      patch.signature = {
        ...this.state.signature,
        weightsId: id(u.signature.weights),
        metric: u.signature.metric,
        direction: u.signature.direction,
        showContribution: u.signature.contribution,
      };
    if (u.crosshair) patch.crosshair = u.crosshair;
    this.set(patch);
  }

  /** The df the link's author typed for maps that do not say theirs, by its index, for the maps here. */
  private applyDfs(): void {
    for (const [i, d] of Object.entries(this.url.dfs ?? {})) {
      const m = this.linked[Number(i)];
      if (!m || !d.length) continue;
      this.maps.setKind(
        m.id,
        d.length === 2 ? { kind: 'f', source: 'user', df: d[0], df2: d[1] } : { kind: 't', source: 'user', df: d[0] },
      );
    }
  }

  /** The frames of 4D maps the link names, by its index, for the maps here. */
  private async applyFrames(): Promise<void> {
    await Promise.all(
      Object.entries(this.url.frames ?? {}).map(([i, k]) =>
        this.linked[Number(i)] ? this.maps.setFrame(this.linked[Number(i)]!.id, k) : undefined,
      ),
    );
  }

  /** A file the reader opened that the link asked for by name takes its place in the link; the last one restores the view. */
  private claimLinked(entry: MapEntry): void {
    const notice = this.state.link;
    if (!notice?.missing.includes(entry.volume.name)) return;
    const i = this.url.maps.findIndex((m, k) => m.kind === 'local' && m.name === entry.volume.name && !this.linked[k]);
    if (i < 0) return;
    this.linked[i] = entry;
    const missing = notice.missing.filter((_, k) => k !== notice.missing.indexOf(entry.volume.name));
    this.set({ link: { missing, opened: [...notice.opened, entry.volume.name] } });
    if (!missing.length) {
      this.applyDfs();
      this.applyLink();
      void this.applyFrames();
    }
  }

  /** Why the threshold cannot be used on the shown map, or null. */
  thresholdProblem(): string | null {
    return pageThresholdProblem(this.state);
  }

  private async recompute(): Promise<void> {
    const drawable = drawableSettings(this.state);
    if (!drawable) {
      // A wrong value withdraws the table (the panel says why) rather than leave a stale one looking current.
      this.analyzer.cancel();
      this.set({ results: null, busy: false });
      return;
    }
    this.set({ busy: true });
    try {
      const results = await this.analyzer.run({ ...this.state, settings: drawable });
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
    return this.batchSession.run(
      req.files,
      req.pair,
      req.pattern,
      weightsId,
      metric,
      [...this.state.spheres],
      req.covariates ?? [],
    );
  }

  cancelBatch(): void {
    this.batchSession.cancel();
  }

  /** A group analysis of the files, in the analysis worker; its maps open in the viewer when it finishes. */
  runGroup(req: GroupRequest): Promise<void> {
    return this.groupSession.run(req);
  }

  cancelGroup(): void {
    this.groupSession.cancel();
  }

  /** Shows the k-th test's maps of the last model run (t-contrasts first, then F-tests). */
  showGroupTest(k: number): Promise<void> {
    return this.groupSession.showTest(k);
  }

  /** The model builder's files, or its choices and the design, changed: its preview follows. */
  chooseGroupFiles(files: readonly File[], setup: ModelSetup): Promise<void> {
    return this.groupSession.chooseFiles(files, setup);
  }

  setGroupModel(setup: ModelSetup): void {
    this.groupSession.setModel(setup);
  }

  /** Resolves once no group run is under way (the demo's model step waits for its paired test). */
  whenGroupIdle(): Promise<void> {
    return this.groupSession.whenIdle();
  }

  /** Shows a group run's t-map at its threshold (GroupView.show): the demo's steps call it. */
  showGroupMap(
    id: number,
    ref: Pick<GroupMapsRef, 't' | 'twoSided' | 'connectivity' | 'clusters' | 'criticalExtent'>,
    corrected = false,
  ): void {
    this.groupView.show(id, ref, corrected);
  }

  /** Starts the guided demo (the Demo button, or a link with demo=1). */
  startDemo(): Promise<void> {
    return this.demo.start();
  }

  exitDemo(): void {
    // The link no longer starts the demo (a reload after Exit shows the page, not the tour).
    if (this.url.demo) {
      this.url = { ...this.url, demo: false };
      this.writeUrlSoon();
    }
    this.demo.exit();
  }

  goToStep(i: number): void {
    this.demo.goToStep(i);
  }

  /** The real template when `npm run fetch-template` has put one in place, else the stand-in. */
  async loadTemplate(): Promise<MapEntry | null> {
    const real = await fetch(SAMPLE.realTemplate, { method: 'HEAD' }).then(
      (r) => r.ok && !/text\/html/.test(r.headers.get('content-type') ?? ''),
      () => false,
    );
    const url = real ? SAMPLE.realTemplate : SAMPLE.standIn;
    return this.maps.load({ kind: 'url', url, name: url.split('/').pop()! }, url);
  }

  private readonly writeUrlSoon = whenPaused(() => this.writeUrl(), URL_WRITE_DELAY_MS);

  private writeUrl(): void {
    // A link still waiting for its local files keeps naming them.
    if (this.state.link?.missing.length) return;
    const { backgroundId, selectedId, settings, crosshair, compare, signature, spheres, glassBrain } = this.state;
    // A df the reader typed (the file did not say it) travels with the link.
    const typed = (m: MapEntry): number[] | undefined => {
      const k = m.kind;
      if (k.source !== 'user' || k.df === undefined) return undefined;
      return k.kind === 't' ? [k.df] : k.kind === 'f' && k.df2 !== undefined ? [k.df, k.df2] : undefined;
    };
    const maps = this.state.maps.map((m) => ({
      id: m.id,
      url: m.url,
      name: m.volume.name,
      frame: m.volume.frame,
      df: typed(m),
    }));
    history.replaceState(
      null,
      '',
      formatUrlState(
        currentUrlState(this.url, {
          maps,
          backgroundId,
          selectedId,
          settings,
          crosshair,
          compare,
          signature,
          spheres: [...spheres],
          glassBrain,
        }),
      ),
    );
  }
}
