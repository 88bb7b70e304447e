/**
 * The colour maps of a figure: the panes' own (NiiVue's `warm` above the threshold, `winter` below
 * minus the threshold, `gray` for the background), so a figure reads as the page does.
 */

/** Control points of a colour map, as NiiVue's JSON colour maps hold them (I: the index 0..255 of each). */
interface ControlPoints {
  readonly R: readonly number[];
  readonly G: readonly number[];
  readonly B: readonly number[];
  readonly I: readonly number[];
}

/** NiiVue 0.69's src/cmaps/warm.json and winter.json (their alpha ramp is not used: a figure's overlay is opaque). */
const WARM: ControlPoints = { R: [255, 255, 255], G: [127, 196, 254], B: [0, 0, 0], I: [0, 128, 255] };
const WINTER: ControlPoints = { R: [0, 0, 0], G: [0, 128, 255], B: [255, 196, 128], I: [0, 128, 255] };

export type ColourMapName = 'warm' | 'winter';

/** 256 RGB entries, linear between control points (as NiiVue's makeLut). */
function lut(cm: ControlPoints): Uint8ClampedArray {
  const out = new Uint8ClampedArray(256 * 3);
  for (let p = 0; p + 1 < cm.I.length; p++) {
    const a = cm.I[p]!;
    const b = cm.I[p + 1]!;
    for (let i = a; i <= b; i++) {
      const f = b === a ? 0 : (i - a) / (b - a);
      out[3 * i] = Math.round(cm.R[p]! + f * (cm.R[p + 1]! - cm.R[p]!));
      out[3 * i + 1] = Math.round(cm.G[p]! + f * (cm.G[p + 1]! - cm.G[p]!));
      out[3 * i + 2] = Math.round(cm.B[p]! + f * (cm.B[p + 1]! - cm.B[p]!));
    }
  }
  return out;
}

export const LUTS: Record<ColourMapName, Uint8ClampedArray> = { warm: lut(WARM), winter: lut(WINTER) };

/**
 * The LUT entry of |value| on a map coloured from `threshold` (entry 0) to `max` (entry 255), as
 * NiiVue maps an overlay between cal_min and cal_max.
 */
export function lutIndex(absValue: number, threshold: number, max: number): number {
  const span = max - threshold;
  const f = span > 0 ? (absValue - threshold) / span : 1;
  return Math.min(255, Math.max(0, Math.round(f * 255)));
}

/** `#rrggbb` of a LUT entry. */
export function lutColour(name: ColourMapName, index: number): string {
  const t = LUTS[name];
  const hex = (v: number): string => v.toString(16).padStart(2, '0');
  return `#${hex(t[3 * index]!)}${hex(t[3 * index + 1]!)}${hex(t[3 * index + 2]!)}`;
}

/** Colour stops of a LUT, from entry 0 to 255, for a gradient (the control points are where it bends). */
export function lutStops(name: ColourMapName): { offset: number; colour: string }[] {
  const cm = name === 'warm' ? WARM : WINTER;
  return cm.I.map((i) => ({ offset: i / 255, colour: lutColour(name, i) }));
}
