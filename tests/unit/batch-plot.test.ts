import { describe, expect, it } from 'vitest';
import type { BatchSummary } from '../../src/analysis/batch';
import { GROUP_COLOURS, PLOT_INK, plotSvg } from '../../src/app/batch/batch-plot';
import { niceTicks } from '../../src/report/axes';

/** WCAG 2 relative luminance and contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string): number => {
    const [r, g, bl] = [1, 3, 5]
      .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('batch plot', () => {
  it('ticks are round: steps of 1, 2, 2.5 or 5 x 10^k covering the data', () => {
    expect(niceTicks(16.5, 52.9)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(niceTicks(-0.031, 0.044)).toEqual([-0.04, -0.02, 0, 0.02, 0.04, 0.06]);
    expect(niceTicks(0.1, 0.35)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
    expect(niceTicks(3, 3)).toEqual([2, 2.5, 3, 3.5, 4]);
    for (const [lo, hi] of [
      [-1234, 5678],
      [0.0012, 0.0019],
      [7, 8.2],
    ] as const) {
      const t = niceTicks(lo, hi);
      expect(t[0]).toBeLessThanOrEqual(lo);
      expect(t[t.length - 1]).toBeGreaterThanOrEqual(hi);
      expect(t.length).toBeGreaterThanOrEqual(3);
      expect(t.length).toBeLessThanOrEqual(12);
    }
  });

  it('text on white passes 4.5:1, group colours 3:1; names are escaped, never markup', () => {
    for (const c of [PLOT_INK.text, PLOT_INK.muted])
      expect(contrast(c, PLOT_INK.background)).toBeGreaterThanOrEqual(4.5);
    for (const c of GROUP_COLOURS) expect(contrast(c, PLOT_INK.background)).toBeGreaterThanOrEqual(3);
    const item = (value: number) => ({ file: 'f', value, voxels: 1, rois: [] });
    const s: BatchSummary = {
      pair: ['ses-pre', 'ses-post'],
      subjects: [
        { subject: 'sub-<img src=x>', group: 'training & co', pre: item(1), post: item(2), change: 1 },
        { subject: 'sub-2', group: 'waitlist', pre: item(1.5), post: item(1.2), change: -0.3 },
      ],
      excluded: [],
      correlations: [],
      paired: null,
      groups: null,
      roiPaired: [],
    };
    const svg = plotSvg(s, 'signature response');
    expect(svg).not.toContain('<img');
    expect(svg).toContain('sub-&lt;img src=x&gt;');
    expect(svg).toContain('training &amp; co: subjects, and mean ± 95% CI');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*><title>/);
    expect(svg).toContain(`<rect x="0" y="0" width="480"`);
  });
});
