import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readNiftiFile } from '../../src/cli/files';
import { LUTS, lutIndex } from '../../src/figure/figure-colors';
import { figureSvg, pngWithDpi } from '../../src/figure/figure-export';
import {
  defaultFigureOptions,
  figureLayout,
  figurePixels,
  figurePixelSize,
  type FigureInput,
} from '../../src/figure/figure-layout';
import {
  evenSlices,
  FigureError,
  paneRaster,
  planeBox,
  slicesAtMm,
  type FigureView,
} from '../../src/figure/figure-slices';
import { runPython } from '../helpers/python';
import { HAS_SHARED, REPO, real, signatures } from '../helpers/shared';

const VIEWS: FigureView[] = ['axial', 'coronal', 'sagittal'];
const SCRIPT = join(REPO, 'scripts/nibabel_slice_mm.py');

describe.skipIf(!HAS_SHARED)('figure slice coordinates on real backgrounds (nibabel reference)', () => {
  // MNI 2 mm (x reversed), SPM's old bounding box, a 2x2x2.4 mm grid, a native-space EPI.
  const files = [
    real('MNI152_T1_2mm.nii.gz'),
    signatures('nonnoc_v11_4_137subjmap_weighted_mean.nii.gz'),
    real('narps-4735_50GV-hypo1_unthresh.nii.gz'),
    real('mean_func.nii.gz'),
  ];
  for (const file of files) {
    it(`${file.split('/').pop()}: every view's slices sit where nibabel's affine puts them`, async () => {
      const bg = (await readNiftiFile(file)).volume();
      for (const view of VIEWS) {
        const slices = evenSlices(bg, view, 9);
        expect(slices.length).toBeGreaterThan(3);
        const ref = runPython<{ mm: number[] }>(SCRIPT, [file, view, ...slices.map((s) => String(s.index))]);
        slices.forEach((s, k) => expect(s.mm).toBeCloseTo(ref.mm[k]!, 6));
        // In order, inferior to superior (posterior to anterior, left to right).
        for (let k = 1; k < slices.length; k++) expect(slices[k]!.mm).toBeGreaterThan(slices[k - 1]!.mm);
        // Asking for a slice's own coordinate gives that slice back.
        expect(slicesAtMm(bg, view, [slices[2]!.mm + 0.2]).map((s) => s.index)).toEqual([slices[2]!.index]);
      }
    });
  }

  it('an evenly spaced mosaic keeps within the brain, and a coordinate outside the background is refused', async () => {
    const bg = (await readNiftiFile(real('MNI152_T1_2mm.nii.gz'))).volume();
    const z = evenSlices(bg, 'axial', 12).map((s) => s.mm);
    expect(z[0]!).toBeGreaterThan(-72);
    expect(z[z.length - 1]!).toBeLessThan(108);
    expect(() => slicesAtMm(bg, 'axial', [150])).toThrow(FigureError);
    expect(() => slicesAtMm(bg, 'axial', [150])).toThrow(
      /z = 150 mm is outside the background \(-72\.0 to 108\.0 mm\)/,
    );
    expect(() => evenSlices(bg, 'axial', 0)).toThrow(FigureError);
  });
});

/** A 2 mm grid in MNI orientation, x reversed as FSL's (LAS), with a brain box of 1 and two blobs. */
function synthetic(): FigureInput {
  const dims: [number, number, number] = [20, 24, 18];
  const affine = [-2, 0, 0, 19, 0, 2, 0, -23, 0, 0, 2, -17, 0, 0, 0, 1];
  const n = dims[0] * dims[1] * dims[2];
  const bg = new Float32Array(n);
  const map = new Float32Array(n);
  const at = (x: number, y: number, z: number): number => x + dims[0] * (y + dims[1] * z);
  for (let z = 2; z < 16; z++) for (let y = 2; y < 22; y++) for (let x = 2; x < 18; x++) bg[at(x, y, z)] = 100;
  // Voxel x = 15 is at mm x = -11: the subject's left. A positive blob there and a negative one on the right.
  for (let z = 8; z <= 9; z++)
    for (let y = 10; y <= 11; y++) {
      map[at(15, y, z)] = 6;
      map[at(4, y, z)] = -4;
    }
  const g = (data: Float32Array) => ({ data, dims, affine });
  return {
    background: g(bg),
    map: g(map),
    threshold: 3,
    max: 6,
    twoSided: true,
    clusters: [
      { index: 1, sign: 1, peak: [-11, -1, -1] },
      { index: 2, sign: -1, peak: [11, -1, -1] },
      { index: 3, sign: 1, peak: [0, 0, 3] },
    ],
    thresholdNote: '|z| ≥ 3',
  };
}

describe('figure pixels and layout', () => {
  it('paints the thresholded map in the panes colour maps, the subject left on the left, transparent outside the brain', () => {
    const input = synthetic();
    const box = planeBox(input.background, 'axial');
    // The brain box: voxels 2..17 in x, mm 15..-15, with half a voxel beyond each edge.
    expect(box.h[0]).toBeCloseTo(-16, 9);
    expect(box.h[1]).toBeCloseTo(16, 9);
    const src = {
      background: input.background,
      map: input.map,
      threshold: 3,
      max: 6,
      twoSided: true,
      greyRange: [0, 100] as const,
    };
    const w = 64;
    const h = Math.round((w * (box.v[1] - box.v[0])) / (box.h[1] - box.h[0]));
    const r = paneRaster(src, 'axial', -1, box, w, h);
    const px = (mmX: number, mmY: number): number[] => {
      const c = Math.floor(((mmX - box.h[0]) / (box.h[1] - box.h[0])) * w);
      const row = Math.floor(((box.v[1] - mmY) / (box.v[1] - box.v[0])) * h);
      return [...r.rgba.subarray(4 * (row * w + c), 4 * (row * w + c) + 4)];
    };
    const warmTop = 3 * lutIndex(6, 3, 6);
    expect(px(-11, -2)).toEqual([LUTS.warm[warmTop], LUTS.warm[warmTop + 1], LUTS.warm[warmTop + 2], 255]);
    const cold = 3 * lutIndex(4, 3, 6);
    expect(px(11, -2)).toEqual([LUTS.winter[cold], LUTS.winter[cold + 1], LUTS.winter[cold + 2], 255]);
    expect(px(0, 0)).toEqual([255, 255, 255, 255]);
    // A one-sided figure leaves the negative blob grey.
    const one = paneRaster({ ...src, twoSided: false }, 'axial', -1, box, w, h);
    const c = Math.floor(((11 - box.h[0]) / (box.h[1] - box.h[0])) * w);
    const row = Math.floor(((box.v[1] - -2) / (box.v[1] - box.v[0])) * h);
    expect([...one.rgba.subarray(4 * (row * w + c), 4 * (row * w + c) + 4)]).toEqual([255, 255, 255, 255]);
    // Above the brain (z = 15 mm, voxel 16: background 0) nothing is drawn.
    expect(paneRaster(src, 'axial', 15, box, w, h).rgba.some((v) => v !== 0)).toBe(false);
  });

  it('lays out slices, coordinates, cluster numbers at their peaks and a colour bar labelled with the threshold and top', () => {
    const input = synthetic();
    const o = {
      ...defaultFigureOptions('pain <post>', 'z'),
      slices: { kind: 'mm' as const, mm: [-5, -1, 3, 7] },
      columns: 2,
    };
    const layout = figureLayout(input, o);
    expect(layout.widthPt).toBe(7 * 72);
    expect(layout.panes.map((p) => p.slice.mm)).toEqual([-5, -1, 3, 7]);
    const labels = layout.texts.map((t) => t.text);
    expect(labels).toEqual(
      expect.arrayContaining([
        'z = -5',
        'z = -1',
        'z = 3',
        'z = 7',
        'L',
        'R',
        '6',
        '±3',
        '-6',
        'pain <post> (z)',
        '|z| ≥ 3',
      ]),
    );
    // Cluster 1 (left, mm x -11) sits on the z = -1 pane, a sixth of the way across its box from the left.
    const p = layout.panes[1]!;
    const one = layout.texts.find((t) => t.outlined && t.text === '1')!;
    expect((one.x - p.x) / p.w).toBeCloseTo((-11 - p.box.h[0]) / (p.box.h[1] - p.box.h[0]), 9);
    // Cluster 3's peak has no supra-threshold voxel on the z = 3 pane: no number there.
    expect(
      layout.texts
        .filter((t) => t.outlined)
        .map((t) => t.text)
        .sort(),
    ).toEqual(['1', '2']);
    // Panes in two columns, inside the page, none overlapping.
    for (const q of layout.panes) expect(q.x + q.w).toBeLessThanOrEqual(layout.widthPt);
    expect(layout.panes[2]!.y).toBeGreaterThan(layout.panes[0]!.y + layout.panes[0]!.h);
    // Pixels at 300 dpi: a 7 in figure is 2100 px wide, each pane its share.
    const size = figurePixelSize(layout, 300);
    expect(size.width).toBe(2100);
    const panes = figurePixels(input, layout, 144);
    expect(Math.abs(panes[0]!.raster.width - p.w * 2)).toBeLessThanOrEqual(1);
    expect(panes[0]!.raster.rgba.length).toBe(panes[0]!.raster.width * panes[0]!.raster.height * 4);
    // SVG: names like markup stay text.
    const svg = figureSvg(
      layout,
      panes.map(() => 'data:image/png;base64,AAAA'),
    );
    expect(svg).toContain('pain &lt;post&gt; (z)');
    expect(svg).not.toContain('<post>');
    expect(svg.match(/<image /g)?.length).toBe(4);
    expect(() => figureLayout(input, { ...o, dpi: 5 })).toThrow(FigureError);
  });
});

describe('PNG DPI', () => {
  it('adds a pHYs chunk after IHDR with the pixels per metre of the DPI and a valid CRC', () => {
    const chunk = (type: string, data: Uint8Array): Buffer => {
      const b = Buffer.alloc(12 + data.length);
      b.writeUInt32BE(data.length, 0);
      b.write(type, 4, 'latin1');
      Buffer.from(data).copy(b, 8);
      b.writeUInt32BE(crc32(b.subarray(4, 8 + data.length)), 8 + data.length);
      return b;
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(1, 0);
    ihdr.writeUInt32BE(1, 4);
    ihdr.set([8, 6, 0, 0, 0], 8);
    const old = Buffer.alloc(9);
    old.writeUInt32BE(2835, 0);
    old.writeUInt32BE(2835, 4);
    old[8] = 1;
    const png = Buffer.concat([
      Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
      chunk('IHDR', ihdr),
      chunk('pHYs', old),
      chunk('IDAT', deflateSync(Buffer.from([0, 1, 2, 3, 4]))),
      chunk('IEND', new Uint8Array()),
    ]);
    const out = Buffer.from(pngWithDpi(png, 300));
    const chunks: { type: string; data: Buffer; crc: number }[] = [];
    for (let at = 8; at < out.length; ) {
      const len = out.readUInt32BE(at);
      chunks.push({
        type: out.toString('latin1', at + 4, at + 8),
        data: out.subarray(at + 8, at + 8 + len),
        crc: out.readUInt32BE(at + 8 + len),
      });
      at += 12 + len;
    }
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'pHYs', 'IDAT', 'IEND']);
    const phys = chunks[1]!;
    expect(phys.data.readUInt32BE(0)).toBe(Math.round(300 / 0.0254));
    expect(phys.data.readUInt32BE(4)).toBe(11811);
    expect(phys.data[8]).toBe(1);
    expect(phys.crc).toBe(crc32(Buffer.concat([Buffer.from('pHYs'), phys.data])));
    expect(() => pngWithDpi(new Uint8Array(40), 300)).toThrow(/Not a PNG/);
  });
});

describe("the figure's glass-brain row", () => {
  it('adds the three projections under the slices, painted where the projection passes, and in the SVG', () => {
    const input = synthetic();
    const o = { ...defaultFigureOptions('t', 'z'), slices: { kind: 'mm' as const, mm: [-1, 3] }, columns: 2 };
    const plain = figureLayout(input, o);
    const layout = figureLayout(input, { ...o, glass: true });
    expect(plain.glass).toEqual([]);
    expect(layout.glass.map((g) => g.axis)).toEqual([0, 1, 2]);
    expect(layout.heightPt).toBeGreaterThan(plain.heightPt);
    const last = layout.panes[layout.panes.length - 1]!;
    for (const g of layout.glass) expect(g.y).toBeGreaterThan(last.y + last.h);
    const pixels = figurePixels(input, layout, 72);
    expect(pixels).toHaveLength(layout.panes.length + 3);
    // Each projection shows the positive blob (the larger |value| wherever the two blobs line up) in the warm map.
    for (const p of pixels.slice(-3)) {
      const px = p.raster.rgba;
      let warm = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i + 3] !== 0 && px[i]! > px[i + 2]! + 50) warm++;
      expect(warm).toBeGreaterThan(0);
    }
    const svg = figureSvg(
      layout,
      pixels.map((_, k) => `data:image/png;base64,${k}`),
    );
    expect(svg.match(/<image /g)).toHaveLength(layout.panes.length + 3);
    expect(layout.texts.map((t) => t.text)).toEqual(expect.arrayContaining(['sagittal', 'coronal', 'axial']));
  });
});

describe('figure slices and cluster numbers (issue 21 item 1)', () => {
  /** A head (background 1 in z voxels 0..17), a brain (the map's search volume) in z 4..11, and two clusters. */
  function head(): FigureInput {
    const input = synthetic();
    const [nx, ny, nz] = input.map.dims;
    const at = (x: number, y: number, z: number): number => x + nx * (y + ny * z);
    const bg = new Float32Array(nx * ny * nz).fill(50);
    const outline = new Float32Array(nx * ny * nz);
    const map = new Float32Array(nx * ny * nz);
    for (let z = 4; z <= 11; z++) for (let y = 2; y < 22; y++) for (let x = 2; x < 18; x++) outline[at(x, y, z)] = 0.1;
    // Cluster 1: a column z 4..11 whose peak (z 11) is far from the slices asked for; cluster 2: one voxel at z 6.
    const voxels: number[] = [];
    const index: number[] = [];
    for (let z = 4; z <= 11; z++)
      for (const [x, y] of [
        [5, 5],
        [6, 5],
      ] as const) {
        map[at(x, y, z)] = 4 + z / 10;
        voxels.push(at(x, y, z));
        index.push(1);
      }
    map[at(12, 12, 6)] = 5;
    voxels.push(at(12, 12, 6));
    index.push(2);
    for (const i of voxels) outline[i] = map[i]!;
    return {
      ...input,
      background: { ...input.background, data: bg },
      map: { ...input.map, data: map },
      outline,
      twoSided: false,
      clusters: [
        { index: 1, sign: 1, peak: [7, -13, 5] },
        { index: 2, sign: 1, peak: [-5, 1, -5] },
      ],
      labels: { size: nx * ny * nz, voxels: Int32Array.from(voxels), index: Int32Array.from(index) },
    };
  }

  it("keeps evenly spaced slices within the map's search volume, not the head's", () => {
    const input = head();
    const slices = figureLayout(input, {
      ...defaultFigureOptions('t', 'z'),
      slices: { kind: 'even', count: 4 },
    }).panes.map((p) => p.slice.mm);
    // z voxel k is at mm 2k - 17: the search volume spans -9..5 mm, the head -17..17.
    expect(slices.length).toBe(4);
    for (const z of slices) expect(z >= -9 && z <= 5, `z = ${z}`).toBe(true);
    expect(evenSlices(input.background, 'axial', 4).some((s) => s.mm < -9 || s.mm > 5)).toBe(true);
  });

  it('numbers every cluster a slice cuts, on the slice that cuts the most of it, at its largest value there', () => {
    const input = head();
    const o = { ...defaultFigureOptions('t', 'z'), slices: { kind: 'mm' as const, mm: [-13, -7, -5] } };
    const layout = figureLayout(input, o);
    const numbers = layout.texts.filter((t) => t.outlined);
    expect(numbers.map((t) => t.text).sort()).toEqual(['1', '2']);
    // Cluster 1's peak (z 5 mm) is 10 mm from the nearest slice: it is numbered anyway, on a slice that cuts it.
    const one = numbers.find((t) => t.text === '1')!;
    const pane = layout.panes.find((p) => one.x >= p.x && one.x <= p.x + p.w && one.y >= p.y && one.y <= p.y + p.h)!;
    expect([-7, -5]).toContain(pane.slice.mm);
    // A cluster no slice cuts is not drawn, so it gets no number: cluster 2 (z -5 mm) with slices at -13 and -9.
    const two = figureLayout(input, { ...o, slices: { kind: 'mm', mm: [-13, -9] } }).texts.filter((t) => t.outlined);
    expect(two.map((t) => t.text)).toEqual(['1']);
  });
});
