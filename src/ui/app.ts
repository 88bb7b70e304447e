import { LitElement, css, html } from 'lit';
import { isNiftiError, type Volume } from '../nifti';
import { volumeStats } from '../analysis/stats';
import { VolumeLoader } from '../worker/client';
import { groupFiles } from '../worker/sources';
import type { ParseSource } from '../worker/protocol';
import type { LoadEntry } from './load-list';
import './file-drop';
import './load-list';

/** The page: choose or drop maps, watch them load in the worker, see what each holds. */
export class SiglensApp extends LitElement {
  static override properties = { entries: { state: true } };
  declare entries: LoadEntry[];

  static override styles = css`
    :host { display: block; padding: 1rem 1.2rem; max-width: 60rem; }
    h1 { font-size: 1.3rem; margin: 0 0 0.8rem; }
    h1 span { color: var(--muted, #9aa4b2); font-weight: 400; font-size: 0.95rem; }
    sl-load-list { display: block; margin-top: 1rem; }
  `;

  /** Maps read so far, in load order; nothing removes one when a later file fails. */
  readonly volumes: Volume[] = [];
  private readonly loader = new VolumeLoader();
  private readonly cancels = new Map<number, () => void>();
  private nextKey = 1;

  constructor() {
    super();
    this.entries = [];
  }

  override render() {
    return html`<h1>SigLens <span>brain activation maps in the browser</span></h1>
      <sl-file-drop @files-chosen=${(e: CustomEvent<File[]>) => this.openFiles(e.detail)}></sl-file-drop>
      <sl-load-list .entries=${this.entries} @cancel-load=${(e: CustomEvent<number>) => this.cancels.get(e.detail)?.()}></sl-load-list>`;
  }

  openFiles(files: File[]): void {
    const { sources, orphans } = groupFiles(files);
    for (const o of orphans) this.add({ key: this.nextKey++, name: o.name, state: 'error', done: 0, total: undefined, error: `${o.name}: ${o.reason}` });
    for (const s of sources) void this.load(s);
  }

  private async load(source: ParseSource): Promise<void> {
    const key = this.nextKey++;
    this.add({ key, name: source.name, state: 'loading', done: 0, total: undefined });
    const job = this.loader.load(source, (done, total) => this.update1(key, { done, total }));
    this.cancels.set(key, job.cancel);
    try {
      const vol = await job.done;
      this.volumes.push(vol);
      this.update1(key, { state: 'ready', summary: summarize(vol) });
      this.dispatchEvent(new CustomEvent<Volume>('volume-loaded', { detail: vol }));
    } catch (e) {
      const message = isNiftiError(e) ? e.message : `${source.name}: ${e instanceof Error ? e.message : String(e)}`;
      this.update1(key, { state: 'error', error: message });
    } finally {
      this.cancels.delete(key);
    }
  }

  private add(entry: LoadEntry): void {
    this.entries = [...this.entries, entry];
  }

  private update1(key: number, patch: Partial<LoadEntry>): void {
    this.entries = this.entries.map((e) => (e.key === key ? { ...e, ...patch } : e));
  }
}

function summarize(v: Volume): string {
  const s = volumeStats(v.data);
  const intent = v.intent.kind === 'ttest' ? `t-map (df ${v.intent.p1})` : v.intent.kind === 'zscore' ? 'z-map' : v.intent.kind;
  const range = s.finiteCount ? `${s.min.toPrecision(4)} to ${s.max.toPrecision(4)}` : 'no finite values';
  return `${v.dims.join('×')}${v.frames > 1 ? ` (frame ${v.frame + 1} of ${v.frames})` : ''}, ${v.pixdim.map((p) => +p.toFixed(2)).join('×')} mm, ${v.datatype.name}, ${intent}; values ${range}${s.nanCount ? `, ${s.nanCount} NaN` : ''}`;
}

customElements.define('siglens-app', SiglensApp);
