import { describe, expect, it } from 'vitest';
import type { SparseClusterTable } from '../../src/analysis/clusters';
import type { Volume } from '../../src/nifti';
import { CONTRIBUTION_NEGATIVE, CONTRIBUTION_POSITIVE, DEFAULT_OVERLAY_ORDER } from '../../src/app/maps/layer-display';
import type { MapEntry } from '../../src/app/maps/maps';
import { paneScenes, type SceneInput } from '../../src/app/maps/scene';

const dims: [number, number, number] = [4, 4, 4];
const affine = [2, 0, 0, -4, 0, 2, 0, -4, 0, 0, 2, -4, 0, 0, 0, 1];

function volume(name: string, value: number): Volume {
  return { name, dims, affine, data: new Float32Array(64).fill(value) } as unknown as Volume;
}
function entry(id: number, name: string): MapEntry {
  return { id, volume: volume(name, 3), kind: { kind: 'z', source: 'intent' } } as unknown as MapEntry;
}
const table = {
  labels: { size: 64, voxels: new Int32Array(0), index: new Int32Array(0) },
} as unknown as SparseClusterTable;

function input(shown: SceneInput['shown'], contributions: SceneInput['contributions']): SceneInput {
  return {
    display: {},
    overlayOrder: DEFAULT_OVERLAY_ORDER,
    atlas: null,
    differenceThreshold: 1,
    contributionThreshold: null,
    background: null,
    shown,
    threshold: 2.3,
    faint: false,
    twoSided: false,
    spheres: [],
    difference: null,
    contributions,
  };
}

/** The w × x layer of a scene (a signed layer whose title names it), if any. */
const wx = (layers: ReturnType<typeof paneScenes>[number]['layers']) =>
  layers.find((l) => l.style.kind === 'signed' && l.title?.startsWith('w × x'));

describe('the w × x overlay (issue 21 item 6)', () => {
  it('is drawn in both compared panes, each with its own map', () => {
    const scenes = paneScenes(
      input(
        [
          { entry: entry(1, 'pre.nii'), table, role: 'pre' },
          { entry: entry(2, 'post.nii'), table, role: 'post' },
        ],
        [volume('w x pre', 1), volume('w x post', -1)],
      ),
    );
    expect(scenes.map((s) => s.key)).toEqual(['pre', 'post']);
    expect(wx(scenes[0]!.layers)?.volume.data[0]).toBe(1);
    expect(wx(scenes[1]!.layers)?.volume.data[0]).toBe(-1);
    // One scale across the compared panes, as their stat maps share one.
    const max = scenes.map((s) => wx(s.layers)!.style).map((st) => (st.kind === 'signed' ? st.max : NaN));
    expect(max[0]).toBe(max[1]);
  });

  it("uses its own diverging palette in the single view, not the map's", () => {
    const [scene] = paneScenes(input([{ entry: entry(1, 'map.nii'), table, role: 'single' }], [volume('w x', 1)]));
    const layer = wx(scene!.layers)!;
    expect(layer.style.kind === 'signed' && layer.style.look).toMatchObject({
      colormap: CONTRIBUTION_POSITIVE,
      colormapNegative: CONTRIBUTION_NEGATIVE,
    });
    const stat = scene!.layers.find((l) => l.style.kind === 'stat')!;
    const statMap = stat.style.kind === 'stat' ? (stat.style.look?.colormap ?? 'warm') : '';
    expect(CONTRIBUTION_POSITIVE).not.toBe(statMap);
  });
});
