import { Niivue, NVImage, SHOW_RENDER, SLICE_TYPE } from '@niivue/niivue';
import { writeNifti1 } from '../nifti';
// Colour scheme of every pane, so side-by-side panes read the same (and captions name the same colours).
import { MASK_COLORMAP, MASK_LABELS, NEGATIVE_COLORMAP, POSITIVE_COLORMAP, SIGNED_COLORMAP } from './colormaps';
import type { Layer } from './layers';
import { chooseLayout, layoutTiles, lightboxSlices, lightboxTiles } from './multiplanar';

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
    const back = nv.back;
    const d = back?.dimsRAS;
    const p = back?.pixDimsRAS;
    // Extents in mm (x, y, z); an unloaded pane assumes MNI's 182 x 218 x 182.
    const ext: [number, number, number] = d && p ? [d[1]! * p[1]!, d[2]! * p[2]!, d[3]! * p[3]!] : [182, 218, 182];
    // The colour bars and their titles (HTML over the canvas, src/ui/view-styles.ts) take the bottom of the canvas:
    // the bars' height as last drawn (a tenth before the first draw), at least the titles' reserve.
    const h0 = canvas.clientHeight || 1;
    const barsDrawn = nv.opts.isColorbar
      ? nv.colorbarHeight > 0 && nv.gl
        ? nv.colorbarHeight / nv.gl.canvas.height
        : COLORBAR_GUESS
      : 0;
    const titles = nv.opts.isColorbar && this.withBars ? (BAR_TITLE_RESERVE_REM * rootFontPx()) / h0 : 0;
    const bars = Math.min(0.5, Math.max(barsDrawn, titles));
    const w = canvas.clientWidth || 1;
    const tiles = this.lightboxZ
      ? lightboxTiles(this.lightboxZ, ext, w, h0, 1 - bars)
      : layoutTiles(chooseLayout(ext, w, h0 * (1 - bars)), ext, 1 - bars);
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

export type Plane = 'axial' | 'coronal' | 'sagittal';

/**
 * One voxel per key in RAS voxels (x right, y anterior, z superior), by the plane that has the keys:
 * the arrows move within it as it is drawn (up is anterior in axial, superior in coronal and
 * sagittal; NiiVue's sagittal has the nose on the right), Page Up/Down step along its normal.
 */
const KEY_STEPS: Record<Plane, Record<string, [number, number, number]>> = {
  axial: {
    ArrowLeft: [-1, 0, 0],
    ArrowRight: [1, 0, 0],
    ArrowUp: [0, 1, 0],
    ArrowDown: [0, -1, 0],
    PageUp: [0, 0, 1],
    PageDown: [0, 0, -1],
  },
  coronal: {
    ArrowLeft: [-1, 0, 0],
    ArrowRight: [1, 0, 0],
    ArrowUp: [0, 0, 1],
    ArrowDown: [0, 0, -1],
    PageUp: [0, 1, 0],
    PageDown: [0, -1, 0],
  },
  sagittal: {
    ArrowLeft: [0, -1, 0],
    ArrowRight: [0, 1, 0],
    ArrowUp: [0, 0, 1],
    ArrowDown: [0, 0, -1],
    PageUp: [1, 0, 0],
    PageDown: [-1, 0, 0],
  },
};

/** The share of a pane's height its colour bars take, before NiiVue has drawn them once. */
const COLORBAR_GUESS = 0.1;
/** The crosshair's lines stop this many pixels short of its centre. */
const CROSSHAIR_GAP_PX = 10;
/**
 * The bottom of a pane kept free of slices for the colour bars and the titles over them (rem): the
 * titles sit 4.2rem above the canvas's bottom (src/ui/view-styles.ts) and are about a line high.
 */
const BAR_TITLE_RESERVE_REM = 5.5;
const rootFontPx = (): number => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

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

function gridKey(l: Layer): string {
  return `${l.volume.dims.join('x')}|${l.volume.affine.join(',')}`;
}

function layerKey(l: Layer): string {
  return `${l.style.kind}|${gridKey(l)}`;
}

interface StyleOptions {
  colormap: string;
  colormapNegative: string;
  cal_min: number;
  cal_max: number;
  opacity: number;
}

/** Colour map, range and opacity of a layer, as NiiVue options (the user's look over the defaults). */
function styleOptions(layer: Layer): StyleOptions {
  const s = layer.style;
  switch (s.kind) {
    case 'background':
      return {
        colormap: s.look?.colormap ?? 'gray',
        colormapNegative: '',
        cal_min: s.look?.min ?? NaN,
        cal_max: s.look?.max ?? NaN,
        opacity: 1,
      };
    case 'stat': {
      const lo = s.look?.min ?? s.threshold;
      return {
        colormap: s.look?.colormap ?? POSITIVE_COLORMAP,
        colormapNegative: s.twoSided ? (s.look?.colormapNegative ?? NEGATIVE_COLORMAP) : '',
        cal_min: lo,
        cal_max: Math.max(s.look?.max ?? s.max, lo * 1.0001),
        opacity: s.opacity,
      };
    }
    case 'mask':
      // ROI markers stay an overlay, on top: NiiVue's drawing layer would be cheaper, but it is drawn
      // beneath the overlays, which hides a sphere placed on a cluster's peak.
      return { colormap: MASK_COLORMAP, colormapNegative: '', cal_min: 0.5, cal_max: 1, opacity: s.opacity };
    case 'signed': {
      const lo = s.look?.min ?? s.min ?? s.max * 1e-3;
      return {
        colormap: s.look?.colormap ?? SIGNED_COLORMAP,
        colormapNegative: s.look?.colormapNegative ?? NEGATIVE_COLORMAP,
        cal_min: lo,
        cal_max: Math.max(s.look?.max ?? s.max, lo * 1.0001),
        opacity: s.opacity,
      };
    }
    case 'label':
      return { colormap: 'gray', colormapNegative: '', cal_min: 0, cal_max: 1, opacity: s.opacity };
  }
}

function applyStyle(img: NVImage, layer: Layer): void {
  const o = styleOptions(layer);
  if (layer.style.kind === 'background') {
    if (img.colormap !== o.colormap) img.colormap = o.colormap;
    if (Number.isFinite(o.cal_min)) img.cal_min = o.cal_min;
    if (Number.isFinite(o.cal_max)) img.cal_max = o.cal_max;
    return;
  }
  if (layer.style.kind === 'label' || layer.style.kind === 'mask') {
    img.setColormapLabel(layer.style.kind === 'label' ? layer.style.colours : MASK_LABELS);
    img.opacity = o.opacity;
    return;
  }
  // NiiVue rescans the whole volume's range whenever a colour map is set, even to the same one.
  if (img.colormap !== o.colormap) img.colormap = o.colormap;
  img.colormapNegative = o.colormapNegative;
  img.cal_min = o.cal_min;
  img.cal_max = o.cal_max;
  img.opacity = o.opacity;
}

/**
 * An image with the header of `grid` (a one-voxel image of the same affine) and the layer's array.
 * The fields set are those NiiVue's own parse sets for a 3D float32 (or uint8) volume. A background's grey
 * scale comes from NiiVue's range scan, as for any file it opens; an overlay's range from its style.
 */
function derivedImage(grid: NVImage, layer: Layer): NVImage {
  const v = layer.volume;
  const o = styleOptions(layer);
  const background = layer.style.kind === 'background';
  const img = new NVImage(
    null,
    v.name,
    o.colormap,
    o.opacity,
    null,
    NaN,
    NaN,
    true,
    0.02,
    false,
    false,
    o.colormapNegative,
    0,
    undefined,
    NaN,
    NaN,
    layer.colorbar,
  );
  const hdr = grid.hdr!;
  const [code, bits] = v.data instanceof Uint8Array ? [2, 8] : v.data instanceof Int16Array ? [4, 16] : [16, 32];
  // NiiVue draws integer images with intent "label" through their label colour map.
  const labels = layer.style.kind === 'label' || layer.style.kind === 'mask';
  img.hdr = {
    ...hdr,
    dims: [3, v.dims[0], v.dims[1], v.dims[2], 1, 1, 1, 1],
    datatypeCode: code,
    numBitsPerVoxel: bits,
    scl_slope: 1,
    scl_inter: 0,
    intent_code: labels ? 1002 : 0,
    cal_min: 0,
    cal_max: 0,
  } as typeof hdr;
  img.img = v.data;
  img.frame4D = 0;
  img.nFrame4D = 1;
  img.nTotalFrame4D = 1;
  img.nVox3D = v.data.length;
  img.calculateRAS();
  if (background) {
    img.calMinMax();
    if (layer.style.kind === 'background' && layer.style.look) applyStyle(img, layer);
    return img;
  }
  if (layer.style.kind === 'label' || layer.style.kind === 'mask') {
    applyStyle(img, layer);
    return img;
  }
  img.global_min = img.robust_min = Math.min(0, o.cal_min, -o.cal_max);
  img.global_max = img.robust_max = Math.max(0, o.cal_max);
  img.cal_min = o.cal_min;
  img.cal_max = o.cal_max;
  return img;
}
