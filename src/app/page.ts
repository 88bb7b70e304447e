import * as Comlink from 'comlink';
import { isNiftiError, type Volume } from '../nifti';
import type { GroupRun } from '../worker/group';
import type { Connectivity } from '../compute/engine';
import type { Mm } from '../view/pane';
import type { AnalysisApi } from '../worker/analysis-api';
import { VolumeLoader } from '../worker/client';
import type { ParseSource } from '../worker/protocol';
import { groupFiles } from '../worker/sources';
import { Analyzer } from './analyzer';
import { BatchSession } from './batch-session';
import { GroupSession, type GroupRequest } from './group-session';
import { DEMO_STEPS, SAMPLE, SAMPLE_SUBJECT_FILES, type SampleKey } from './demo';
import { describeMap, mapEntry, type MapEntry } from './maps';
import { ANALYSIS_INPUTS, initialPageState, URL_INPUTS, type BatchRequest, type LoadEntry, type PageState } from './page-state';
import { validSettings } from './settings';
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
  private readonly loader = new VolumeLoader();
  private readonly batchSession: BatchSession;
  private readonly groupSession: GroupSession;
  private readonly cancels = new Map<number, () => void>();
  private readonly url: UrlState = parseUrlState(location.search);
  private readonly engineReady: Promise<unknown>;
  private nextKey = 1;
  private nextId = 1;
  /** Whether the user chose the shown map (then new maps do not change it). */
  private userSelected = false;
  pendingCrosshair: PendingCrosshair = null;

  constructor(worker: Worker) {
    this.store = new Store(initialPageState(this.url));
    this.api = Comlink.wrap<AnalysisApi>(worker);
    this.analyzer = new Analyzer(this.api);
    this.batchSession = new BatchSession(this.api, (batch) => this.set({ batch }));
    this.groupSession = new GroupSession(this.api, (group) => this.set({ group }), (volumes, run) => this.openGroupMaps(volumes, run));
    this.engineReady = this.api.init(this.url.engine).then(
      (engine) => this.set({ engine }),
      (e: unknown) => this.set({ error: `The ${this.url.engine} engine could not start: ${e instanceof Error ? e.message : String(e)}` }),
    );
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
    const { sources, orphans } = groupFiles(files);
    for (const o of orphans) this.set({ entries: [...this.state.entries, { key: this.nextKey++, name: o.name, state: 'error', done: 0, total: undefined, error: `${o.name}: ${o.reason}` }] });
    for (const s of sources) void this.load(s, null);
  }

  cancelLoad(key: number): void {
    this.cancels.get(key)?.();
  }

  private async load(source: ParseSource, url: string | null): Promise<MapEntry | null> {
    const key = this.nextKey++;
    // Ids follow the order files were chosen, not the order downloads finish.
    const id = this.nextId++;
    this.set({ entries: [...this.state.entries, { key, name: source.name, state: 'loading', done: 0, total: undefined }] });
    const patch = (p: Partial<LoadEntry>): void => this.set({ entries: this.state.entries.map((e) => (e.key === key ? { ...e, ...p } : e)) });
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
    const s = this.state;
    const maps = [...s.maps, entry].sort((a, b) => a.id - b.id);
    const stats = maps.filter((m) => !m.anatomy);
    this.set({
      maps,
      backgroundId: entry.anatomy && s.backgroundId === null ? entry.id : s.backgroundId,
      selectedId: !this.userSelected && stats[0] ? stats[0].id : s.selectedId,
      compare: stats.length >= 2 && !s.compare.on ? { ...s.compare, preId: stats[0]!.id, postId: stats[1]!.id } : s.compare,
    });
  }

  private async loadUrlMaps(): Promise<void> {
    const u = this.url;
    const byUrl = (url: string): Promise<MapEntry | null> => this.load({ kind: 'url', url, name: decodeURIComponent(url.split('/').pop() || url) }, url);
    const loaded = await Promise.all(u.maps.map(byUrl));
    const bg = u.background ? await byUrl(u.background) : null;
    const id = (i: number | null | undefined): number | null => (i === null || i === undefined ? null : (loaded[i]?.id ?? null));
    const patch: { -readonly [K in keyof PageState]?: PageState[K] } = {};
    if (bg) patch.backgroundId = bg.id;
    if (id(u.selected) !== null) patch.selectedId = id(u.selected);
    if (u.compare) patch.compare = { on: true, preId: id(u.compare.pre), postId: id(u.compare.post), showDifference: u.compare.diff };
    if (u.signature) patch.signature = { ...this.state.signature, weightsId: id(u.signature.weights), metric: u.signature.metric };
    this.set(patch);
  }

  selectMap(id: number): void {
    this.userSelected = true;
    this.set({ selectedId: id });
  }

  removeMap(id: number): void {
    const s = this.state;
    const maps = s.maps.filter((m) => m.id !== id);
    void this.api.removeMap(id);
    this.set({
      maps,
      selectedId: s.selectedId === id ? (maps.find((m) => !m.anatomy)?.id ?? null) : s.selectedId,
      backgroundId: s.backgroundId === id ? null : s.backgroundId,
      compare: s.compare.preId === id || s.compare.postId === id ? { ...s.compare, on: false } : s.compare,
      signature: s.signature.weightsId === id ? { ...s.signature, weightsId: null } : s.signature,
    });
  }

  private async recompute(): Promise<void> {
    if (!validSettings(this.state.settings)) return;
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

  /** A group analysis of the files, in the analysis worker; its maps open in the viewer when it finishes. */
  runGroup(req: GroupRequest): Promise<void> {
    return this.groupSession.run(req);
  }

  cancelGroup(): void {
    this.groupSession.cancel();
  }

  /** Maps made here (a group analysis's outputs) join the page as if opened: an id, the worker's copy, the map list. */
  async addVolumes(volumes: readonly Volume[]): Promise<MapEntry[]> {
    await this.engineReady;
    const entries = volumes.map((v) => mapEntry(this.nextId++, v, null));
    for (const e of entries) await this.api.addMap({ id: e.id, name: e.volume.name, data: e.volume.data, dims: e.volume.dims, affine: e.volume.affine, pixdim: e.volume.pixdim });
    this.set({ maps: [...this.state.maps, ...entries].sort((a, b) => a.id - b.id) });
    return entries;
  }

  /** Shows the run's t-map at the run's own threshold, so the cluster table is the run's and carries its permutation p. */
  private async openGroupMaps(volumes: Volume[], run: GroupRun): Promise<void> {
    const entries = await this.addVolumes(volumes);
    const t = entries.find((e) => e.volume.name.endsWith('_tstat.nii'));
    if (!t) return;
    const r = run.result;
    const ref = { tMapId: t.id, t: r.threshold.t, twoSided: r.twoSided, connectivity: r.connectivity, clusters: r.clusters };
    this.set({ groupMaps: ref });
    // In the demo, only its group step turns to the run's map (a finished run must not pull another step away).
    const step = this.state.demoStep === null ? null : DEMO_STEPS[this.state.demoStep];
    if (!step || step.group) this.showGroupMap(t.id, ref);
  }

  private showGroupMap(id: number, ref: { t: number; twoSided: boolean; connectivity: Connectivity }): void {
    this.userSelected = true;
    this.set({ selectedId: id, compare: { ...this.state.compare, on: false }, settings: { ...this.state.settings, mode: 'z', value: ref.t, twoSided: ref.twoSided, connectivity: ref.connectivity, extent: 'none' } });
  }

  // ---- the guided demo ----

  async startDemo(): Promise<void> {
    this.set({ demoStep: 0 });
    const urls = new Map(this.state.maps.map((m) => [m.url, m]));
    const need = (Object.keys(SAMPLE) as (keyof typeof SAMPLE)[]).filter((k) => k !== 'standIn' && k !== 'realTemplate' && !urls.has(SAMPLE[k]));
    const real = urls.get(SAMPLE.realTemplate) ?? urls.get(SAMPLE.standIn) ?? (await this.loadTemplate());
    await Promise.all(need.map((k) => this.load({ kind: 'url', url: SAMPLE[k], name: SAMPLE[k].split('/').pop()! }, SAMPLE[k])));
    if (real) this.set({ backgroundId: real.id });
    this.goToStep(0);
  }

  /** The real template when `npm run fetch-template` has put one in place, else the stand-in. */
  private async loadTemplate(): Promise<MapEntry | null> {
    const real = await fetch(SAMPLE.realTemplate, { method: 'HEAD' }).then((r) => r.ok && !/text\/html/.test(r.headers.get('content-type') ?? ''), () => false);
    const url = real ? SAMPLE.realTemplate : SAMPLE.standIn;
    return this.load({ kind: 'url', url, name: url.split('/').pop()! }, url);
  }

  goToStep(i: number): void {
    const step = DEMO_STEPS[i];
    if (!step) return;
    const s = this.state;
    const id = (k: SampleKey): number | null => s.maps.find((m) => m.url === SAMPLE[k])?.id ?? null;
    this.userSelected = true;
    this.pendingCrosshair = step.crosshair;
    this.set({
      demoStep: i,
      selectedId: id(step.show),
      settings: step.settings,
      spheres: [...step.spheres],
      compare: step.compare ? { on: true, preId: id(step.compare.pre), postId: id(step.compare.post), showDifference: step.compare.difference } : { ...s.compare, on: false },
      signature: { ...s.signature, weightsId: step.signature ? id('signature') : null, metric: 'dot' },
    });
    if (step.group) void this.demoGroup(step.group);
  }

  /** The demo's group step: the sample subjects' paired test (run once; coming back shows its t-map again). */
  private async demoGroup(o: { permutations: number; seed: number }): Promise<void> {
    const g = this.state.groupMaps;
    if (g) return this.showGroupMap(g.tMapId, g);
    if (this.state.group.running) return;
    const files = await Promise.all(SAMPLE_SUBJECT_FILES.map(async (url) => new File([await (await fetch(url)).blob()], url.split('/').pop()!)));
    const z = this.state.settings.value;
    await this.runGroup({ files, design: 'paired', pair: ['ses-pre', 'ses-post'], pattern: '', groupColumn: 'group', groups: null, thresholdZ: z, twoSided: false, connectivity: 26, permutations: o.permutations, seed: o.seed, tfce: false });
  }

  private readonly writeUrlSoon = whenPaused(() => this.writeUrl(), URL_WRITE_DELAY_MS);

  private writeUrl(): void {
    const { backgroundId, selectedId, settings, crosshair, compare, signature, spheres } = this.state;
    const maps = this.state.maps.map((m) => ({ id: m.id, url: m.url }));
    history.replaceState(null, '', formatUrlState(currentUrlState(this.url, { maps, backgroundId, selectedId, settings, crosshair, compare, signature, spheres: [...spheres] })));
  }
}
