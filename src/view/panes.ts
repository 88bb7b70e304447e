import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Mm, ViewerPane } from './pane';
import type { Layer } from './layers';

/** One pane's content: what NiiVue draws on the canvas `#pane-<key>`. */
export interface PaneScene {
  /** Stable key: the canvas for a key is reused across renders. */
  readonly key: 'single' | 'pre' | 'post' | 'difference';
  readonly title: string;
  readonly layers: Layer[];
}

export type PaneHead = Pick<PaneScene, 'key' | 'title'>;

/**
 * What the panes need of the page (src/app/page/page-panes.ts gives it): the scenes to show, the
 * crosshair every pane shares, and what to do once new scenes are drawn.
 */
export interface PaneSource {
  /** Which panes there are and their titles, for the host's layout. */
  heads(): PaneHead[];
  /** The scenes, and whether they changed since the last call. */
  scenes(): { scenes: PaneScene[]; changed: boolean };
  readonly crosshair: Mm | null;
  setCrosshair(mm: Mm | null): void;
  /** The threshold of the results the scenes show; null before any. */
  readonly shownThreshold: number | null;
  /** Work to start once the panes have drawn the scenes just built (null: none). */
  afterDrawn(): (() => void) | null;
  /** A crosshair waiting for the scenes (a demo step's), handed over once when it can be placed. */
  takePendingCrosshair(): Mm | null;
  /** Whether the panes show a lightbox of axial slices rather than three planes. */
  readonly lightbox: boolean;
}

/**
 * The titles of NiiVue's colour bars, in its order: one bar per layer with a colour bar, and a
 * second one (drawn first) for its negative colour map when it has one.
 */
export function barTitles(layers: readonly Layer[]): string[] {
  return layers.flatMap((l) => {
    if (!l.colorbar) return [];
    const t = l.title ?? l.volume.name;
    const negative = (l.style.kind === 'stat' && l.style.twoSided) || l.style.kind === 'signed';
    return negative ? [`${t} −`, `${t} +`] : [t];
  });
}

/**
 * The NiiVue panes of the page: one per scene, on the canvases the host renders (`#pane-<key>` in
 * `figure[data-pane=<key>]`). After each render of the host it hands NiiVue what changed, a frame
 * later, and keeps every pane's crosshair with the store's.
 */
export class PaneManager implements ReactiveController {
  private readonly panes = new Map<string, Promise<ViewerPane>>();
  /** The canvas each pane's NiiVue is attached to. */
  private readonly canvases = new Map<string, HTMLCanvasElement>();
  private showPending = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly source: PaneSource,
    private readonly root: () => ParentNode,
  ) {
    host.addController(this);
  }

  /** Which panes there are and their titles, for the host's layout. */
  heads(): PaneHead[] {
    return this.source.heads();
  }

  hostUpdated(): void {
    this.scheduleShow();
  }

  /** NiiVue's work waits until the next frame has painted: a new table shows first, and a fast slider coalesces. */
  private scheduleShow(): void {
    if (this.showPending) return;
    this.showPending = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        this.showPending = false;
        void this.showScenes()
          .then(() => this.applyPendingCrosshair())
          .then(() => this.applyLightbox());
      }),
    );
  }

  /** Hands the scenes to NiiVue when the results (or the background) changed. */
  /** Every pane a lightbox, or every pane its three planes, as the page says. */
  private async applyLightbox(): Promise<void> {
    for (const p of this.panes.values()) (await p)?.setLightbox(this.source.lightbox);
  }

  private async showScenes(): Promise<void> {
    // Every other input (threshold, faint, spheres...) brings new results; the background does not.
    const { scenes, changed } = this.source.scenes();
    if (!changed) return;
    for (const key of [...this.panes.keys()]) if (!scenes.some((s) => s.key === key)) this.panes.delete(key);
    const panes = await Promise.all(scenes.map((s) => this.pane(s.key)));
    const crosshair = this.source.crosshair;
    await Promise.all(panes.map((p, k) => p?.show(scenes[k]!.layers, crosshair ?? undefined)));
    const live = panes.filter((p): p is ViewerPane => !!p);
    const threshold = this.source.shownThreshold;
    const after = this.source.afterDrawn();
    if (after) void Promise.all(live.map((p) => p.whenDrawn())).then(after);
    for (const p of live) p.syncWith(live.filter((o) => o !== p));
    if (!this.source.crosshair && live[0]) this.source.setCrosshair(live[0].crosshair ?? null);

    scenes.forEach((s, k) => {
      if (!panes[k]) return;
      this.markCrosshair(s.key, panes[k]);
      // What the pane holds now, for readers and tests: e.g. "background stat mask".
      const fig = this.figure(s.key);
      if (fig) fig.dataset.layers = s.layers.map((l) => l.style.kind).join(' ');
      // The threshold whose overlay the pane now holds (the redraw benchmark waits for it).
      if (fig && threshold !== null) fig.dataset.threshold = String(threshold);
      const titles = fig?.querySelector<HTMLElement>('.bar-titles');
      if (titles)
        titles.replaceChildren(
          ...barTitles(s.layers).map((t) =>
            Object.assign(document.createElement('span'), { textContent: t, title: t }),
          ),
        );
    });
  }

  /** A demo step's crosshair, once its results and panes are there. */
  private async applyPendingCrosshair(): Promise<void> {
    if (!this.panes.size) return;
    const mm = this.source.takePendingCrosshair();
    if (mm) await this.moveCrosshair(mm);
  }

  private pane(key: string): Promise<ViewerPane | null> {
    const canvas = this.root().querySelector<HTMLCanvasElement>(`#pane-${key}`);
    if (!canvas) return Promise.resolve(null);
    let p = this.panes.get(key);
    // Lit can put a new canvas where the pane's was (the figure rendered anew): NiiVue must move to it,
    // or the pane keeps drawing on a detached canvas and the one on screen stays black.
    if (p && this.canvases.get(key) !== canvas) p = undefined;
    if (!p) {
      this.canvases.set(key, canvas);
      // NiiVue is loaded with the first pane, so the page's first paint does not wait for it.
      // Every pane may have its 3D tile: ViewerPane leaves it out on a software rasteriser.
      p = import('./pane')
        .then(({ ViewerPane }) => ViewerPane.create(canvas, true))
        .then((pane) => {
          pane.onUserMove = (mm) => this.moveCrosshair(mm, pane);
          pane.onLayout = () => this.markCrosshair(key, pane);
          return pane;
        });
      this.panes.set(key, p);
    }
    return p;
  }

  /** Moves the crosshair in every pane (sync in NiiVue needs focus, so we set it ourselves). */
  async moveCrosshair(mm: Mm, from?: ViewerPane): Promise<void> {
    const was = this.source.crosshair;
    if (from && was?.every((v, k) => Math.abs(v - mm[k]!) < 1e-3)) return;
    this.source.setCrosshair(mm);
    for (const [key, pending] of this.panes) {
      const p = await pending;
      if (p !== from) p.setCrosshair(mm);
      this.markCrosshair(key, p);
    }
  }

  private figure(key: string): HTMLElement | null {
    return this.root().querySelector<HTMLElement>(`figure[data-pane="${key}"]`);
  }

  /** Each pane's own crosshair, on its figure: what a reader (or a test) can check panes agree on. */
  private markCrosshair(key: string, pane: ViewerPane): void {
    const fig = this.figure(key);
    const mm = pane.crosshair;
    if (fig && mm) fig.dataset.crosshair = mm.map((v) => v.toFixed(1)).join(',');
    if (!fig) return;
    const g = pane.geometry();
    fig.dataset.geometry = JSON.stringify(g);
    sliceLabels(fig, g);
  }

  /** The pane of a key, once it exists. */
  get(key: string): Promise<ViewerPane> | undefined {
    return this.panes.get(key);
  }

  /** Resolves when every pane's pixels are drawn (the benchmark waits for this). */
  async drawn(): Promise<void> {
    for (const p of this.panes.values()) (await p)?.drawn();
  }
}

/** A lightbox tile's label: its slice's z in mm (as FSLeyes and NiiVue's mosaic label theirs), at the tile's lower left. */
function sliceLabels(fig: HTMLElement, g: { slices: number[][]; sliceMm: number[] | null }): void {
  const box = fig.querySelector<HTMLElement>('.slice-labels');
  if (!box) return;
  const mm = g.sliceMm ?? [];
  box.replaceChildren(
    ...g.slices.slice(0, mm.length).map(([left, top, , height], k) =>
      Object.assign(document.createElement('span'), {
        textContent: `z = ${mm[k]}`,
        title: `axial slice at z = ${mm[k]} mm`,
        style: `left: ${left}px; top: ${top! + height!}px`,
      }),
    ),
  );
}
