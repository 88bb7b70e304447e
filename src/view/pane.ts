import { Niivue, NVImage, SHOW_RENDER, SLICE_TYPE } from '@niivue/niivue';
import { writeNifti1 } from '../nifti';
import type { Layer } from './layers';

export type Mm = [number, number, number];

/** Colour scheme of every pane, so side-by-side panes read the same. */
const POSITIVE_COLORMAP = 'warm';
const NEGATIVE_COLORMAP = 'winter';
const SIGNED_COLORMAP = 'warm';
const MASK_COLORMAP = 'green';

/**
 * One NiiVue view (WebGL2) of a background with overlays. Our maps reach NiiVue as NIfTI bytes from
 * our own writer, so NiiVue shows exactly the affine and values we analysed.
 */
export class ViewerPane {
  readonly nv: Niivue;
  /** Called when the user moves the crosshair in this pane (not when we set it). */
  onUserMove: ((mm: Mm) => void) | undefined;
  private settingCrosshair = false;
  private sceneVersion = 0;
  /** What each shown layer is (kind and grid) and the data it holds, to update in place when only values change. */
  private shown: { key: string; data: Float32Array }[] = [];

  private constructor(nv: Niivue) {
    this.nv = nv;
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
      isColorbar: true,
      show3Dcrosshair: false,
      loadingText: 'drop or open a map',
      logLevel: 'error',
      isResizeCanvas: true,
    });
    await nv.attachToCanvas(canvas);
    // Volume rendering costs seconds a frame on a software rasteriser (SwiftShader, llvmpipe), and
    // steals the cores the analysis needs: the 3D tile is for real GPUs.
    if (render3d && softwareGl(nv)) nv.opts.multiplanarShowRender = SHOW_RENDER.NEVER;
    nv.setSliceType(SLICE_TYPE.MULTIPLANAR);
    return new ViewerPane(nv);
  }

  /** Replaces everything shown. Calls that overlap keep only the latest scene. */
  async show(layers: readonly Layer[], crosshair?: Mm): Promise<void> {
    const version = ++this.sceneVersion;
    const keys = layers.map(layerKey);
    if (this.nv.volumes.length === layers.length && keys.every((k, i) => k === this.shown[i]?.key)) {
      // Same layers on the same grids (a threshold change): swap the values in place. Reloading
      // would re-parse every volume on the page's thread, seconds at 1 mm on a software renderer.
      layers.forEach((l, i) => {
        if (l.volume.data !== this.shown[i]!.data) this.nv.volumes[i]!.img = l.volume.data;
        applyStyle(this.nv.volumes[i]!, l);
      });
      this.shown = layers.map((l, i) => ({ key: keys[i]!, data: l.volume.data }));
      this.nv.updateGLVolume();
      if (crosshair) this.setCrosshair(crosshair);
      return;
    }
    const images = await Promise.all(layers.map((l, k) => toImage(l, k)));
    if (version !== this.sceneVersion) return;
    for (const v of [...this.nv.volumes]) this.nv.removeVolume(v);
    for (const img of images) this.nv.addVolume(img);
    this.shown = layers.map((l, i) => ({ key: keys[i]!, data: l.volume.data }));
    if (crosshair && images.length) this.setCrosshair(crosshair);
    else this.nv.drawScene();
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

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

function softwareGl(nv: Niivue): boolean {
  const gl = nv.gl;
  if (!gl) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  return SOFTWARE_RENDERERS.test(renderer);
}

function layerKey(l: Layer): string {
  return `${l.style.kind}|${l.volume.dims.join('x')}|${l.volume.affine.join(',')}`;
}

/** Colour map, range and opacity of a layer, as NiiVue options. */
function styleOptions(layer: Layer): { colormap: string; colormapNegative: string; cal_min: number; cal_max: number; opacity: number } {
  const s = layer.style;
  switch (s.kind) {
    case 'background':
      return { colormap: 'gray', colormapNegative: '', cal_min: NaN, cal_max: NaN, opacity: 1 };
    case 'stat':
      return { colormap: POSITIVE_COLORMAP, colormapNegative: s.twoSided ? NEGATIVE_COLORMAP : '', cal_min: s.threshold, cal_max: Math.max(s.max, s.threshold * 1.0001), opacity: s.opacity };
    case 'mask':
      return { colormap: MASK_COLORMAP, colormapNegative: '', cal_min: 0.5, cal_max: 1, opacity: s.opacity };
    case 'signed':
      return { colormap: SIGNED_COLORMAP, colormapNegative: NEGATIVE_COLORMAP, cal_min: s.max * 1e-3, cal_max: s.max, opacity: s.opacity };
  }
}

function applyStyle(img: NVImage, layer: Layer): void {
  if (layer.style.kind === 'background') return;
  const o = styleOptions(layer);
  img.colormap = o.colormap;
  img.colormapNegative = o.colormapNegative;
  img.cal_min = o.cal_min;
  img.cal_max = o.cal_max;
  img.opacity = o.opacity;
}

async function toImage(layer: Layer, k: number): Promise<NVImage> {
  const base = { url: writeNifti1(layer.volume), name: `${k}-${layer.volume.name.replace(/\.(nii|hdr|img)(\.gz)?$/i, '')}.nii`, colorbarVisible: layer.colorbar };
  const o = styleOptions(layer);
  return NVImage.loadFromUrl(layer.style.kind === 'background' ? { ...base, colormap: 'gray' } : { ...base, ...o });
}
