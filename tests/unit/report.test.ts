import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build';
import { escapeHtml } from '../../src/report/escape';
import { leastSquares, niceTicks } from '../../src/report/axes';
import type { ReportInput } from '../../src/report/types';
import { siglensJson } from '../helpers/cli';
import { REPO } from '../helpers/shared';

const EVIL = '<img src=x onerror=alert(1)>.nii.gz';
const SCRIPT = '<script>alert("x")</script>';

function input(): ReportInput {
  const paired = { n: 3, mean: -0.5, sd: 0.2, t: -4.33, df: 2, p: 0.049, dz: -2.5, ci95: [-1, 0] as [number, number] };
  return {
    title: 'Pain & "self-compassion"',
    generated: '2026-12-01T10:00:00Z',
    generator: 'SigLens test',
    inputs: [{ name: EVIL, bytes: 2048, kind: 't, df 262' }],
    settings: [
      { name: 'height', value: 'fdr:0.05' },
      { name: 'sphere', value: `1,2,3,4,${SCRIPT}` },
    ],
    clusterTables: [
      {
        file: EVIL,
        threshold: 3.27,
        twoSided: true,
        connectivity: 26,
        minVoxels: 5,
        dlh: null,
        heightControl: { method: 'fdr', alpha: 0.05, threshold: 3.27, voxels: 211596, statistic: 't, df 262' },
        clusters: [1, 2, 3].map((index) => ({
          index,
          sign: index === 3 ? -1 : 1,
          voxels: 100 / index,
          volumeMm3: 800 / index,
          p: null,
          peak: { value: 5 - index, mm: [index, 2, 3] },
          cog: { mm: [1, 2, 3] },
          region: index === 1 ? SCRIPT : 'Precentral_R',
        })),
      },
    ],
    rois: [{ file: EVIL, rois: [{ name: SCRIPT, center: [56, -44, 30], radiusMm: 2, voxels: 7, mean: 0.97 }] }],
    signature: { weights: 'siips.nii', metric: 'dot', results: [{ file: EVIL, value: 12.5, voxels: 1000 }] },
    batch: {
      pair: ['ses-pre', 'ses-post'],
      subjects: ['a', 'b', 'c', SCRIPT].map((subject, k) => ({
        subject,
        group: ['mbsr', 'control', 'waitlist', 'mbsr'][k]!,
        pre: { value: k },
        post: { value: k - 0.5 },
        change: -0.5,
      })),
      paired,
      groups: {
        groups: ['control', 'mbsr', 'waitlist'],
        n: [1, 2, 1],
        means: [-0.5, -0.5, -0.5],
        anova: { F: 1.5, df1: 2, df2: 1, p: 0.5 },
        byGroup: [{ group: SCRIPT, paired }],
      },
      correlations: [
        {
          measure: 'signature',
          covariate: `pain${SCRIPT}`,
          n: 3,
          missing: 1,
          missingSubjects: ['c'],
          spearman: { rho: 0.5, p: 0.667 },
          pearson: { r: 0.6, p: 0.59 },
          points: [
            { subject: SCRIPT, change: 1, covariate: 2 },
            { subject: 'b', change: 2, covariate: 3 },
            { subject: 'a', change: 2.5, covariate: 5 },
          ],
        },
      ],
      excluded: [{ file: EVIL, reason: 'unpaired' }],
      spheres: [{ name: `cluster 1${SCRIPT}`, center: [48, -14, 56], radiusMm: 2 }],
      roiPaired: [paired],
    },
    figures: [{ title: EVIL, png: 'data:image/png;base64,iVBORw0KGgo=' }],
  };
}

/** Every element of the HTML, as tag names, and every attribute that could fetch something. */
const tags = (html: string): string[] =>
  [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());

describe('the HTML report builder', () => {
  it('escapes every name: a file named like markup stays text', () => {
    const html = buildReport(input());
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script');
    expect(html).toContain(escapeHtml(EVIL));
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('<title>Pain &amp; &quot;self-compassion&quot;</title>');
    // The only elements are the builder's own.
    const allowed = new Set([
      'html',
      'head',
      'meta',
      'title',
      'style',
      'body',
      'header',
      'h1',
      'p',
      'main',
      'section',
      'h2',
      'h3',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
      'sub',
      'figure',
      'figcaption',
      'svg',
      'rect',
      'line',
      'text',
      'circle',
      'g',
      'title',
      'img',
    ]);
    expect(tags(html).filter((t) => !allowed.has(t))).toEqual([]);
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('is self-contained: no URL outside the file, a CSP that forbids fetching, images only as data', () => {
    const html = buildReport(input());
    expect(html).not.toMatch(/https?:|\/\/[a-z]|url\(|@import|<link|<script|<iframe/i);
    expect([...html.matchAll(/\ssrc="([^"]*)"/g)].map((m) => m[1]!.slice(0, 22))).toEqual(['data:image/png;base64,']);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(() => buildReport({ ...input(), figures: [{ title: 'x', png: 'https://example.org/a.png' }] })).toThrow(
      /not a PNG data URL/,
    );
  });

  it('holds the inputs, every setting, the cluster, ROI, signature, group and association tables, and the figures', () => {
    const html = buildReport(input());
    const section = (id: string): string =>
      html.match(new RegExp(`<section id="${id}">(.*?)</section>`, 's'))?.[1] ?? '';
    expect(section('inputs')).toContain('2.0 KiB');
    expect(section('settings')).toContain('fdr:0.05');
    expect(section('clusters').match(/<tr>/g)).toHaveLength(4);
    expect(section('clusters')).toContain('Precentral_R');
    expect(section('clusters')).toContain('fdr 0.05 over 211596 voxels (t, df 262)');
    expect(section('rois')).toContain('(56, -44, 30)');
    expect(section('signature')).toContain('12.5');
    expect(section('group')).toContain('one-way ANOVA F(2, 1) = 1.5, p = 0.5000');
    expect(section('group')).toContain('class="group"');
    expect(section('group')).toMatch(/cluster 1&lt;script.*\(48, -14, 56\).*-4\.33/);
    expect(section('associations')).toContain('1 without a value left out');
    const scatter = section('associations');
    expect(scatter.match(/<g class="point">/g)).toHaveLength(3);
    expect(scatter).toContain('class="fit"');
    expect(scatter).toContain('>b</text>');
    expect(section('figures')).toContain('<img src="data:image/png;base64,');
  });

  it('draws axes on round ticks and the least-squares line', () => {
    expect(niceTicks(0.13, 0.97, 5, 'within')).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(-3, 12, 5, 'within')).toEqual([0, 5, 10]);
    expect(
      leastSquares([
        { label: 'a', x: 0, y: 1 },
        { label: 'b', x: 1, y: 3 },
        { label: 'c', x: 2, y: 5 },
      ]),
    ).toEqual({ a: 1, b: 2 });
    expect(
      leastSquares([
        { label: 'a', x: 1, y: 1 },
        { label: 'b', x: 1, y: 3 },
      ]),
    ).toBeNull();
  });
});

describe('siglens report', () => {
  it('writes one HTML file from maps, a signature and a batch document; --figure must be a PNG', () => {
    const dir = mkdtempSync(join(tmpdir(), 'siglens-report-'));
    const sample = (f: string): string => join(REPO, 'sample-data', f);
    const subjects = join(REPO, 'sample-data/subjects');
    const maps = ['sub-01', 'sub-02', 'sub-03', 'sub-08', 'sub-09', 'sub-10'].flatMap((s) =>
      ['pre', 'post'].map((ses) => join(subjects, `${s}_ses-${ses}_task-pain_zstat.nii.gz`)),
    );
    const batch = siglensJson(
      'batch',
      sample('demo_signature_SYNTHETIC.nii.gz'),
      ...maps,
      '--participants',
      join(subjects, 'participants.tsv'),
      '--covariate',
      'gain',
      '--engine',
      'cpu',
    );
    const batchFile = join(dir, 'batch.json');
    writeFileSync(batchFile, JSON.stringify(batch));
    const out = join(dir, 'report.html');
    const doc = siglensJson<{
      out: string;
      bytes: number;
      inputs: { name: string; kind: string }[];
      engine: { kind: string };
    }>(
      'report',
      sample('group_pain_post_zstat.nii.gz'),
      '--weights',
      sample('demo_signature_SYNTHETIC.nii.gz'),
      '--batch',
      batchFile,
      '--out',
      out,
      '--threshold',
      '3.1',
      '--min-voxels',
      '5',
      '--title',
      'Sample <study>',
      '--engine',
      'cpu',
    );
    const html = readFileSync(out, 'utf8');
    expect(doc.bytes).toBe(Buffer.byteLength(html));
    expect(doc.inputs.map((i) => i.name)).toEqual([
      'group_pain_post_zstat.nii.gz',
      'demo_signature_SYNTHETIC.nii.gz',
      'batch.json',
    ]);
    expect(doc.inputs[0]!.kind).toMatch(/^z; 91×109×91, 2×2×2 mm/);
    expect(html).toContain('<h1>Sample &lt;study&gt;</h1>');
    for (const id of ['inputs', 'settings', 'clusters', 'rois', 'signature', 'group', 'associations'])
      expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('value ≥ 3.1');
    expect(html).toContain('at least 5 voxels');
    expect(html).toContain('right TPJ');
    expect(html).not.toMatch(/https?:/);
    expect(() =>
      siglensJson('report', sample('group_pain_post_zstat.nii.gz'), '--figure', batchFile, '--out', out),
    ).toThrow(/not a PNG file/);
  }, 120_000);
});
