import { GROUP_FWE_ALPHA } from '../../analysis/constants';
import { criticalExtent } from '../../analysis/group/inference';
import { sameGrid } from '../../analysis/grid';
import type { Connectivity } from '../../compute/engine';
import type { Volume } from '../../nifti';
import type { GroupRun } from '../../worker/group';
import { DEMO_STEPS, SAMPLE } from '../demo/demo';
import type { MapEntry } from '../maps/maps';
import type { MapActions } from '../page/map-actions';
import type { PageState, PendingCrosshair } from '../page/page-state';
import type { GroupMapsRef } from './group-session';

/** What a group run's view drives of the page (PageActions gives it). */
export interface GroupViewHost {
  readonly state: Readonly<PageState>;
  set(patch: Partial<PageState>): void;
  readonly maps: MapActions;
  /** The crosshair wanted once the panes show the results. */
  pendingCrosshair: PendingCrosshair;
  /** The real template when one is in place, else the stand-in, loaded. */
  loadTemplate(): Promise<MapEntry | null>;
}

/**
 * How a group run's maps open and show: over anatomy, the statistic map at the run's own threshold
 * (so the cluster table is the run's and carries its permutation p), a paired or one-sample run's
 * corrected result, a model's tests one at a time.
 */
export class GroupView {
  /** A model run's tests whose maps are open: each opened once, then shown again. */
  private readonly testMaps = new Map<string, number>();

  constructor(private readonly page: GroupViewHost) {}

  /** A paired, one-sample or two-sample run's maps, its t-map shown (in the demo, only by its group step). */
  async openRun(volumes: Volume[], run: GroupRun): Promise<void> {
    const page = this.page;
    await this.background(volumes[0]);
    const entries = await page.maps.addVolumes(volumes);
    const t = entries.find((e) => e.volume.name.endsWith('_tstat.nii'));
    if (!t) return;
    const r = run.result;
    const ref = {
      tMapId: t.id,
      t: r.threshold.t,
      twoSided: r.twoSided,
      connectivity: r.connectivity,
      clusters: r.clusters,
      criticalExtent: criticalExtent(r.nulls.maxClusterExtent, GROUP_FWE_ALPHA),
    };
    page.set({ groupMaps: ref });
    // In the demo, only its group step turns to the run's map (a finished run must not pull another step away).
    // A run shows its corrected result, in the demo and by hand alike: the clusters with p FWE < 0.05.
    const step = page.state.demoStep === null ? null : DEMO_STEPS[page.state.demoStep];
    if (!step || (step.group && !step.group.model)) this.show(t.id, ref, true);
  }

  /** A model run's test: its maps opened once (then shown again), its statistic map at the run's threshold (one-sided, as randomise). */
  async openTest(
    key: string,
    volumes: () => Volume[],
    test: { kind: 't' | 'F'; threshold: number; connectivity: Connectivity },
  ): Promise<void> {
    const page = this.page;
    let id = this.testMaps.get(key);
    if (id === undefined || !page.state.maps.some((m) => m.id === id)) {
      const made = volumes();
      await this.background(made[0]);
      const entries = await page.maps.addVolumes(made);
      if (!entries[0]) return;
      id = entries[0].id;
      this.testMaps.set(key, id);
    }
    const summary = page.state.group.glm;
    const k = Number(key.split(':')[1]);
    const ref = {
      tMapId: id,
      t: test.threshold,
      twoSided: false,
      connectivity: test.connectivity,
      clusters: summary?.tests[k]?.clusters ?? [],
    };
    page.set({ glmMaps: ref });
    const step = page.state.demoStep === null ? null : DEMO_STEPS[page.state.demoStep];
    if (step && !step.group?.model) return;
    // The crosshair goes to the test's largest cluster, once the panes show its map.
    const peak = summary?.tests[k]?.clusters[0]?.peak.mm;
    if (peak) page.pendingCrosshair = peak;
    this.show(id, ref);
  }

  /**
   * The results open over anatomy: the background already shown stays; with none, the sample
   * template (subjects are usually on its MNI 2 mm grid) when its grid is the run's, so the t-map
   * is not drawn as its own greyscale background.
   */
  private async background(result: Volume | undefined): Promise<void> {
    const page = this.page;
    const s = page.state;
    if (!result || s.maps.some((m) => m.id === s.backgroundId)) return;
    const urls = new Map(s.maps.map((m) => [m.url, m]));
    const loaded = urls.get(SAMPLE.realTemplate) ?? urls.get(SAMPLE.standIn);
    const template = loaded ?? (await page.loadTemplate());
    if (template && sameGrid(template.volume, result)) page.set({ backgroundId: template.id });
    else if (template && !loaded) page.maps.removeMap(template.id);
    else if (template && page.state.backgroundId === template.id) page.set({ backgroundId: null });
  }

  /**
   * Shows a group run's statistic map at the run's threshold. `corrected` (a paired or one-sample
   * run's own result, the demo's or the panel's): only the clusters with permutation p FWE below
   * GROUP_FWE_ALPHA, kept by the permutation cut-off for cluster size (the extent's FWE p falls as the
   * size grows, so exactly those pass), the crosshair on the largest; every cluster when none does.
   */
  show(
    id: number,
    ref: Pick<GroupMapsRef, 't' | 'twoSided' | 'connectivity' | 'clusters' | 'criticalExtent'>,
    corrected = false,
  ): void {
    const page = this.page;
    page.maps.userSelected = true;
    const significant = ref.clusters.filter((c) => c.pFwe < GROUP_FWE_ALPHA).map((c) => c.voxels);
    // The cut-off where the run gives it (what the extent box then means), else the smallest
    // significant cluster: the same clusters pass either way.
    const cutoff = ref.criticalExtent ?? Math.min(...significant);
    const extent =
      corrected && significant.length
        ? { extent: 'voxels' as const, extentValue: Math.min(cutoff, ...significant) }
        : { extent: 'none' as const };
    if (corrected) page.pendingCrosshair = 'peak';
    page.set({
      selectedId: id,
      compare: { ...page.state.compare, on: false },
      settings: {
        ...page.state.settings,
        mode: 'z',
        value: ref.t,
        twoSided: ref.twoSided,
        connectivity: ref.connectivity,
        ...extent,
      },
    });
  }
}
