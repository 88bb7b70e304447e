import { lutStops } from './figure-colors';
import type { ColourbarSegment, FigureLayout, FigureText } from './figure-layout';

/** Text as SVG/XML character data: a file or map named like markup stays text. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const FONT = 'Helvetica, Arial, sans-serif';
const n = (v: number): string => String(Math.round(v * 100) / 100);

/**
 * The figure as SVG, in points: text, ticks and the colour bar as vectors; each pane's pixels (slices
 * are images by nature) as an embedded PNG, `paneHrefs[k]` (a data: URL) for pane k.
 */
export function figureSvg(layout: FigureLayout, paneHrefs: readonly string[]): string {
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(layout.widthPt)}pt" height="${n(layout.heightPt)}pt" viewBox="0 0 ${n(layout.widthPt)} ${n(layout.heightPt)}">`,
  );
  parts.push(`<defs>${layout.bar.map((b, k) => gradient(b, k)).join('')}</defs>`);
  parts.push(`<rect width="100%" height="100%" fill="${layout.paper}"/>`);
  layout.panes.forEach((p, k) => {
    const href = paneHrefs[k];
    if (href)
      parts.push(
        `<image x="${n(p.x)}" y="${n(p.y)}" width="${n(p.w)}" height="${n(p.h)}" preserveAspectRatio="none" href="${escapeXml(href)}"/>`,
      );
  });
  layout.glass.forEach((p, j) => {
    const href = paneHrefs[layout.panes.length + j];
    if (href)
      parts.push(
        `<image x="${n(p.x)}" y="${n(p.y)}" width="${n(p.w)}" height="${n(p.h)}" preserveAspectRatio="none" href="${escapeXml(href)}"/>`,
      );
  });
  layout.bar.forEach((b, k) =>
    parts.push(`<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.w)}" height="${n(b.h)}" fill="url(#bar${k})"/>`),
  );
  for (const t of layout.ticks)
    parts.push(
      `<line x1="${n(t.x1)}" y1="${n(t.y)}" x2="${n(t.x2)}" y2="${n(t.y)}" stroke="${layout.ink}" stroke-width="0.5"/>`,
    );
  for (const t of layout.texts) parts.push(text(t, layout.ink));
  parts.push('</svg>');
  return parts.join('\n');
}

function gradient(b: ColourbarSegment, k: number): string {
  // Entry 0 of the LUT at the segment's threshold end.
  const [y1, y2] = b.zeroAt === 'bottom' ? ['1', '0'] : ['0', '1'];
  const stops = lutStops(b.map)
    .map((s) => `<stop offset="${n(s.offset)}" stop-color="${s.colour}"/>`)
    .join('');
  return `<linearGradient id="bar${k}" x1="0" y1="${y1}" x2="0" y2="${y2}">${stops}</linearGradient>`;
}

function text(t: FigureText, ink: string): string {
  const anchor = t.anchor === 'start' ? '' : ` text-anchor="${t.anchor}"`;
  const weight = t.bold ? ' font-weight="bold"' : '';
  const rotate = t.rotate ? ` transform="rotate(${t.rotate} ${n(t.x)} ${n(t.y)})"` : '';
  const outline = t.outlined ? ` stroke="#000000" stroke-width="${n(t.size / 5)}" paint-order="stroke"` : '';
  const fill = t.outlined ? '#ffffff' : ink;
  return `<text x="${n(t.x)}" y="${n(t.y)}" font-family="${FONT}" font-size="${n(t.size)}"${anchor}${weight}${rotate}${outline} fill="${fill}">${escapeXml(t.text)}</text>`;
}

/** CRC-32 (ISO 3309, as PNG's chunks use). */
function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const METRES_PER_INCH = 0.0254;

/**
 * A PNG that says its DPI: a pHYs chunk (pixels per metre, unit 1) right after IHDR, replacing any
 * there was, so a journal's or an editor's reading of the figure's size matches the DPI chosen.
 */
export function pngWithDpi(png: Uint8Array, dpi: number): Uint8Array<ArrayBuffer> {
  if (png.length < 33 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) throw new Error('Not a PNG.');
  const ppm = Math.round(dpi / METRES_PER_INCH);
  const chunk = new Uint8Array(21);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, 9);
  chunk.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
  view.setUint32(8, ppm);
  view.setUint32(12, ppm);
  chunk[16] = 1;
  view.setUint32(17, crc32(chunk.subarray(4, 17)));
  // Chunks after the signature: keep each but any pHYs; the new one goes after IHDR (the first).
  const kept: Uint8Array[] = [png.subarray(0, 8)];
  let at = 8;
  const src = new DataView(png.buffer, png.byteOffset, png.byteLength);
  while (at + 12 <= png.length) {
    const len = src.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const end = at + 12 + len;
    if (end > png.length) throw new Error('The PNG is truncated.');
    if (type !== 'pHYs') kept.push(png.subarray(at, end));
    if (type === 'IHDR') kept.push(chunk);
    at = end;
  }
  const out = new Uint8Array(kept.reduce((s, b) => s + b.length, 0));
  let o = 0;
  for (const b of kept) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}
