import { comparedPair } from './analyzer';
import { figureSource, type FigureSource } from './figure-source';
import { permutationP, type PermutationP } from './group-session';
import { describeMap } from './maps';
import type { PageState } from './page-state';
import { readoutModel, type ReadoutModel } from './readout-values';

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
    return this.memo('pair', [pair?.[0], pair?.[1], cols], () => (pair && s.results ? ([cols.indexOf(pair[0]), cols.indexOf(pair[1])] as [number, number]) : null));
  }

  named(s: PageState): { id: number; name: string }[] {
    return this.memo('named', [s.maps], () => s.maps.map((m) => ({ id: m.id, name: m.volume.name })));
  }

  statMaps(s: PageState): { id: number; name: string }[] {
    return this.memo('statMaps', [s.maps], () => s.maps.filter((m) => !m.anatomy).map((m) => ({ id: m.id, name: m.volume.name })));
  }

  mapRows(s: PageState): { id: number; name: string; summary: string; anatomy: boolean }[] {
    return this.memo('mapList', [s.maps], () => s.maps.map((m) => ({ id: m.id, name: m.volume.name, summary: describeMap(m), anatomy: m.anatomy })));
  }

  /** The readout at the crosshair: the focused values at one stated point, every other map on demand. */
  readout(s: PageState): ReadoutModel {
    return this.memo('readout', [s.crosshair, s.maps, s.results, s.selectedId], () => readoutModel(s.maps, s.results, s.selectedId, s.crosshair));
  }

  /** Whether the background is the synthetic stand-in template (then the panes say so). */
  standIn(s: PageState): boolean {
    const bg = s.maps.find((m) => m.id === s.backgroundId);
    return !!bg && /stand-?in/i.test(`${bg.volume.name} ${bg.volume.description}`);
  }

  /** The publication figure's source: the first shown map as the panes show it. */
  figure(s: PageState): FigureSource | null {
    return this.memo('figure', [s.results, s.backgroundId, s.maps, s.settings], () => (s.results ? figureSource(s.results, s.maps.find((m) => m.id === s.backgroundId) ?? null, s.settings) : null));
  }

  /** The group run's permutation p for the first table, when it shows the run's t-map at the run's threshold. */
  permutation(s: PageState): PermutationP | null {
    const first = s.results?.shown[0];
    return this.memo('permutation', [s.groupMaps, first?.table], () => permutationP(s.groupMaps, first?.entry.id, first?.table));
  }
}
