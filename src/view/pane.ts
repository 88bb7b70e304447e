import { Niivue, NVImage, SHOW_RENDER, SLICE_TYPE } from '@niivue/niivue';
import { writeNifti1 } from '../nifti';
import type { Layer } from './layers';
import { applyStyle, derivedImage, gridKey, layerKey } from './layer-image';
import { lightboxSlices } from './multiplanar';
import { KEY_STEPS, type Plane } from './pane-keys';
import { fitTiles } from './pane-layout';

export type Mm = [number, number, number];

/**
 * One NiiVue view (WebGL2) of a background with overlays. Our maps reach NiiVue as NIfTI bytes from
 * our own writer, so NiiVue shows exactly the affine and values we analysed.
 */
export class ViewerPane {
  readonly nv: Niivue;
  /** Called when the user moves the crosshair in this pane (not when we set it). */
  onUserMove: ((mm: Mm) => void) | undefined;
  /** Called when the slices are laid out anew (a resize, new colour bars): their geometry changed. */
  onLayout: (() => void) | undefined;
  private settingCrosshair = false;
  /** Whether this pane draws no 3D tile (then its three slices fill the canvas without one). */
  private noRenderTile = false;
  private layoutKey = '';
  /** Whether a shown layer has a colour bar (then its title needs room too). */
  private withBars = false;
  private sceneVersion = 0;
  /** What each shown layer is (kind and grid) and the data it holds, to update in place when only values change. */
  private shown: { key: string; data: Float32Array | Uint8Array | Int16Array; style: string }[] = [];
  /** NiiVue's header of each grid shown (from a one-voxel image). */
  private readonly grids = new Map<string, NVImage>();

  private constructor(nv: Niivue) {
    this.nv = nv;
    // Ours runs first (a capture listener on the target) and keeps NiiVue's own arrow keys (4D frames) out.
    nv.canvas?.addEventListener('keydown', (e) => this.onKey(e), { capture: true });
    // After NiiVue's own handler has recorded the tile: the canvas says which plane has the keys.
    nv.canvas?.addEventListener('pointerup', () => nv.canvas && (nv.canvas.dataset.plane = this.focusedPlane));
    nv.onLocationChange = (loc: unknown) => {
      // Only a pane with focus was moved by the user. NiiVue's own sync also fires this event on the
      // other panes; taking those as moves would bounce the crosshair between panes forever.
      if (this.settingCrosshair || !nv.canvas?.matches(':focus')) return;
      const mm = (loc as { mm?: ArrayLike<number> }).mm;
      if (mm) this.onUserMove?.([mm[0]!, mm[1]!, mm[2]!]);
    };
  }

  /**
   * `render3d` adds NiiVue's volume rendering tile: lovely on a GPU, but seconds a frame on a software
   * rasteriser, so side-by-side panes leave it out.
   */
  static async create(canvas: HTMLCanvasElement, render3d: boolean): Promise<ViewerPane> {
    const nv = new Niivue({
      multiplanarShowRender: render3d ? SHOW_RENDER.AUTO : SHOW_RENDER.NEVER,
      backColor: [0.07, 0.08, 0.1, 1],
      crosshairColor: [0.2, 0.9, 0.4, 0.9],
      // A gap at the crosshair's centre: a 4 mm sphere there (Berry et al.'s ROIs) shows through.
      crosshairGap: CROSSHAIR_GAP_PX,
      isColorbar: true,
      show3Dcrosshair: false,
      loadingText: 'drop or open a map',
      logLevel: 'error',
      isResizeCanvas: true,
    });
    await nv.attachToCanvas(canvas);
    // Volume rendering costs seconds a frame on a software rasteriser (SwiftShader, llvmpipe), and
    // steals the cores the analysis needs: the 3D tile is for real GPUs.
    const software = softwareGl(nv);
    if (render3d && software) nv.opts.multiplanarShowRender = SHOW_RENDER.NEVER;
    nv.setSliceType(SLICE_TYPE.MULTIPLANAR);
    const pane = new ViewerPane(nv);
    // Without the 3D tile a 2 x 2 grid would keep one quarter empty: fitLayout lays the three slices out without it.
    if (!render3d || software) pane.noRenderTile = true;
    // A lightbox is laid out by fitLayout too, with or without the 3D tile.
    new ResizeObserver(() => pane.fitLayout()).observe(canvas);
    return pane;
  }

  /** Replaces everything shown. Calls that overlap keep only the latest scene. */
  async show(layers: readonly Layer[], crosshair?: Mm): Promise<void> {
    const version = ++this.sceneVersion;
    const keys = layers.map(layerKey);
    const nv = this.nv;
    const prev = this.shown;
    const [first, was] = [layers[0], prev[0]];
    const keepBackground =
      !!first && !!was && prev.length === nv.volumes.length && keys[0] === was.key && first.volume.data === was.data;
    const styles = layers.map((l) => JSON.stringify(l.style));
    if (
      keys.length === prev.length &&
      layers.every(
        (l, i) => keys[i] === prev[i]!.key && l.volume.data === prev[i]!.data && styles[i] === prev[i]!.style,
      )
    ) {
      // Nothing this pane shows changed (a threshold change, seen from the difference pane; another
      // map opened): a redraw would cost a frame or more of a software renderer for the same pixels.
      const at = this.crosshair;
      if (crosshair && layers.length && !at?.every((v, k) => Math.abs(v - crosshair[k]!) < 1e-3))
        this.setCrosshair(crosshair);
      return;
    }
    if (keepBackground && keys.length === prev.length && keys.every((k, i) => k === prev[i]!.key)) {
      // Same layers on the same grids (a threshold change): swap the values in place. Reloading
      // would re-parse every volume on the page's thread, seconds at 1 mm on a software renderer.
      layers.forEach((l, i) => {
        if (l.volume.data !== prev[i]!.data) nv.volumes[i]!.img = l.volume.data;
        applyStyle(nv.volumes[i]!, l);
      });
    } else {
      const start = keepBackground ? 1 : 0;
      const images = await Promise.all(layers.slice(start).map((l) => this.image(l)));
      if (version !== this.sceneVersion) return;
      nv.volumes = keepBackground ? [nv.volumes[0]!, ...images] : images;
      nv.back = nv.volumes[0] ?? null;
      nv.overlays = nv.volumes.slice(1);
      this.forgetGrids(keys);
    }
    // With no overlays left, refreshing none would leave NiiVue's last overlay texture on screen.
    const fewer = layers.length < prev.length;
    this.shown = layers.map((l, i) => ({ key: keys[i]!, data: l.volume.data, style: styles[i]! }));
    this.withBars = layers.some((l) => l.colorbar);
    if (keepBackground && !(fewer && layers.length === 1)) this.refreshOverlays();
    else {
      this.fitLayout(false);
      nv.updateGLVolume();
      // Again with the colour bars' real height, now drawn (a redraw only if the layout changes).
      this.fitLayout();
    }
    if (crosshair && layers.length) this.setCrosshair(crosshair);
  }

  /**
   * Three slices laid out to draw them largest on this canvas, with no empty tile: in a row, in a
   * column, or one large slice beside (or above) the other two (NiiVue's own choice is among row,
   * column and a 2 x 2 grid whose fourth tile stays empty without a 3D render).
   */
  private fitLayout(draw = true): void {
    const nv = this.nv;
    const canvas = nv.canvas;
    if ((!this.noRenderTile && !this.lightboxZ) || !canvas) return;
    const tiles = fitTiles(nv, canvas, this.withBars, this.lightboxZ);
    const key = JSON.stringify(tiles);
    if (key === this.layoutKey) return;
    this.layoutKey = key;
    nv.customLayout = tiles;
    if (draw && nv.volumes.length) nv.drawScene();
    this.onLayout?.();
  }

  /**
   * Re-renders the overlays over an unchanged background. NiiVue's updateGLVolume would also redo
   * the background and its gradient texture (for volume rendering): at 1 mm on a software renderer,
   * 1.9 s of a 2.9 s refresh, for nothing when only a threshold moved.
   */
  private refreshOverlays(): void {
    const nv = this.nv;
    for (let i = 1; i < nv.volumes.length; i++) nv.refreshLayers(nv.volumes[i]!, i);
    nv.drawScene();
  }

  /**
   * A layer as a NiiVue image holding our array itself: no NIfTI round trip, no copy. Its header comes
   * from NiiVue's own parse of a one-voxel NIfTI from our writer with the layer's affine, so NiiVue
   * places it exactly where we analysed it.
   */
  private async image(layer: Layer): Promise<NVImage> {
    const grid = gridKey(layer);
    let header = this.grids.get(grid);
    if (!header) {
      const v = layer.volume;
      header = await NVImage.loadFromUrl({
        url: writeNifti1({ ...v, dims: [1, 1, 1], frames: 1, frame: 0, data: new Float32Array(1) }),
        name: 'grid.nii',
      });
      this.grids.set(grid, header);
    }
    return derivedImage(header, layer);
  }

  /** Drops the headers of grids no longer shown. */
  private forgetGrids(keys: readonly string[]): void {
    const live = new Set(keys.map((k) => k.slice(k.indexOf('|') + 1)));
    for (const g of [...this.grids.keys()]) if (!live.has(g)) this.grids.delete(g);
  }

  /** Whether the pane shows a lightbox (many axial slices) instead of its three planes. */
  private lightbox = false;
  /** The lightbox's slices (z in mm), while it is shown. */
  private lightboxZ: number[] | null = null;

  /** Many axial slices through the background, laid out above the colour bars, or back to the three planes. */
  setLightbox(on: boolean): void {
    if (on === this.lightbox) return;
    this.lightbox = on;
    const back = this.nv.back;
    // The background's z extent in mm, from its bottom and top slices (the grid may run either way).
    const z = back ? [this.nv.frac2mm([0.5, 0.5, 0])[2]!, this.nv.frac2mm([0.5, 0.5, 1])[2]!] : [];
    this.lightboxZ = on && back ? lightboxSlices(Math.min(...z), Math.max(...z)) : null;
    // NiiVue's own layout again (with its 3D tile) where ours was only for the lightbox.
    if (!this.lightboxZ && !this.noRenderTile) this.nv.customLayout = [];
    this.layoutKey = '';
    this.fitLayout(false);
    if (this.nv.volumes.length) this.nv.drawScene();
    this.onLayout?.();
  }

  /**
   * Where the slices were last drawn, and where the colour bars begin, in CSS px from the canvas's
   * top left: what a reader (or a test) checks to see that no slice runs under a colour bar.
   */
  geometry(): { slices: [number, number, number, number][]; barsTop: number | null; sliceMm: number[] | null } {
    const c = this.nv.canvas;
    const gl = this.nv.gl;
    if (!c || !gl || !c.clientHeight) return { slices: [], barsTop: null, sliceMm: null };
    const px = gl.canvas.height / c.clientHeight;
    const slices = this.nv.screenSlices.map(
      (t) => t.leftTopWidthHeight.map((v) => +(v / px).toFixed(1)) as [number, number, number, number],
    );
    const bars =
      this.withBars && this.nv.opts.isColorbar && this.nv.colorbarHeight > 0
        ? +(c.clientHeight - this.nv.colorbarHeight / px).toFixed(1)
        : null;
    // A lightbox's tiles, in drawing order, show these axial slices (mm): their labels.
    return { slices, barsTop: bars, sliceMm: this.lightboxZ };
  }

  /**
   * The plane the arrow keys move in: the slice last clicked in this pane (NiiVue records its tile),
   * else the axial one, as in FSLeyes and MRIcroGL.
   */
  get focusedPlane(): Plane {
    const tile = this.nv.screenSlices[this.nv.uiData.clickedTile]?.axCorSag;
    return tile === SLICE_TYPE.CORONAL ? 'coronal' : tile === SLICE_TYPE.SAGITTAL ? 'sagittal' : 'axial';
  }

  /** Arrow keys move the crosshair one voxel within the focused slice, Page Up/Down one slice through it. */
  private onKey(e: KeyboardEvent): void {
    const step = KEY_STEPS[this.focusedPlane][e.key];
    if (!step || e.altKey || e.ctrlKey || e.metaKey || !this.nv.volumes.length) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    if (this.nv.canvas) this.nv.canvas.dataset.plane = this.focusedPlane;
    // Through the background's RAS voxel grid: Right is +x (NiiVue draws neurological, left on the left).
    this.nv.moveCrosshairInVox(...step);
  }

  setCrosshair(mm: Mm): void {
    if (!this.nv.volumes.length) return;
    this.settingCrosshair = true;
    try {
      this.nv.scene.crosshairPos = this.nv.mm2frac(mm);
      this.nv.drawScene();
      this.nv.createOnLocationChange();
    } finally {
      this.settingCrosshair = false;
    }
  }

  get crosshair(): Mm | undefined {
    if (!this.nv.volumes.length) return undefined;
    const mm = this.nv.frac2mm(this.nv.scene.crosshairPos);
    return [mm[0]!, mm[1]!, mm[2]!];
  }

  /** Resolves once the GPU has drawn what was asked so far, without blocking the page: a WebGL fence, polled. */
  whenDrawn(): Promise<void> {
    const gl = this.nv.gl;
    const fence = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    if (!fence) return Promise.resolve();
    gl.flush();
    return new Promise((resolve) => {
      const poll = (): void => {
        if (gl.getSyncParameter(fence, gl.SYNC_STATUS) !== gl.SIGNALED) return void setTimeout(poll, FENCE_POLL_MS);
        gl.deleteSync(fence);
        resolve();
      };
      poll();
    });
  }

  /** Returns once the GPU has drawn everything asked of it (a one-pixel read waits for the queue). */
  drawn(): void {
    const gl = this.nv.gl;
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  }

  /** The pane as a PNG data URL (drawn and read in one task, so the buffer is still there). */
  png(): string {
    this.nv.drawScene();
    return (this.nv.canvas as HTMLCanvasElement).toDataURL('image/png');
  }

  syncWith(others: ViewerPane[]): void {
    this.nv.broadcastTo(
      others.map((o) => o.nv),
      { '2d': true, '3d': true },
    );
  }
}

/** The crosshair's lines stop this many pixels short of its centre. */
const CROSSHAIR_GAP_PX = 10;
/** How often a fence is checked (a frame at 60 Hz). */
const FENCE_POLL_MS = 16;

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

function softwareGl(nv: Niivue): boolean {
  const gl = nv.gl;
  if (!gl) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  return SOFTWARE_RENDERERS.test(renderer);
}
