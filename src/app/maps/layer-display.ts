import type { MapEntry } from './maps';

/** How the user wants one layer drawn; unset fields follow the map's kind and threshold. */
export interface LayerDisplay {
  /** NiiVue colour map of positive values (a label atlas: its label colours, ignored). */
  readonly colormap?: string;
  /** NiiVue colour map of negative values. */
  readonly colormapNegative?: string;
  /** Display range: values at min get the map's first colour, at max its last. */
  readonly min?: number;
  readonly max?: number;
  /** Negative values drawn with the negative colour map over −min..−max. */
  readonly symmetric?: boolean;
  readonly opacity?: number;
  readonly visible?: boolean;
  /** A label atlas as outlines of its regions instead of filled. */
  readonly outline?: boolean;
}

/** The overlays a pane stacks over its background, bottom first, by role. */
export type OverlayRole = 'stat' | 'contribution' | 'atlas';
export const DEFAULT_OVERLAY_ORDER: readonly OverlayRole[] = ['stat', 'contribution', 'atlas'];

/**
 * Which layer a setting is for: a map by id (its statistic overlay, background or atlas look), or
 * one of the derived overlays.
 */
export type LayerId = `map:${number}` | 'difference' | 'contribution';

export const mapLayer = (id: number): LayerId => `map:${id}`;

/** Positive colour maps offered (NiiVue's names): the warm/cool pair first, then perceptual maps. */
export const POSITIVE_COLORMAPS = [
  'warm',
  'hot',
  'red',
  'redyell',
  'plasma',
  'viridis',
  'inferno',
  'magma',
  'cividis',
  'gray',
] as const;
/** Negative colour maps: none of them passes through the crosshair's green or the ROI markers' violet. */
export const NEGATIVE_COLORMAPS = ['cool', 'blue', 'electric_blue', 'blue2cyan'] as const;
export const BACKGROUND_COLORMAPS = ['gray', 'bone', 'hot', 'viridis'] as const;

export const DEFAULT_POSITIVE = 'warm';
export const DEFAULT_NEGATIVE = 'cool';
/**
 * The w × x overlay's own diverging pair, unlike any map's warm/cool, so a contribution is never read
 * as the map's statistic where both show.
 */
export const CONTRIBUTION_POSITIVE = 'plasma';
export const CONTRIBUTION_NEGATIVE = 'electric_blue';

/** The display with the user's change merged; a range the user clears (NaN) goes back to automatic. */
export function mergeDisplay(d: LayerDisplay | undefined, patch: LayerDisplay): LayerDisplay {
  const out: { -readonly [K in keyof LayerDisplay]: LayerDisplay[K] } = { ...d, ...patch };
  if (out.min !== undefined && !Number.isFinite(out.min)) delete out.min;
  if (out.max !== undefined && !Number.isFinite(out.max)) delete out.max;
  return out;
}

/** Why a display range is not usable, or null. */
export function displayProblem(d: LayerDisplay): string | null {
  if (d.min !== undefined && d.max !== undefined && !(d.max > d.min))
    return `The display range needs max above min (got ${d.min} to ${d.max}).`;
  if (d.opacity !== undefined && !(d.opacity >= 0 && d.opacity <= 1)) return 'Opacity is between 0 and 1.';
  return null;
}

/** A map shown over the shown map in the single view, at its own threshold (|value| ≥ threshold), in its own colours. */
export interface ExtraOverlay {
  readonly id: number;
  readonly threshold: number;
}

/** The colour maps extra overlays get, in turn, unless the user chose one: none is the shown map's warm. */
export const EXTRA_COLORMAPS = ['viridis', 'plasma', 'cividis', 'magma'] as const;
export const EXTRA_NEGATIVE = 'blue2cyan';

/**
 * The extra overlays that are drawn, in drawing order with the maps they show: a map still loaded,
 * not the shown one, not anatomy or an atlas. The scene and the layers panel list the same ones, so
 * the k-th gets EXTRA_COLORMAPS[k] in both.
 */
export function drawnExtras(
  maps: readonly MapEntry[],
  extras: readonly ExtraOverlay[] | undefined,
  shownId: number | undefined,
): { entry: MapEntry; threshold: number }[] {
  return (extras ?? []).flatMap((o) => {
    const entry = maps.find((m) => m.id === o.id && m.id !== shownId && !m.anatomy && m.kind.kind !== 'label');
    return entry ? [{ entry, threshold: o.threshold }] : [];
  });
}

/** The colour maps the k-th extra overlay is drawn in unless the user chose others. */
export function extraColours(k: number): { colormap: string; colormapNegative: string } {
  return { colormap: EXTRA_COLORMAPS[k % EXTRA_COLORMAPS.length]!, colormapNegative: EXTRA_NEGATIVE };
}
