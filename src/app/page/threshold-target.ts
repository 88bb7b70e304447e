import { drawableWithoutGrf, thresholdProblem, type ThresholdSettings } from '../../analysis/threshold-settings';
import { isStatMap, type MapEntry } from '../maps/maps';
import { comparedPair } from './analyzer';
import type { PageState } from './page-state';

type Shown = Pick<PageState, 'maps' | 'selectedId' | 'compare'>;

/** The stat map the threshold applies to (the pre map in a comparison), or the atlas shown instead. */
function thresholdTarget(s: Shown): { map: MapEntry | undefined; atlas: MapEntry | undefined } {
  const pair = comparedPair(s);
  const selected = (is: (m: MapEntry) => boolean) => s.maps.find((m) => m.id === s.selectedId && is(m));
  return {
    map: pair ? pair[0] : selected(isStatMap),
    atlas: pair ? undefined : selected((m) => m.kind.kind === 'label'),
  };
}

/** Why the page's threshold cannot be used on the shown map, or null. */
export function pageThresholdProblem(s: Shown & Pick<PageState, 'settings'>): string | null {
  const { map, atlas } = thresholdTarget(s);
  if (atlas) return `${atlas.volume.name} is a label atlas: it is shown in its label colours and never thresholded.`;
  return thresholdProblem(s.settings, map?.kind, map?.volume.name);
}

/**
 * The settings the analyses run with: the page's when they can be used; while only a typed FWHM or
 * resels value is refused, or a "GRF p < α" extent asked where GRF withholds its p (the panel says
 * why), the same height without GRF p, so the map stays drawn; null when the table must be withdrawn.
 */
export function drawableSettings(s: Shown & Pick<PageState, 'settings'>): ThresholdSettings | null {
  if (!pageThresholdProblem(s)) return s.settings;
  const { map, atlas } = thresholdTarget(s);
  return atlas ? null : drawableWithoutGrf(s.settings, map?.kind, map?.volume.name);
}
