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
