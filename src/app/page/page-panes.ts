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

  get shownThreshold(): number | null {
    return this.page.state.results?.threshold ?? null;
  }

  /** Once the view is on screen, the worker indexes the shown maps: even the first move of the threshold is then read on the page. */
  afterDrawn(): (() => void) | null {
    const shown = this.page.state.results;
    const settings = this.page.state.settings;
    return shown?.shown.length ? () => void this.page.analyzer.prepareIndexes(shown, settings) : null;
  }

  /** A demo step's crosshair, once its results are there (its cluster's peak, when it asks for one) and nothing is computing. */
  takePendingCrosshair(): Mm | null {
    const want = this.page.demo.pendingCrosshair;
    const { results, busy } = this.page.state;
    const peak = results?.shown[0]?.table.clusters[0]?.peak.mm;
    if (!want || (want === 'peak' && !peak) || busy) return null;
    this.page.demo.pendingCrosshair = null;
    return want === 'peak' ? peak! : [...want];
  }
}
