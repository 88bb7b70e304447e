import type { Mm } from '../../view/pane';
import type { PaneHead, PaneScene, PaneSource } from '../../view/panes';
import { SceneBuilder } from '../maps/scene';
import type { PageActions } from './page';

/** The page as the panes see it (src/view/panes.ts): its scenes, its crosshair, and its indexes to build once drawn. */
export class PagePanes implements PaneSource {
  private readonly sceneBuilder = new SceneBuilder();

  constructor(private readonly page: PageActions) {}

  heads(): PaneHead[] {
    return this.sceneBuilder.heads(this.page.state);
  }

  scenes(): { scenes: PaneScene[]; changed: boolean } {
    return this.sceneBuilder.scenes(this.page.state);
  }

  get crosshair(): Mm | null {
    return this.page.state.crosshair;
  }

  setCrosshair(mm: Mm | null): void {
    this.page.set({ crosshair: mm });
  }

  get lightbox(): boolean {
    return this.page.state.lightbox;
  }

  get shownThreshold(): number | null {
    return this.page.state.results?.threshold ?? null;
  }

  /** Once the view is on screen, the worker indexes the shown maps: even the first move of the threshold is then read on the page. */
  afterDrawn(): (() => void) | null {
    const shown = this.page.state.results;
    const settings = this.page.state.settings;
    return shown?.shown.length ? () => void this.page.analyzer.prepareIndexes(shown, settings) : null;
  }

  /**
   * The crosshair asked for (PageActions.pendingCrosshair), once the results are there (the shown
   * map's largest cluster's peak, when it asks for one) and nothing is computing. A peak asked of a
   * map with no cluster is given up once that map's results are in.
   */
  takePendingCrosshair(): Mm | null {
    const want = this.page.pendingCrosshair;
    const { results, busy, selectedId } = this.page.state;
    if (!want || busy) return null;
    if (want !== 'peak') {
      this.page.pendingCrosshair = null;
      return [...want];
    }
    // A peak of the map now shown, not of results still on screen from the map before (a slower run can end after a newer one starts).
    const shown = results?.shown[0]?.entry.id === selectedId ? results?.shown[0] : undefined;
    if (!shown) return null;
    this.page.pendingCrosshair = null;
    return shown.table.clusters[0]?.peak.mm ?? null;
  }
}
