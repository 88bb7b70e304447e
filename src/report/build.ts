import { CI_LEVEL } from '../analysis/paired';
import { thresholdForP } from '../analysis/pvalue';
import { escapeHtml as e, fmtBytes, fmtNumber as n, fmtP } from './escape';
import { groupPlotSvg, scatterSvg, type GroupSeries } from './svg';
import type { ReportBatch, ReportClusterTable, ReportInput } from './types';

/** A p-value for the HTML: the shared formatter's text (`< 1e-16` below the floor), escaped. */
const pv = (p: number | null | undefined): string => e(fmtP(p));

/**
 * One self-contained HTML report (SPEC "Study statistics"; nilearn's make_glm_report): inputs, every
 * setting, cluster, ROI and signature tables, group and association statistics, and figures as inline
 * SVG or PNG data. Nothing in it refers outside the file (a Content-Security-Policy says so to the
 * browser too), and every name in it is escaped, so a file named like markup stays text.
 */
export function buildReport(r: ReportInput): string {
  const sections = [
    section(
      'inputs',
      'Inputs',
      table(
        ['file', 'size', 'kind'],
        r.inputs.map((f) => [e(f.name), f.bytes === null ? '–' : fmtBytes(f.bytes), e(f.kind)]),
      ),
    ),
    section(
      'settings',
      'Settings',
      table(
        ['setting', 'value'],
        r.settings.map((s) => [e(s.name), e(s.value)]),
      ),
    ),
    r.clusterTables?.length ? section('clusters', 'Clusters', r.clusterTables.map(clusterSection).join('')) : '',
    r.rois?.length ? section('rois', 'Regions of interest', roiTable(r.rois)) : '',
    r.signature ? section('signature', 'Signature responses', signatureTable(r.signature)) : '',
    r.batch ? section('group', 'Paired and group statistics', groupSection(r.batch)) : '',
    r.batch?.correlations?.length
      ? section('associations', 'Brain-behaviour associations', associationSection(r.batch))
      : '',
    r.figures?.length ? section('figures', 'Figures', r.figures.map(figure).join('')) : '',
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(r.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${e(r.title)}</h1><p class="meta">${e(r.generator)} · ${e(r.generated)}</p></header>
<main>
${sections.filter(Boolean).join('\n')}
</main>
</body>
</html>
`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;color:#1d232a;margin:2em auto;max-width:1100px;padding:0 1em}
h1{font-size:1.6em;margin:0}h2{border-bottom:1px solid #ccd;padding-bottom:.2em;margin-top:2em}h3{font-size:1.05em}
.meta{color:#5a6570}table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #d5dae0;padding:.25em .6em;text-align:right}
th{background:#f1f4f7}td.name,th.name{text-align:left}figure{display:inline-block;margin:.5em 1em .5em 0}
figcaption{font-size:.9em;color:#5a6570}img{max-width:100%}@media print{h2{break-after:avoid}table,figure{break-inside:avoid}}`;

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${title}</h2>${body}</section>`;
}

/** A cell of numbers (a value, a coordinate triple, a size) is right-aligned; words are not. */
const NUMERIC = /^[-+−–\s\d.,()e]*(?:\s?(?:KiB|MiB|GiB|bytes))?$/;

/** A table whose cells are already escaped HTML. */
function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  if (!rows.length) return '<p>none</p>';
  const text = head.map((_, k) => !rows.every((r) => NUMERIC.test(r[k] ?? '')));
  const th = head.map((h, k) => `<th${text[k] ? ' class="name"' : ''}>${h}</th>`).join('');
  const tr = rows
    .map((r) => `<tr>${r.map((c, k) => `<td${text[k] ? ' class="name"' : ''}>${c}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

const mm = (v: readonly number[]): string => `(${v.map((x) => n(x, 3)).join(', ')})`;

function clusterSection(t: ReportClusterTable): string {
  const h = t.heightControl;
  const height = t.threshold === null ? 'no voxel survives' : `${t.twoSided ? '|value|' : 'value'} ≥ ${n(t.threshold)}`;
  const control = h
    ? `; ${e(h.method)} ${n(h.alpha)} over ${h.voxels} voxels${h.statistic ? ` (${e(h.statistic)})` : ''}`
    : '';
  const regions = t.clusters.some((c) => c.region !== undefined);
  const head = [
    'cluster',
    'sign',
    'voxels',
    'mm³',
    'p (GRF)',
    'peak',
    'peak mm',
    'centre of gravity mm',
    ...(regions ? ['region'] : []),
  ];
  // Each cluster's row, then its sub-peaks' rows (cluster.k), as the page's cluster table lists them.
  const rows = t.clusters.flatMap((c) => [
    [
      String(c.index),
      c.sign > 0 ? '+' : '−',
      String(c.voxels),
      n(c.volumeMm3),
      pv(c.p),
      n(c.peak.value),
      mm(c.peak.mm),
      mm(c.cog.mm),
      ...(regions ? [e(c.region ?? '')] : []),
    ],
    ...(c.subpeaks ?? []).map((s, k) => [
      `${c.index}.${k + 1}`,
      '',
      '',
      '',
      '',
      n(s.value),
      mm(s.mm),
      '',
      ...(regions ? [''] : []),
    ]),
  ]);
  const subs = t.clusters.reduce((k, c) => k + (c.subpeaks?.length ?? 0), 0);
  const facts = `${height}${control}; ${t.connectivity}-connected${t.minVoxels ? `, at least ${t.minVoxels} voxels` : ''}${t.dlh !== null ? `; DLH ${n(t.dlh)}` : ''}`;
  const notes = t.warnings?.length ? `<p>${e(t.warnings.join('. '))}.</p>` : '';
  return `<h3>${e(t.file)}</h3><p>${t.clusters.length} cluster(s)${subs ? `, ${subs} sub-peak(s)` : ''}: ${facts}</p>${notes}${table(head, rows)}`;
}

function roiTable(maps: NonNullable<ReportInput['rois']>): string {
  const rows = maps.flatMap((m) =>
    m.rois.map((o) => [e(m.file), e(o.name), mm(o.center), n(o.radiusMm), String(o.voxels), n(o.mean)]),
  );
  return table(['map', 'region', 'centre mm', 'radius mm', 'voxels', 'mean'], rows);
}

function signatureTable(s: NonNullable<ReportInput['signature']>): string {
  return `<p>${e(s.weights)}, ${e(s.metric)}</p>${table(
    ['map', 'response', 'voxels'],
    s.results.map((r) => [e(r.file), n(r.value, 6), String(r.voxels)]),
  )}`;
}

function pairedLine(label: string, p: ReportBatch['paired']): string {
  if (!p) return `<p>${label}: fewer than two pairs</p>`;
  return `<p>${label}: n ${p.n}, mean change ${n(p.mean)} (SD ${n(p.sd)}), t(${p.df}) = ${n(p.t)}, p = ${pv(p.p)}, d<sub>z</sub> ${n(p.dz, 3)}, 95% CI [${p.ci95.map((v) => n(v)).join(', ')}]</p>`;
}

function groupSection(b: ReportBatch): string {
  const [pre, post] = b.pair;
  const parts = [pairedLine(`All subjects, ${e(post)} − ${e(pre)}`, b.paired)];
  const g = b.groups;
  if (g) {
    parts.push(
      'difference' in g
        ? `<p>${g.groups.map(e).join(' vs ')} (change): difference ${n(g.difference)}, 95% CI [${g.ci95.map((v) => n(v)).join(', ')}], Welch t(${n(g.df, 3)}) = ${n(g.t)}, p = ${pv(g.p)}</p>`
        : `<p>${g.groups.map(e).join(', ')} (change): ${g.anova ? `one-way ANOVA F(${g.anova.df1}, ${g.anova.df2}) = ${n(g.anova.F)}, p = ${pv(g.anova.p)}` : 'ANOVA undefined'}</p>`,
      ...g.byGroup.map((x) => pairedLine(e(x.group), x.paired)),
    );
  }
  if (b.spheres?.length && b.roiPaired?.length)
    parts.push(`<h3>Sphere means, ${e(post)} − ${e(pre)}</h3>${roiPairedTable(b)}`);
  const rows = b.subjects.map((s) => [
    e(s.subject),
    e(s.group ?? ''),
    n(s.pre.value, 6),
    n(s.post.value, 6),
    n(s.change, 6),
  ]);
  parts.push(
    `<figure>${groupPlotSvg('Signature response by group', [pre, post], 'response (mean, 95% CI)', groupSeries(b))}<figcaption>Each group's mean ${e(pre)} → ${e(post)} with its 95% CI.</figcaption></figure>`,
  );
  parts.push(table(['subject', 'group', e(pre), e(post), 'change'], rows));
  if (b.excluded?.length)
    parts.push(
      `<h3>Left out</h3>${table(
        ['file', 'reason'],
        b.excluded.map((x) => [e(x.file), e(x.reason)]),
      )}`,
    );
  return parts.join('');
}

function roiPairedTable(b: ReportBatch): string {
  const rows = (b.spheres ?? []).map((sphere, k) => {
    const p = b.roiPaired?.[k] ?? null;
    return [
      e(sphere.name),
      mm(sphere.center),
      n(sphere.radiusMm),
      ...(p ? [String(p.n), n(p.mean), n(p.t), String(p.df), pv(p.p), n(p.dz, 3)] : ['–', '–', '–', '–', '–', '–']),
    ];
  });
  return table(['sphere', 'centre mm', 'radius mm', 'n', 'mean change', 't', 'df', 'p', 'd<sub>z</sub>'], rows);
}

/** Mean and 95% CI (t through n - 1) of each group's pre and post responses. */
export function groupSeries(b: ReportBatch): GroupSeries[] {
  const names = [...new Set(b.subjects.map((s) => s.group ?? 'all'))].sort();
  const summary = (v: number[]): GroupSeries['pre'] => {
    const m = v.reduce((a, x) => a + x, 0) / v.length;
    if (v.length < 2) return { mean: m, lo: m, hi: m };
    const sd = Math.sqrt(v.reduce((a, x) => a + (x - m) ** 2, 0) / (v.length - 1));
    const half = thresholdForP(1 - CI_LEVEL, true, v.length - 1) * (sd / Math.sqrt(v.length));
    return { mean: m, lo: m - half, hi: m + half };
  };
  return names.flatMap((name) => {
    const rows = b.subjects.filter((s) => (s.group ?? 'all') === name && s.pre.value !== null && s.post.value !== null);
    return rows.length
      ? [{ name, pre: summary(rows.map((s) => s.pre.value!)), post: summary(rows.map((s) => s.post.value!)) }]
      : [];
  });
}

function associationSection(b: ReportBatch): string {
  const cs = b.correlations ?? [];
  const rows = cs.map((c) => [
    e(c.measure),
    e(c.covariate),
    String(c.n),
    String(c.missing),
    n(c.spearman?.rho),
    pv(c.spearman?.p),
    n(c.pearson?.r),
    pv(c.pearson?.p),
  ]);
  const figures = cs.map(
    (c) =>
      `<figure>${scatterSvg(
        `${c.measure} change vs ${c.covariate}`,
        c.covariate,
        `${c.measure} change (${b.pair[1]} − ${b.pair[0]})`,
        c.points.map((p) => ({ label: p.subject, x: p.covariate, y: p.change })),
      )}<figcaption>${e(c.measure)}: Spearman ρ ${n(c.spearman?.rho, 3)} (p ${pv(c.spearman?.p)}), n ${c.n}${c.missing ? `, ${c.missing} without a value left out` : ''}; the line is the least-squares fit.</figcaption></figure>`,
  );
  return table(['measure', 'covariate', 'n', 'left out', 'Spearman ρ', 'p', 'Pearson r', 'p'], rows) + figures.join('');
}

const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/;

function figure(f: NonNullable<ReportInput['figures']>[number]): string {
  if (!PNG_DATA_URL.test(f.png)) throw new TypeError(`figure "${f.title}" is not a PNG data URL`);
  return `<figure><img src="${f.png}" alt="${e(f.title)}"><figcaption>${e(f.title)}</figcaption></figure>`;
}
