import type { Remote } from 'comlink';
import type { AnalysisApi } from '../../worker/analysis-api';
import type { ModelChoices } from '../group/group-model';
import type { GroupMapsRef, GroupRequest } from '../group/group-session';
import type { MapEntry } from '../maps/maps';
import type { MapActions } from '../page/map-actions';
import type { PageState, PendingCrosshair } from '../page/page-state';
import { DEMO_STEPS, SAMPLE, SAMPLE_SUBJECT_FILES, type SampleKey } from './demo';

/** What the demo drives of the page (PageActions gives it). */
export interface DemoHost {
  readonly state: Readonly<PageState>;
  set(patch: Partial<PageState>): void;
  /** The crosshair wanted once the panes show the results: a step's point, or its largest cluster's peak. */
  pendingCrosshair: PendingCrosshair;
  readonly maps: MapActions;
  readonly api: Remote<AnalysisApi>;
  /** The real template when one is in place, else the stand-in, loaded. */
  loadTemplate(): Promise<MapEntry | null>;
  showGroupMap(
    id: number,
    ref: Pick<GroupMapsRef, 't' | 'twoSided' | 'connectivity' | 'clusters' | 'criticalExtent'>,
    corrected?: boolean,
  ): void;
  runGroup(req: GroupRequest): Promise<void>;
  /** Resolves once no group run is under way. */
  whenGroupIdle(): Promise<void>;
}

type View = Pick<
  PageState,
  'selectedId' | 'backgroundId' | 'settings' | 'compare' | 'signature' | 'spheres' | 'crosshair'
>;

/** The guided demo: loads the sample maps, shows each step, and on Exit puts the page back as it was. */
export class DemoSession {
  /** What the page showed before the demo, to put back on Exit (and the maps the demo loaded, to drop). */
  private before: { view: View; userSelected: boolean; ids: Set<number> } | null = null;

  constructor(private readonly page: DemoHost) {}

  /**
   * Loads the sample maps (besides any of the user's: theirs stay, and their own anatomy stays the
   * background) and shows the first step.
   */
  async start(): Promise<void> {
    const page = this.page;
    const s = page.state;
    if (s.demoStep === null) {
      const { selectedId, backgroundId, settings, compare, signature, spheres, crosshair } = s;
      this.before = {
        view: { selectedId, backgroundId, settings, compare, signature, spheres, crosshair },
        userSelected: page.maps.userSelected,
        ids: new Set(s.maps.map((m) => m.id)),
      };
    }
    page.set({ demoStep: 0 });
    const urls = new Map(page.state.maps.map((m) => [m.url, m]));
    const need = (Object.keys(SAMPLE) as (keyof typeof SAMPLE)[]).filter(
      (k) => k !== 'standIn' && k !== 'realTemplate' && !urls.has(SAMPLE[k]),
    );
    const own = page.state.maps.find((m) => m.id === page.state.backgroundId && m.anatomy);
    const real = own ?? urls.get(SAMPLE.realTemplate) ?? urls.get(SAMPLE.standIn) ?? (await page.loadTemplate());
    await Promise.all(
      need.map((k) => page.maps.load({ kind: 'url', url: SAMPLE[k], name: SAMPLE[k].split('/').pop()! }, SAMPLE[k])),
    );
    if (real) page.set({ backgroundId: real.id });
    // Next or Back pressed while the maps loaded: that step, now with its maps (not back to the first).
    this.goToStep(page.state.demoStep ?? 0);
  }

  /** Leaves the demo: the maps it loaded go, and the view is what it was before (threshold, comparison, ROIs, crosshair...). */
  exit(): void {
    const page = this.page;
    const before = this.before;
    this.before = null;
    page.pendingCrosshair = null;
    if (!before) {
      page.set({ demoStep: null });
      return;
    }
    const maps = page.state.maps.filter((m) => before.ids.has(m.id));
    for (const m of page.state.maps) if (!before.ids.has(m.id)) void page.api.removeMap(m.id);
    page.maps.userSelected = before.userSelected;
    page.set({ demoStep: null, maps, ...before.view });
  }

  goToStep(i: number): void {
    const step = DEMO_STEPS[i];
    if (!step) return;
    const page = this.page;
    const s = page.state;
    const id = (k: SampleKey): number | null => s.maps.find((m) => m.url === SAMPLE[k])?.id ?? null;
    page.maps.userSelected = true;
    page.pendingCrosshair = step.crosshair;
    page.set({
      demoStep: i,
      selectedId: id(step.show),
      settings: step.settings,
      spheres: [...step.spheres],
      compare: step.compare
        ? {
            on: true,
            preId: id(step.compare.pre),
            postId: id(step.compare.post),
            showDifference: step.compare.difference,
          }
        : { ...s.compare, on: false },
      signature: { ...s.signature, weightsId: step.signature ? id('signature') : null, metric: 'dot' },
    });
    if (step.group) void this.groupStep(step.group);
  }

  /** The demo's group steps: the sample subjects' paired test, or a model of their changes (each run once; coming back shows its map again). */
  private async groupStep(o: {
    permutations: number;
    seed: number;
    twoSided?: boolean;
    model?: ModelChoices;
  }): Promise<void> {
    const page = this.page;
    const g = o.model ? page.state.glmMaps : page.state.groupMaps;
    if (g) return page.showGroupMap(g.tMapId, g, !o.model);
    if (page.state.group.running && !o.model) return;
    // The model step waits for a paired test still running (one run at a time), then runs once.
    await page.whenGroupIdle();
    if (o.model ? page.state.group.glm : page.state.groupMaps) return;
    const files = await Promise.all(
      SAMPLE_SUBJECT_FILES.map(async (url) => new File([await (await fetch(url)).blob()], url.split('/').pop()!)),
    );
    const z = page.state.settings.value;
    await page.runGroup({
      files,
      design: 'paired',
      pair: ['ses-pre', 'ses-post'],
      pattern: '',
      groupColumn: 'group',
      groups: null,
      thresholdZ: z,
      twoSided: o.twoSided ?? false,
      connectivity: 26,
      permutations: o.permutations,
      seed: o.seed,
      tfce: false,
      model: o.model ?? null,
    });
  }
}
