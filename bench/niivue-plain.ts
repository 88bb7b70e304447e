// The B4 peer: NiiVue loading a map by URL and drawing it, nothing else. Loaded into a blank tab of
// the dev server (bench/browser-benches.ts), on its own canvas.
import { Niivue } from '@niivue/niivue';

async function load(url: string): Promise<number> {
  const nv = new Niivue({ logLevel: 'error' });
  const canvas = document.createElement('canvas');
  canvas.style.cssText = 'position:fixed;inset:0;width:800px;height:600px';
  document.body.replaceChildren(canvas);
  await nv.attachToCanvas(canvas);
  const t0 = performance.now();
  await nv.loadVolumes([{ url }]);
  nv.drawScene();
  // Until the pixels exist: WebGL returns before the GPU (here SwiftShader) has drawn them.
  nv.gl.readPixels(0, 0, 1, 1, nv.gl.RGBA, nv.gl.UNSIGNED_BYTE, new Uint8Array(4));
  return performance.now() - t0;
}

(window as unknown as { niivueLoad: typeof load }).niivueLoad = load;

/**
 * The redraw peer: NiiVue showing the map, its threshold moved as NiiVue's own API does it (cal_min,
 * then updateGLVolume), each change timed until its pixels exist. Returns the times in ms.
 */
async function redraw(url: string, thresholds: number[]): Promise<number[]> {
  const nv = new Niivue({ logLevel: 'error' });
  const canvas = document.createElement('canvas');
  canvas.style.cssText = 'position:fixed;inset:0;width:800px;height:600px';
  document.body.replaceChildren(canvas);
  await nv.attachToCanvas(canvas);
  await nv.loadVolumes([{ url, colormap: 'warm' }]);
  const gl = nv.gl;
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  const out: number[] = [];
  for (const t of thresholds) {
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    nv.volumes[0]!.cal_min = t;
    nv.updateGLVolume();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    out.push(performance.now() - t0);
  }
  return out;
}

(window as unknown as { niivueRedraw: typeof redraw }).niivueRedraw = redraw;
