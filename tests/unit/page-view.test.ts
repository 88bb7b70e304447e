import { describe, expect, it } from 'vitest';
import { differenceMap } from '../../src/analysis/difference';
import { onGridOf, parseMm } from '../../src/app/page/readout-values';
import { DEFAULT_SETTINGS } from '../../src/analysis/threshold-settings';
import { currentUrlState, formatUrlState, parseUrlState } from '../../src/app/page/url-state';
import { initialPageState, URL_INPUTS } from '../../src/app/page/page-state';
import { chooseLayout, layoutTiles, lightboxSlices, lightboxTiles, type Layout } from '../../src/view/multiplanar';
import { mulberry32 } from '../helpers/volumes';

const MNI: [number, number, number] = [182, 218, 182];

/** Every layout of the four shapes, by brute force over the split (written apart from chooseLayout). */
function bestByBruteForce([x, y, z]: [number, number, number], w: number, h: number): number {
  let best = Math.max(Math.min(w / (2 * x + y), h / Math.max(y, z)), Math.min(w / Math.max(x, y), h / (y + 2 * z)));
  for (let f = 0.3; f <= 0.7 + 1e-9; f += 0.001) {
    // Axial in [0, f] x [0, 1]; coronal (x by z) and sagittal (y by z) stacked in the rest.
    best = Math.max(best, Math.min((f * w) / x, h / y, ((1 - f) * w) / x, h / 2 / z, ((1 - f) * w) / y));
    // Axial on top in [0, 1] x [0, f]; the pair side by side below.
    best = Math.max(best, Math.min(w / x, (f * h) / y, w / 2 / x, w / 2 / y, ((1 - f) * h) / z));
  }
  return best;
}

/** The scale at which every slice fits its tile, from the tiles alone. */
function achieved(l: Layout, [x, y, z]: [number, number, number], w: number, h: number): number {
  if (l.kind !== 'custom') return l.scale;
  const size: Record<number, [number, number]> = { 0: [x, y], 1: [x, z], 2: [y, z] };
  return Math.min(
    ...l.tiles.map((t) =>
      Math.min((t.position[2] * w) / size[t.sliceType]![0], (t.position[3] * h) / size[t.sliceType]![1]),
    ),
  );
}

describe('pane layout without a 3D tile', () => {
  it('draws the smallest slice as large as the best row, column or large-slice layout allows, with tiles inside the canvas and apart', () => {
    for (const [w, h] of [
      [784, 600],
      [257, 460],
      [1100, 300],
      [400, 400],
      [300, 900],
      [549, 370],
    ] as const) {
      const l = chooseLayout(MNI, w, h);
      expect(l.scale, `${w}x${h}`).toBeGreaterThanOrEqual(0.97 * bestByBruteForce(MNI, w, h));
      expect(achieved(l, MNI, w, h), `${w}x${h} tiles hold the slices`).toBeGreaterThanOrEqual(l.scale * (1 - 1e-9));
      if (l.kind === 'custom') {
        expect(l.tiles.map((t) => t.sliceType).sort()).toEqual([0, 1, 2]);
        for (const t of l.tiles) {
          expect(t.position[0] + t.position[2]).toBeLessThanOrEqual(1 + 1e-9);
          expect(t.position[1] + t.position[3]).toBeLessThanOrEqual(1 + 1e-9);
        }
        const [a, b, c] = l.tiles.map((t) => t.position);
        const apart = (p: number[], q: number[]) =>
          p[0]! + p[2]! <= q[0]! + 1e-9 ||
          q[0]! + q[2]! <= p[0]! + 1e-9 ||
          p[1]! + p[3]! <= q[1]! + 1e-9 ||
          q[1]! + q[3]! <= p[1]! + 1e-9;
        expect(apart(a!, b!) && apart(a!, c!) && apart(b!, c!)).toBe(true);
      }
    }
    // A wide single pane: one large slice beside two, not a thin row.
    expect(chooseLayout(MNI, 784, 600).kind).toBe('custom');
    // A tall narrow compare pane: a column.
    expect(chooseLayout(MNI, 257, 460).kind).toBe('column');
  });
  it('a lightbox is 15 axial slices, evenly spaced inside the brain of an MNI box', () => {
    const z = lightboxSlices(-72, 108);
    expect(z.length).toBe(15);
    expect(z[0]).toBe(-27);
    expect(z[14]).toBe(72);
    expect(z.every((v, k) => k === 0 || v > z[k - 1]!)).toBe(true);
  });
  it('lays a lightbox out as tiles above the colour bars, one per slice with its z, largest in its grid, none overlapping', () => {
    const z = lightboxSlices(-72, 108);
    expect(z).toHaveLength(15);
    for (const [w, h, usable] of [
      [784, 520, 0.85],
      [257, 460, 0.8],
      [1100, 300, 0.75],
      [330, 560, 0.9],
    ] as const) {
      const tiles = lightboxTiles(z, MNI, w, h, usable);
      expect(tiles.map((t) => t.sliceMM)).toEqual(z);
      for (const t of tiles) {
        const [l, top, tw, th] = t.position;
        expect(t.sliceType).toBe(0);
        expect(l).toBeGreaterThanOrEqual(-1e-9);
        expect(top).toBeGreaterThanOrEqual(-1e-9);
        expect(l + tw).toBeLessThanOrEqual(1 + 1e-9);
        // Nothing below the colour bars' top.
        expect(top + th).toBeLessThanOrEqual(usable + 1e-9);
        // The slice's own shape (x by y mm), so NiiVue draws it at the tile's full size.
        expect((tw * w) / (th * h)).toBeCloseTo(MNI[0] / MNI[1], 6);
      }
      for (let a = 0; a < tiles.length; a++)
        for (let b = a + 1; b < tiles.length; b++) {
          const [p, q] = [tiles[a]!.position, tiles[b]!.position];
          const apart =
            p[0] + p[2] <= q[0] + 1e-9 ||
            q[0] + q[2] <= p[0] + 1e-9 ||
            p[1] + p[3] <= q[1] + 1e-9 ||
            q[1] + q[3] <= p[1] + 1e-9;
          expect(apart).toBe(true);
        }
      // No other grid draws the slices larger.
      const scale = (tiles[0]!.position[2] * w) / MNI[0];
      for (let c = 1; c <= 15; c++)
        expect(Math.min(w / (c * MNI[0]), (h * usable) / (Math.ceil(15 / c) * MNI[1]))).toBeLessThanOrEqual(
          scale * 1.0002,
        );
    }
  });
  it('hands every layout to NiiVue as tiles above the colour bars, holding the slices at the chosen scale', () => {
    for (const [w, h] of [
      [784, 600],
      [257, 460],
      [1100, 300],
      [400, 400],
      [300, 900],
    ] as const) {
      const usable = 0.8;
      const l = chooseLayout(MNI, w, h * usable);
      const tiles = layoutTiles(l, MNI, usable);
      expect(tiles.map((t) => t.sliceType).sort()).toEqual([0, 1, 2]);
      for (const t of tiles) expect(t.position[1] + t.position[3], `${w}x${h}`).toBeLessThanOrEqual(usable + 1e-9);
      expect(achieved({ kind: 'custom', scale: l.scale, tiles }, MNI, w, h), `${w}x${h}`).toBeGreaterThanOrEqual(
        l.scale * (1 - 1e-9),
      );
      // Given the canvas's size, every slice is drawn at the layout's one scale: its tile is its own size.
      const exact = layoutTiles(l, MNI, usable, { w, h });
      const size: Record<number, [number, number]> = { 0: [MNI[0], MNI[1]], 1: [MNI[0], MNI[2]], 2: [MNI[1], MNI[2]] };
      for (const t of exact) {
        const [sw, sh] = size[t.sliceType]!;
        expect((t.position[2] * w) / sw, `${w}x${h} ${t.sliceType}`).toBeCloseTo(l.scale, 6);
        expect((t.position[3] * h) / sh, `${w}x${h} ${t.sliceType}`).toBeCloseTo(l.scale, 6);
        expect(t.position[0]).toBeGreaterThanOrEqual(-1e-9);
        expect(t.position[0] + t.position[2]).toBeLessThanOrEqual(1 + 1e-9);
        expect(t.position[1] + t.position[3]).toBeLessThanOrEqual(usable + 1e-9);
      }
    }
  });
});

describe('the readout and the go-to field', () => {
  it('reads "x, y, z" in the ways people type it, and nothing else', () => {
    expect(parseMm('56, -44, 30')).toEqual([56, -44, 30]);
    expect(parseMm(' 56 -44 30 ')).toEqual([56, -44, 30]);
    expect(parseMm('(56; -44; 30.5)')).toEqual([56, -44, 30.5]);
    expect(parseMm('56,-44')).toBeNull();
    expect(parseMm('a, b, c')).toBeNull();
    expect(parseMm('1, 2, 3, 4')).toBeNull();
  });

  it("post on pre's grid is the difference map's own sample, to the bit, where the grids differ", () => {
    const rnd = mulberry32(15);
    const a = {
      dims: [20, 22, 18] as [number, number, number],
      affine: [-2, 0, 0, 20, 0, 2, 0, -22, 0, 0, 2, -18, 0, 0, 0, 1],
      data: new Float32Array(20 * 22 * 18).map(() => rnd() * 4 - 2),
    };
    const b = {
      dims: [17, 19, 14] as [number, number, number],
      affine: [2.3, 0, 0, -19, 0, 2.3, 0, -21, 0, 0, 2.7, -17, 0, 0, 0, 1],
      data: new Float32Array(17 * 19 * 14).map(() => rnd() * 4 - 2),
    };
    const d = differenceMap(a, b);
    expect(d.resampled).toBe(true);
    let checked = 0;
    for (let k = 0; k < 300; k++) {
      const v: [number, number, number] = [Math.floor(rnd() * 20), Math.floor(rnd() * 22), Math.floor(rnd() * 18)];
      const i = v[0] + 20 * (v[1] + 22 * v[2]);
      const post = onGridOf(a, b, v);
      if (Number.isNaN(d.data[i]!)) expect(post).toBeNaN();
      else expect(Math.fround(post - a.data[i]!)).toBe(d.data[i]), checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('links', () => {
  it('keep a df the reader typed (t: one, F: two), by index, and drop a malformed one (issue 21 item 10)', () => {
    const base = parseUrlState('');
    const url = formatUrlState(
      currentUrlState(base, {
        maps: [
          { id: 1, url: null, name: 'tstat1.nii.gz', df: [20] },
          { id: 2, url: null, name: 'zstat1.nii.gz' },
          { id: 3, url: null, name: 'fstat1.nii.gz', df: [2, 40] },
        ],
        backgroundId: null,
        selectedId: 1,
        settings: DEFAULT_SETTINGS,
        crosshair: null,
        compare: { on: false, preId: null, postId: null, showDifference: true },
        signature: { weightsId: null, metric: 'dot', direction: 'weights-to-data', showContribution: false },
        spheres: [],
      }),
    );
    expect(new URLSearchParams(url).get('df')).toBe('0:20,2:2:40');
    expect(parseUrlState(url).dfs).toEqual({ 0: [20], 2: [2, 40] });
    expect(parseUrlState('?df=0:-3,1:x,2:12').dfs).toEqual({ 2: [12] });
  });
  it('keep the glass-brain switch and restore it into the page state (issue 21)', () => {
    const now = {
      maps: [{ id: 1, url: null, name: 'zstat1.nii.gz' }],
      backgroundId: null,
      selectedId: 1,
      settings: DEFAULT_SETTINGS,
      crosshair: null,
      compare: { on: false, preId: null, postId: null, showDifference: true },
      signature: {
        weightsId: null,
        metric: 'dot' as const,
        direction: 'weights-to-data' as const,
        showContribution: false,
      },
      spheres: [],
    };
    const on = formatUrlState(currentUrlState(parseUrlState(''), { ...now, glassBrain: true }));
    expect(new URLSearchParams(on).get('glass')).toBe('1');
    expect(initialPageState(parseUrlState(on)).glassBrain).toBe(true);
    const off = formatUrlState(currentUrlState(parseUrlState(on), { ...now, glassBrain: false }));
    expect(new URLSearchParams(off).has('glass')).toBe(false);
    expect(initialPageState(parseUrlState(off)).glassBrain).toBe(false);
    expect(URL_INPUTS).toContain('glassBrain');
  });
  it('keep local files by name, every choice by index, no ROIs as none, and still read old bg=URL links', () => {
    const base = parseUrlState('');
    const url = formatUrlState(
      currentUrlState(base, {
        maps: [
          { id: 1, url: null, name: 'MNI152_T1_2mm.nii.gz' },
          { id: 2, url: 'https://example.org/a.nii.gz', name: 'a.nii.gz' },
          { id: 5, url: null, name: 'b,=c.nii.gz' },
        ],
        backgroundId: 1,
        selectedId: 2,
        settings: { ...DEFAULT_SETTINGS, value: 3.1, twoSided: true },
        crosshair: [48, -14, 56],
        compare: { on: true, preId: 2, postId: 5, showDifference: false },
        signature: { weightsId: 5, metric: 'cosine', direction: 'data-to-weights', showContribution: true },
        spheres: [],
      }),
    );
    const back = parseUrlState(url);
    expect(back.maps).toEqual([
      { kind: 'local', name: 'MNI152_T1_2mm.nii.gz' },
      { kind: 'url', url: 'https://example.org/a.nii.gz' },
      { kind: 'local', name: 'b,=c.nii.gz' },
    ]);
    expect(back.background).toBe(0);
    expect(back.selected).toBe(1);
    expect(back.compare).toEqual({ pre: 1, post: 2, diff: false });
    expect(back.signature).toEqual({ weights: 2, metric: 'cosine', direction: 'data-to-weights', contribution: true });
    expect(back.spheres).toEqual([]);
    expect(back.crosshair).toEqual([48, -14, 56]);
    expect(back.settings).toMatchObject({ value: 3.1, twoSided: true });
    // A link from before local maps: bg is a URL of its own.
    expect(parseUrlState('?map=https%3A%2F%2Fx%2Fm.nii.gz&bg=https%3A%2F%2Fx%2Ft.nii.gz').background).toBe(
      'https://x/t.nii.gz',
    );
    expect(parseUrlState('?roi=1,2,3,4,x').spheres).toEqual([{ name: 'x', center: [1, 2, 3], radiusMm: 4 }]);
    expect(parseUrlState('').spheres).toBeNull();
  });
});
