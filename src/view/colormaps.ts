/**
 * The colour maps of every pane (NiiVue's names), and what they look like in words: the demo's
 * captions read their colours from here, so a caption never names a colour the panes do not draw.
 * (No NiiVue import: captions are built in Node too.)
 */
export const POSITIVE_COLORMAP = 'warm';
/** Blue to cyan: never the crosshair's green. */
export const NEGATIVE_COLORMAP = 'cool';
export const SIGNED_COLORMAP = 'warm';
export const MASK_COLORMAP = 'green';

const WORDS: Record<string, string> = { warm: 'red to yellow', cool: 'blue', winter: 'blue to green', green: 'green', gray: 'grey' };

/** How a colour map looks, in a word or two, for captions. */
export function colourWords(colormap: string): string {
  return WORDS[colormap] ?? colormap;
}
