import type { Remote } from 'comlink';
import { det3, isNiftiError, type Volume } from '../../nifti';
import type { AnalysisApi } from '../../worker/analysis-api';
import { VolumeLoader } from '../../worker/client';
import type { ParseSource } from '../../worker/protocol';
import { groupFiles } from '../../worker/sources';
import { LABEL_TABLE_FILE, parseLabelTable } from '../maps/label-table';
import type { MapKindInfo } from '../../analysis/map-kind';
import { describeMap, isStatMap, mapEntry, withFrame, withKind, type MapEntry } from '../maps/maps';
import { settingsForShown } from '../../analysis/threshold-settings';
import { pairMaps } from '../../analysis/pairing';
import type { LoadEntry, PageState } from './page-state';
import { mapSpace } from '../maps/space';
import type { Store } from './store';

/**
 * A file is "much larger" than its header's data when it holds more than this share beyond the
 * header, extensions and voxels (gzip adds a few bytes per 32 KiB even to incompressible data).
 */
const EXCESS_FACTOR = 1.01;
/** ... and more than this many bytes (a NIfTI extension of a few KiB is normal). */
const EXCESS_SLACK_BYTES = 4096;
/** The fixed part of a NIfTI-1 header and its extension flag. */
const NIFTI1_HEADER_BYTES = 352;

/** Opening, identifying and removing maps, their kinds, frames and label tables. */
export class MapActions {
  private readonly loader = new VolumeLoader();
  private readonly cancels = new Map<number, () => void>();
  private nextKey = 1;
  private nextId = 1;
  /** Whether the user chose the shown map (then new maps do not change it). */
  userSelected = false;
  /** Told of each map the reader opened (not by URL): a link waiting for local files claims it. */
  onLocalLoaded: ((entry: MapEntry) => void) | null = null;
  /** Told when a map is shown where none was (the page's first). */
  onFirstShown: (() => void) | null = null;

  constructor(
    private readonly store: Store<PageState>,
    private readonly api: Remote<AnalysisApi>,
    private readonly engineReady: Promise<unknown>,
  ) {}

  private get state(): Readonly<PageState> {
    return this.store.state;
  }

  private addEntry(e: Omit<LoadEntry, 'key'>): number {
    const key = this.nextKey++;
    this.store.set({ entries: withoutRepeats([...this.state.entries, { key, ...e }]) });
    return key;
  }

  private patchEntry(key: number, p: Partial<LoadEntry>): void {
    this.store.set({ entries: withoutRepeats(this.state.entries.map((e) => (e.key === key ? { ...e, ...p } : e))) });
  }

  /** Loads files chosen or dropped; a failure is listed with its reason and removes nothing. */
  openFiles(files: File[]): void {
    const tables = files.filter((f) => LABEL_TABLE_FILE.test(f.name));
    const { sources, orphans } = groupFiles(files.filter((f) => !LABEL_TABLE_FILE.test(f.name)));
    for (const o of orphans)
      this.addEntry({ name: o.name, state: 'error', done: 0, total: undefined, error: `${o.name}: ${o.reason}` });
    const loads = sources.map((s) => this.load(s, null));
    // A label table dropped with its atlas names that atlas's regions: it waits for the images that came with it.
    for (const t of tables) void Promise.allSettled(loads).then(() => this.openLabelTable(t));
  }

  cancelLoad(key: number): void {
    this.cancels.get(key)?.();
  }

  /** Forgets a finished entry of the load list (an error read, a note seen). */
  dismiss(key: number): void {
    this.store.set({ entries: this.state.entries.filter((e) => e.key !== key || e.state === 'loading') });
  }

  async load(source: ParseSource, url: string | null): Promise<MapEntry | null> {
    const fileKey = sourceKey(source);
    const same = this.state.maps.find((m) => m.fileKey === fileKey);
    if (same) {
      this.addEntry({
        name: source.name,
        state: 'error',
        done: 0,
        total: undefined,
        error: `${source.name} is already open: it is one entry in the map list.`,
        note: true,
      });
      return same;
    }
    // Ids follow the order files were chosen, not the order downloads finish.
    const id = this.nextId++;
    const key = this.addEntry({ name: source.name, state: 'loading', done: 0, total: undefined });
    let bytes = sourceBytes(source);
    const job = this.loader.load(source, (done, total) => {
      if (total !== undefined) bytes = total;
      this.patchEntry(key, { done, total });
    });
    this.cancels.set(key, job.cancel);
    try {
      const volume = await job.done;
      const placed = placement(volume);
      if (placed) throw new Error(placed);
      const entry = mapEntry(id, volume, { url, fileKey, loadId: volume.frames > 1 ? job.id : null });
      await this.engineReady;
      await this.register(entry);
      this.patchEntry(key, {
        state: 'ready',
        summary: describeMap(entry),
        warning: excessNote(volume, bytes) ?? undefined,
      });
      this.adopt(entry);
      if (url === null) this.onLocalLoaded?.(entry);
      return entry;
    } catch (e) {
      this.patchEntry(key, {
        state: 'error',
        error: isNiftiError(e) ? e.message : `${source.name}: ${e instanceof Error ? e.message : String(e)}`,
      });
      return null;
    } finally {
      this.cancels.delete(key);
    }
  }

  /** Maps made here (a group analysis's outputs) join the page as if opened: an id, the worker's copy, the map list. */
  async addVolumes(volumes: readonly Volume[]): Promise<MapEntry[]> {
    await this.engineReady;
    const entries = volumes.map((v) => {
      const id = this.nextId++;
      return mapEntry(id, v, { url: null, fileKey: `made:${id}:${v.name}`, loadId: null });
    });
    for (const e of entries) await this.register(e);
    this.store.set({ maps: [...this.state.maps, ...entries].sort((a, b) => a.id - b.id) });
    return entries;
  }

  private register(m: MapEntry): Promise<void> {
    const v = m.volume;
    return this.api.addMap({ id: m.id, name: v.name, data: v.data, dims: v.dims, affine: v.affine, pixdim: v.pixdim });
  }

  /**
   * A new map, kept in the order chosen: the first anatomy becomes the background, the first stat map
   * is shown (until the user picks one), the first two stat maps are offered as pre and post, the
   * first atlas names the regions.
   */
  private adopt(loaded: MapEntry): void {
    const s = this.state;
    const bg = s.maps.find((m) => m.id === s.backgroundId);
    // A map on the grid of an MNI template is in MNI space too.
    const entry =
      loaded.space === 'native' && bg
        ? { ...loaded, space: mapSpace(loaded.volume, { ...bg.volume, space: bg.space }) }
        : loaded;
    const maps = [...s.maps, entry].sort((a, b) => a.id - b.id);
    const stats = maps.filter(isStatMap);
    // With no stat map, an atlas opened alone is shown as one.
    const show = stats[0] ?? maps.find((m) => m.kind.kind === 'label');
    const selectedId = !this.userSelected && show ? show.id : s.selectedId;
    this.store.set({
      maps,
      settings: this.settingsFor(selectedId, maps),
      backgroundId: entry.anatomy && s.backgroundId === null ? entry.id : s.backgroundId,
      selectedId,
      compare: stats.length >= 2 && !s.compare.on ? this.defaultPair(stats, s.compare) : s.compare,
      atlasId: entry.kind.kind === 'label' && s.atlasId === null ? entry.id : s.atlasId,
    });
    if (s.selectedId === null && selectedId !== null) this.onFirstShown?.();
  }

  /** Pre and post offered for a comparison: by BIDS session, then pre/post in the names, then the order opened (src/analysis/pairing.ts). */
  private defaultPair(stats: readonly MapEntry[], c: PageState['compare']): PageState['compare'] {
    if (c.pairedBy === 'user' && stats.some((m) => m.id === c.preId) && stats.some((m) => m.id === c.postId)) return c;
    const p = pairMaps(stats.map((m) => ({ id: m.id, name: m.volume.name })));
    return p ? { ...c, preId: p.pre, postId: p.post, pairedBy: p.rule } : c;
  }

  selectMap(id: number): void {
    this.userSelected = true;
    this.store.set({ selectedId: id, settings: this.settingsFor(id) });
  }

  /** The threshold settings once map `id` is shown: the same, or the default of its scale when that changes (1 − p, TFCE, statistic). */
  private settingsFor(id: number | null, maps: readonly MapEntry[] = this.state.maps): PageState['settings'] {
    const s = this.state;
    const to = maps.find((m) => m.id === id);
    if (!to || !isStatMap(to) || id === s.selectedId) return s.settings;
    const from = s.maps.find((m) => m.id === s.selectedId && isStatMap(m))?.kind.kind;
    return settingsForShown(s.settings, from, to.kind.kind, Math.max(Math.abs(to.stats.min), Math.abs(to.stats.max)));
  }

  removeMap(id: number): void {
    const s = this.state;
    const gone = s.maps.find((m) => m.id === id);
    const maps = s.maps.filter((m) => m.id !== id);
    void this.api.removeMap(id);
    if (gone?.loadId !== null && gone?.loadId !== undefined) this.loader.release(gone.loadId);
    this.store.set({
      maps,
      selectedId: s.selectedId === id ? (maps.find(isStatMap)?.id ?? null) : s.selectedId,
      backgroundId: s.backgroundId === id ? null : s.backgroundId,
      atlasId: s.atlasId === id ? (maps.find((m) => m.kind.kind === 'label')?.id ?? null) : s.atlasId,
      compare: s.compare.preId === id || s.compare.postId === id ? { ...s.compare, on: false } : s.compare,
      signature: s.signature.weightsId === id ? { ...s.signature, weightsId: null } : s.signature,
    });
  }

  private replace(m: MapEntry): void {
    this.store.set({ maps: this.state.maps.map((e) => (e.id === m.id ? m : e)) });
  }

  /** The user's kind for a map (and its df): it changes the map's defaults and its threshold units. */
  setKind(id: number, kind: MapKindInfo): void {
    const m = this.state.maps.find((e) => e.id === id);
    if (!m) return;
    this.replace(withKind(m, { ...kind, source: 'user' }));
    const s = this.state;
    // The shown map's new kind may put its threshold on another scale (1 − p, TFCE).
    if (id === s.selectedId && isStatMap(m))
      this.store.set({
        settings: settingsForShown(
          s.settings,
          m.kind.kind,
          kind.kind,
          Math.max(Math.abs(m.stats.min), Math.abs(m.stats.max)),
        ),
      });
    if (kind.kind === 'label' && s.atlasId === null) this.store.set({ atlasId: id });
    if (kind.kind === 'anatomy' && s.backgroundId === null) this.store.set({ backgroundId: id });
  }

  /** Shows frame k of a 4D map: decoded by the parser on demand, then analysed as the map. */
  async setFrame(id: number, k: number): Promise<void> {
    const m = this.state.maps.find((e) => e.id === id);
    if (!m || m.loadId === null || k === m.volume.frame) return;
    let volume: Volume;
    try {
      volume = await this.loader.frame(m.loadId, k);
    } catch (e) {
      this.store.set({ error: `Frame ${k + 1} of ${m.volume.name}: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    const now = this.state.maps.find((e) => e.id === id);
    if (!now) return;
    const next = withFrame(now, volume);
    await this.register(next);
    this.replace(next);
  }

  /** A label table opened with an atlas: names the regions of the atlas it is for (by name, else the current atlas). */
  async openLabelTable(file: File, atlasId?: number): Promise<void> {
    try {
      const table = parseLabelTable(file.name, await file.text());
      const stem = (n: string): string =>
        n
          .replace(/\.(nii(\.gz)?|xml|tsv|json|lut|ctbl|txt)$/gi, '')
          .replace(/\.nii$/i, '')
          .replace(/_dseg$/i, '')
          .toLowerCase();
      const atlases = this.state.maps.filter((m) => m.kind.kind === 'label');
      const target =
        atlases.find((m) => m.id === atlasId) ??
        atlases.find((m) => stem(m.volume.name) === stem(file.name)) ??
        atlases.find((m) => m.id === this.state.atlasId) ??
        atlases[0];
      if (!target) {
        this.addEntry({
          name: file.name,
          state: 'error',
          done: 0,
          total: undefined,
          error: `${file.name}: open the atlas image it names first (no label atlas is open).`,
        });
        return;
      }
      this.replace({ ...target, labels: table });
      this.addEntry({
        name: file.name,
        state: 'ready',
        done: 0,
        total: undefined,
        summary: `${table.regions.size} region names for ${target.volume.name}`,
        note: true,
      });
    } catch (e) {
      this.addEntry({
        name: file.name,
        state: 'error',
        done: 0,
        total: undefined,
        error: `${file.name}: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  }
}

/** Why a map cannot be placed in space (a singular or non-finite affine), or null. */
function placement(v: Pick<Volume, 'affine' | 'name'>): string | null {
  const a = v.affine;
  if (!a.slice(0, 12).every(Number.isFinite))
    return 'its voxel-to-mm affine holds values that are not finite: the map cannot be placed in space.';
  if (Math.abs(det3(a)) < 1e-12)
    return 'its voxel-to-mm affine is singular (a voxel size or axis of 0): the map cannot be placed in space.';
  return null;
}

/** What identifies a source: the same file chosen twice, or the same URL, is one map. */
function sourceKey(s: ParseSource): string {
  switch (s.kind) {
    case 'file':
      return `file:${s.name}:${s.file.size}:${s.file instanceof File ? s.file.lastModified : ''}`;
    case 'pair':
      return `pair:${s.name}:${s.hdr.size}:${s.img.size}:${s.img instanceof File ? s.img.lastModified : ''}`;
    case 'bytes':
      return `bytes:${s.name}:${s.bytes.byteLength}:${Math.random()}`;
    case 'url':
      return `url:${s.url}`;
  }
}

function sourceBytes(s: ParseSource): number | undefined {
  return s.kind === 'file'
    ? s.file.size
    : s.kind === 'pair'
      ? s.img.size
      : s.kind === 'bytes'
        ? s.bytes.byteLength
        : undefined;
}

/** A note when the file is much larger than the data its header declares (a gzip bomb, a wrong dim). */
export function excessNote(
  v: Pick<Volume, 'dims' | 'frames' | 'datatype' | 'name'>,
  fileBytes: number | undefined,
): string | null {
  if (fileBytes === undefined) return null;
  const declared = NIFTI1_HEADER_BYTES + v.dims[0] * v.dims[1] * v.dims[2] * v.frames * v.datatype.bytes;
  if (fileBytes <= declared * EXCESS_FACTOR + EXCESS_SLACK_BYTES) return null;
  return `${v.name} is ${formatBytes(fileBytes)} but its header declares only ${formatBytes(declared)} of voxels (${v.dims.join('×')}${v.frames > 1 ? `×${v.frames}` : ''}): only those were read; check the file.`;
}

function formatBytes(n: number): string {
  return n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
}

/** The same file failing the same way again (dropped twice, say) is listed once: the latest entry stays. */
function withoutRepeats(entries: readonly LoadEntry[]): LoadEntry[] {
  const last = new Map<string, number>();
  for (const e of entries) if (e.state === 'error' && e.error) last.set(`${e.name}\u0000${e.error}`, e.key);
  return entries.filter((e) => e.state !== 'error' || !e.error || last.get(`${e.name}\u0000${e.error}`) === e.key);
}
