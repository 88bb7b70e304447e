import { lutStops } from '../figure/figure-colors';
import { pngWithDpi } from '../figure/figure-export';
import { figurePixels, figurePixelSize, type FigureInput, type FigureLayout } from '../figure/figure-layout';
import type { Raster } from '../figure/figure-slices';

const FONT = 'Helvetica, Arial, sans-serif';

/** A raster on a canvas of its own (so its transparent pixels let the figure's colour through when drawn). */
function rasterCanvas(r: Raster): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = r.width;
  c.height = r.height;
  c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(r.rgba), r.width, r.height), 0, 0);
  return c;
}

/** Draws a laid-out figure at `dpi` on `canvas` (resized to the figure's pixels). */
export function drawFigure(canvas: HTMLCanvasElement, input: FigureInput, layout: FigureLayout, dpi: number): void {
  const { width, height, scale } = figurePixelSize(layout, dpi);
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = layout.paper;
  ctx.fillRect(0, 0, width, height);
  for (const p of figurePixels(input, layout, dpi)) ctx.drawImage(rasterCanvas(p.raster), p.x, p.y);
  for (const b of layout.bar) {
    const g =
      b.zeroAt === 'bottom'
        ? ctx.createLinearGradient(0, (b.y + b.h) * scale, 0, b.y * scale)
        : ctx.createLinearGradient(0, b.y * scale, 0, (b.y + b.h) * scale);
    for (const s of lutStops(b.map)) g.addColorStop(s.offset, s.colour);
    ctx.fillStyle = g;
    ctx.fillRect(b.x * scale, b.y * scale, b.w * scale, b.h * scale);
  }
  ctx.strokeStyle = layout.ink;
  ctx.lineWidth = 0.5 * scale;
  for (const t of layout.ticks) {
    ctx.beginPath();
    ctx.moveTo(t.x1 * scale, t.y * scale);
    ctx.lineTo(t.x2 * scale, t.y * scale);
    ctx.stroke();
  }
  for (const t of layout.texts) {
    ctx.save();
    ctx.translate(t.x * scale, t.y * scale);
    if (t.rotate) ctx.rotate((t.rotate * Math.PI) / 180);
    ctx.font = `${t.bold ? 'bold ' : ''}${t.size * scale}px ${FONT}`;
    ctx.textAlign = t.anchor === 'start' ? 'left' : t.anchor === 'end' ? 'right' : 'center';
    if (t.outlined) {
      ctx.strokeStyle = '#000000';
      ctx.lineWidth = (t.size / 5) * scale;
      ctx.lineJoin = 'round';
      ctx.strokeText(t.text, 0, 0);
      ctx.fillStyle = '#ffffff';
    } else ctx.fillStyle = layout.ink;
    ctx.fillText(t.text, 0, 0);
    ctx.restore();
  }
}

/** The figure as PNG bytes at `dpi`, saying its DPI. */
export async function figurePng(
  input: FigureInput,
  layout: FigureLayout,
  dpi: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const canvas = document.createElement('canvas');
  drawFigure(canvas, input, layout, dpi);
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('The figure is too large to encode as PNG.'))),
      'image/png',
    ),
  );
  return pngWithDpi(new Uint8Array(await blob.arrayBuffer()), dpi);
}

/** Each pane's pixels at `dpi` as a PNG data URL (the SVG's images). */
export function paneDataUrls(input: FigureInput, layout: FigureLayout, dpi: number): string[] {
  return figurePixels(input, layout, dpi).map((p) => rasterCanvas(p.raster).toDataURL('image/png'));
}
