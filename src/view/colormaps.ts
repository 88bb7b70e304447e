/**
 * The colour maps of every pane (NiiVue's names), and what they look like in words: the demo's
 * captions read their colours from here, so a caption never names a colour the panes do not draw.
 * (No NiiVue import: captions are built in Node too.)
 */
export const POSITIVE_COLORMAP = 'warm';
/** Blue to cyan: never the crosshair's green. */
export const NEGATIVE_COLORMAP = 'cool';
export const SIGNED_COLORMAP = 'warm';
/**
 * ROI markers: opaque magenta, a colour no stat colour map and not the crosshair uses, drawn as a
 * two-entry label colour map (NiiVue's gradient maps fade towards transparent).
 */
export const MASK_COLORMAP = 'violet';
export const MASK_LABELS = { I: [0, 1], R: [0, 255], G: [0, 40], B: [0, 255], A: [0, 255], labels: ['', 'ROI'] };

const WORDS: Record<string, string> = {
  warm: 'red to yellow',
  cool: 'blue',
  winter: 'blue to green',
  green: 'green',
  violet: 'magenta',
  gray: 'grey',
};

/** How a colour map looks, in a word or two, for captions. */
export function colourWords(colormap: string): string {
  return WORDS[colormap] ?? colormap;
}
