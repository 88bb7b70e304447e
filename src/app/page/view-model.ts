import { comparedPair } from './analyzer';
import { figureSource, type FigureSource } from './figure-source';
import { peakRegions, regionShares } from '../maps/atlas';
import {
  drawnExtras,
  extraColours,
  mapLayer,
  type LayerDisplay,
  type LayerId,
  type OverlayRole,
} from '../maps/layer-display';
import { kindLabel, thresholdedKindLabel, type MapKindInfo } from '../../analysis/map-kind';
import { describeMap, isStatMap, type MapEntry } from '../maps/maps';
import { permutationP, type PermutationP } from '../group/group-session';
import type { PageState } from './page-state';
import { glassBrain } from '../../analysis/glass-brain';
import { sameGrid } from '../../analysis/grid';
import type { GlassBrain } from '../../analysis/glass-brain';
import { readoutModel, type ReadoutModel } from './readout-values';

/** What the glass brain view shows: the projections, and the threshold they were made at. */
export interface GlassModel {
  readonly brain: GlassBrain;
  readonly threshold: number;
  readonly title: string;
}

/** A loaded map as the map list shows it. */
export interface MapRow {
  readonly id: number;
  readonly name: string;
  readonly summary: string;
  readonly anatomy: boolean;
  readonly kind: MapKindInfo;
  readonly frames: number;
  readonly frame: number;
  /** Every frame's label (AFNI's sub-brick labels), when the file names them. */
  readonly frameLabels: readonly string[] | null;
  /** Region names known (a label table is open), for an atlas. */
  readonly regions: number | null;
  /** The largest |value| (an extra overlay's default threshold of a TFCE score). */
  readonly maxAbs: number;
}

/** A layer as the layers panel shows it. */
export interface LayerRow {
  readonly id: LayerId;
  /** Its place in the overlay stack (absent: the background, or a pane of its own). */
  readonly role?: OverlayRole;
  readonly name: string;
  /** What it is: "t (df 262)", "label atlas", "background"... */
  readonly kind: 'background' | 'stat' | 'signed' | 'label';
  readonly kindLabel: string;
  readonly display: LayerDisplay;
  /** The automatic range, shown as the boxes' placeholders. */
  readonly auto: { readonly min: number; readonly max: number } | null;
  /** The colour maps drawn while the user has chosen none (an extra overlay's own, not the shown map's). */
  readonly colours?: { readonly colormap: string; readonly colormapNegative: string };
}

/**
 * What each panel is given, derived from the page's state. Each value is the same object until its
 * inputs change, so a threshold change re-renders the cluster table alone and not every panel.
 */
export class ViewModel {
  private readonly memos = new Map<string, { deps: unknown[]; value: unknown }>();

  /** `compute()`, again only when one of `deps` is no longer the same object or value. */
  private memo<T>(name: string, deps: unknown[], compute: () => T): T {
    const m = this.memos.get(name);
    if (m && m.deps.length === deps.length && m.deps.every((d, i) => d === deps[i])) return m.value as T;
    const value = compute();
    this.memos.set(name, { deps, value });
    return value;
  }

  /** Maps the ROI and signature tables list, by id and name. */
  columns(s: PageState): { id: number; name: string }[] {
    const cols = s.results?.columns ?? [];
    return this.memo('columns', [cols], () => cols.map((m) => ({ id: m.id, name: m.volume.name })));
  }

  /** The compared pair as indices into `columns`, or null outside a comparison. */
  pairIndices(s: PageState): [number, number] | null {
    const pair = comparedPair(s);
    const cols = s.results?.columns ?? [];
    return this.memo('pair', [pair?.[0], pair?.[1], cols], () =>
      pair && s.results ? ([cols.indexOf(pair[0]), cols.indexOf(pair[1])] as [number, number]) : null,
    );
  }

  named(s: PageState): { id: number; name: string }[] {
    return this.memo('named', [s.maps], () => s.maps.map((m) => ({ id: m.id, name: m.volume.name })));
  }

  statMaps(s: PageState): { id: number; name: string; kind: string }[] {
    return this.memo('statMaps', [s.maps], () =>
      s.maps.filter((m) => !m.anatomy).map((m) => ({ id: m.id, name: m.volume.name, kind: kindLabel(m.kind) })),
    );
  }

  mapRows(s: PageState): MapRow[] {
    return this.memo('mapList', [s.maps], () =>
      s.maps.map((m) => ({
        id: m.id,
        name: m.volume.name,
        summary: describeMap(m),
        anatomy: m.anatomy,
        kind: m.kind,
        frames: m.volume.frames,
        frame: m.volume.frame,
        frameLabels: m.volume.frameLabels ?? null,
        regions: m.labels ? m.labels.regions.size : null,
        maxAbs: Math.max(Math.abs(m.stats.min), Math.abs(m.stats.max)),
      })),
    );
  }

  /** The map the threshold applies to: the selected stat map, or pre in a comparison. */
  shownMap(s: PageState): MapEntry | undefined {
    const pair = comparedPair(s);
    return pair ? pair[0] : s.maps.find((m) => m.id === s.selectedId && isStatMap(m));
  }

  /** The space of the coordinates: the shown map's (or the background's). */
  space(s: PageState): 'mni' | 'native' | null {
    const m =
      this.shownMap(s) ?? s.maps.find((e) => e.id === s.selectedId) ?? s.maps.find((e) => e.id === s.backgroundId);
    return m?.space ?? null;
  }

  /** Names of the maps in native space, which the built-in MNI ROIs and signatures do not fit. */
  nativeMaps(s: PageState): string[] {
    return this.memo('native', [s.maps], () =>
      s.maps.filter((m) => isStatMap(m) && m.space === 'native').map((m) => m.volume.name),
    );
  }

  /** The readout at the crosshair: the focused values at one stated point (and the open atlas's region), every other map on demand. */
  readout(s: PageState): ReadoutModel {
    return this.memo('readout', [s.crosshair, s.maps, s.results, s.selectedId, s.atlasId], () =>
      readoutModel(s.maps, s.results, s.selectedId, s.crosshair, s.atlasId),
    );
  }

  /** The layers of the shown pane, for the layers panel: background, then the overlays bottom first. */
  layerRows(s: PageState): LayerRow[] {
    return this.memo(
      'layers',
      [
        s.maps,
        s.selectedId,
        s.backgroundId,
        s.atlasId,
        s.display,
        s.overlayOrder,
        s.results,
        s.differenceThreshold,
        s.extraOverlays,
      ],
      () => {
        const rows: LayerRow[] = [];
        const bg = s.maps.find((m) => m.id === s.backgroundId);
        const d = (id: LayerId): LayerDisplay => s.display[id] ?? {};
        if (bg)
          rows.push({
            id: mapLayer(bg.id),
            name: bg.volume.name,
            kind: 'background',
            kindLabel: `background (${kindLabel(bg.kind)})`,
            display: d(mapLayer(bg.id)),
            auto: bg.stats.finiteCount ? { min: bg.stats.min, max: bg.stats.max } : null,
          });
        const overlay = this.overlayRows(s);
        for (const r of s.overlayOrder) {
          if (overlay[r]) rows.push(overlay[r]);
          // The other maps drawn over the shown one (single view) lie just above it, as the panes stack them.
          if (r === 'stat' && overlay.stat && !s.results?.difference && (s.results?.shown.length ?? 0) === 1)
            rows.push(...this.extraRows(s));
        }
        if (s.results?.difference)
          rows.push({
            id: 'difference',
            name: 'post − pre',
            kind: 'signed',
            kindLabel: `difference, |d| ≥ ${s.differenceThreshold}`,
            display: d('difference'),
            auto: null,
          });
        return rows;
      },
    );
  }

  /** The overlays that have a role in the stack (the shown map, w × x, the atlas), each a row or null. */
  private overlayRows(s: PageState): Record<OverlayRole, LayerRow | null> {
    const d = (id: LayerId): LayerDisplay => s.display[id] ?? {};
    const shown = this.shownMap(s);
    const selected = s.maps.find((m) => m.id === s.selectedId);
    const atlas = s.maps.find((m) => m.id === s.atlasId && m.kind.kind === 'label');
    return {
      stat: shown
        ? {
            id: mapLayer(shown.id),
            role: 'stat',
            name: shown.volume.name,
            kind: 'stat',
            kindLabel: thresholdedKindLabel(shown.kind, s.results?.threshold ?? NaN),
            display: d(mapLayer(shown.id)),
            auto: {
              min: s.results?.threshold ?? 0,
              max: Math.max(Math.abs(shown.stats.min), Math.abs(shown.stats.max)),
            },
          }
        : null,
      contribution: s.results?.contribution
        ? {
            id: 'contribution',
            role: 'contribution',
            name: 'w × x',
            kind: 'signed',
            kindLabel: 'signature contribution',
            display: d('contribution'),
            auto: null,
          }
        : null,
      atlas: atlas
        ? {
            id: mapLayer(atlas.id),
            role: 'atlas',
            name: atlas.volume.name,
            kind: 'label',
            kindLabel: selected === atlas ? 'label atlas (shown)' : 'label atlas, over the map when shown',
            display: { visible: selected === atlas, ...d(mapLayer(atlas.id)) },
            auto: null,
          }
        : null,
    };
  }

  /** A row per extra overlay drawn, in the colours and at the threshold the pane uses. */
  private extraRows(s: PageState): LayerRow[] {
    return drawnExtras(s.maps, s.extraOverlays, s.results?.shown[0]?.entry.id).map(({ entry, threshold }, k) => ({
      id: mapLayer(entry.id),
      name: entry.volume.name,
      kind: 'signed',
      kindLabel: `also shown: ${thresholdedKindLabel(entry.kind, threshold)}, |value| ≥ ${+threshold.toPrecision(4)}`,
      display: s.display[mapLayer(entry.id)] ?? {},
      auto: { min: threshold, max: Math.max(Math.abs(entry.stats.min), Math.abs(entry.stats.max)) },
      colours: extraColours(k),
    }));
  }

  /**
   * Why a table is empty when its threshold is beyond every value of its map (a typo such as 1e9 is
   * taken, so the page says what it did): the map's largest value that could pass; null otherwise.
   */
  emptyNote(s: PageState, which: number): string | null {
    const shown = s.results?.shown[which];
    if (!shown || s.busy || shown.table.clusters.length > 0) return null;
    const { min, max } = shown.entry.stats;
    const top = shown.table.twoSided ? Math.max(Math.abs(min), Math.abs(max)) : max;
    const t = shown.table.threshold;
    if (!(Number.isFinite(top) && t > top)) return null;
    const value = shown.table.twoSided ? '|value|' : 'value';
    return `No voxel reaches the threshold ${t.toPrecision(4)}: the map's largest ${value} is ${top.toPrecision(4)}.`;
  }

  /** The atlas region at each cluster's peak, for a cluster table, when an atlas is open. */
  peakRegions(s: PageState, which: number): string[] | null {
    const atlas = s.maps.find((m) => m.id === s.atlasId && m.kind.kind === 'label');
    const shown = s.results?.shown[which];
    return this.memo(`regions${which}`, [atlas, shown], () =>
      atlas && shown
        ? peakRegions(
            atlas,
            shown.table.clusters.map((c) => c.peak.mm),
          )
        : null,
    );
  }

  /** Each cluster's share of voxels per region, computed when asked (the CSV export). */
  regionShares(s: PageState, which: number): (() => string[]) | null {
    const atlas = s.maps.find((m) => m.id === s.atlasId && m.kind.kind === 'label');
    const shown = s.results?.shown[which];
    return this.memo(`shares${which}`, [atlas, shown], () =>
      atlas && shown ? () => regionShares(atlas, shown.table, shown.entry.volume) : null,
    );
  }

  /** The compared maps' roles by id (empty outside a comparison). */
  roles(s: PageState): ReadonlyMap<number, 'pre' | 'post'> {
    const pair = comparedPair(s);
    return this.memo(
      'roles',
      [pair?.[0], pair?.[1]],
      () =>
        new Map<number, 'pre' | 'post'>(
          pair
            ? [
                [pair[0].id, 'pre'],
                [pair[1].id, 'post'],
              ]
            : [],
        ),
    );
  }

  /** Whether the background is the synthetic stand-in template (then the panes say so). */
  standIn(s: PageState): boolean {
    const bg = s.maps.find((m) => m.id === s.backgroundId);
    return !!bg && /stand-?in/i.test(`${bg.volume.name} ${bg.volume.description}`);
  }

  /** The publication figure's source: the first shown map as the panes show it. */
  figure(s: PageState): FigureSource | null {
    return this.memo('figure', [s.results, s.backgroundId, s.maps, s.settings], () =>
      s.results ? figureSource(s.results, s.maps.find((m) => m.id === s.backgroundId) ?? null, s.settings) : null,
    );
  }

  /**
   * The glass brain of the first map shown, at the table's threshold (and sidedness), outlined by the
   * background's brain when it is on the map's grid, else by the map's own finite non-zero voxels.
   */
  glass(s: PageState): GlassModel | null {
    return this.memo('glass', [s.glassBrain, s.results, s.backgroundId, s.maps], () => {
      const first = s.results?.shown[0];
      if (!s.glassBrain || !first || !Number.isFinite(first.table.threshold)) return null;
      const v = first.entry.volume;
      const bg = s.maps.find((m) => m.id === s.backgroundId && m.id !== first.entry.id);
      const mask = bg && sameGrid(bg.volume, v) ? bg.volume.data : undefined;
      return {
        brain: glassBrain(v, first.table.threshold, first.table.twoSided, mask),
        threshold: first.table.threshold,
        title: `${v.name} (${kindLabel(first.entry.kind)})`,
      };
    });
  }

  /** The group run's permutation p for the first table, when it shows the run's t-map at the run's threshold. */
  permutation(s: PageState): PermutationP | null {
    const first = s.results?.shown[0];
    return this.memo(
      'permutation',
      [s.groupMaps, s.glmMaps, first?.table],
      () =>
        permutationP(s.groupMaps, first?.entry.id, first?.table) ??
        permutationP(s.glmMaps, first?.entry.id, first?.table),
    );
  }
}
