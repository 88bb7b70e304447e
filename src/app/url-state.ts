import type { Connectivity } from '../compute/engine';
import type { Metric } from '../analysis/signature';
import type { Sphere } from '../analysis/roi';
import { DEFAULT_SETTINGS, type ExtentKind, type ThresholdSettings } from './settings';

/** Everything a shared link carries: maps by URL, threshold, crosshair and panel choices. */
export interface UrlState {
  readonly maps: string[];
  readonly background: string | null;
  readonly settings: ThresholdSettings;
  readonly crosshair: [number, number, number] | null;
  /** Indices into `maps`. */
  readonly selected: number | null;
  readonly compare: { pre: number; post: number; diff: boolean } | null;
  readonly signature: { weights: number; metric: Metric } | null;
  readonly spheres: Sphere[] | null;
  readonly engine: 'auto' | 'gpu' | 'cpu';
  readonly demo: boolean;
  /** The frame shown of 4D maps, by index into `maps` (frame 0 is left out). */
  readonly frames?: Readonly<Record<number, number>>;
}

const EXTENTS: ExtentKind[] = ['none', 'voxels', 'mm3', 'grf'];
const METRICS: Metric[] = ['dot', 'cosine', 'correlation'];

function num(v: string | null, fallback: number): number {
  const n = v === null ? NaN : Number(v);
  return Number.isFinite(n) ? n : fallback;
}

function triple(v: string | null): [number, number, number] | null {
  const parts = v?.split(',').map(Number);
  return parts && parts.length === 3 && parts.every(Number.isFinite) ? [parts[0]!, parts[1]!, parts[2]!] : null;
}

const MODES = ['z', 'p', 'fdr', 'bonferroni'] as const;

export function parseUrlState(search: string): UrlState {
  const q = new URLSearchParams(search);
  const [extent, extentValue] = (q.get('extent') ?? '').split(':');
  const conn = num(q.get('conn'), DEFAULT_SETTINGS.connectivity);
  const settings: ThresholdSettings = {
    mode: MODES.find((m) => m === q.get('mode')) ?? 'z',
    value: num(q.get('t'), DEFAULT_SETTINGS.value),
    twoSided: q.get('two') === '1',
    connectivity: ([6, 18, 26].includes(conn) ? conn : DEFAULT_SETTINGS.connectivity) as Connectivity,
    extent: EXTENTS.includes(extent as ExtentKind) ? (extent as ExtentKind) : 'none',
    extentValue: num(extentValue ?? null, DEFAULT_SETTINGS.extentValue),
    faint: q.get('faint') === '1',
  };
  const cmp = q.get('compare')?.split(',').map(Number);
  const sig = q.get('sig')?.split(',');
  const spheres = q.getAll('roi').map((s) => {
    const [x, y, z, r, ...name] = s.split(',');
    return { name: name.join(',') || `(${x}, ${y}, ${z})`, center: [Number(x), Number(y), Number(z)] as [number, number, number], radiusMm: Number(r) };
  });
  const engine = q.get('engine');
  return {
    maps: q.getAll('map'),
    background: q.get('bg'),
    settings,
    crosshair: triple(q.get('xyz')),
    selected: q.has('sel') ? num(q.get('sel'), 0) : null,
    compare: cmp && cmp.length >= 2 && cmp.slice(0, 2).every(Number.isInteger) ? { pre: cmp[0]!, post: cmp[1]!, diff: cmp[2] !== 0 } : null,
    signature: sig && Number.isInteger(Number(sig[0])) ? { weights: Number(sig[0]), metric: METRICS.includes(sig[1] as Metric) ? (sig[1] as Metric) : 'dot' } : null,
    spheres: spheres.length && spheres.every((s) => s.center.every(Number.isFinite) && s.radiusMm > 0) ? spheres : null,
    engine: engine === 'gpu' || engine === 'cpu' ? engine : 'auto',
    demo: q.get('demo') === '1',
    frames: Object.fromEntries(
      (q.get('frames') ?? '')
        .split(',')
        .map((f) => f.split(':').map(Number))
        .filter((f) => f.length === 2 && f.every((n) => Number.isInteger(n) && n >= 0)),
    ),
  };
}

export function formatUrlState(s: UrlState): string {
  const q = new URLSearchParams();
  for (const m of s.maps) q.append('map', m);
  if (s.background) q.set('bg', s.background);
  q.set('mode', s.settings.mode);
  q.set('t', String(s.settings.value));
  if (s.settings.twoSided) q.set('two', '1');
  q.set('conn', String(s.settings.connectivity));
  if (s.settings.extent !== 'none') q.set('extent', `${s.settings.extent}:${s.settings.extentValue}`);
  if (s.settings.faint) q.set('faint', '1');
  if (s.crosshair) q.set('xyz', s.crosshair.map((v) => +v.toFixed(2)).join(','));
  if (s.selected !== null) q.set('sel', String(s.selected));
  if (s.compare) q.set('compare', `${s.compare.pre},${s.compare.post},${s.compare.diff ? 1 : 0}`);
  if (s.signature) q.set('sig', `${s.signature.weights},${s.signature.metric}`);
  for (const r of s.spheres ?? []) q.append('roi', [...r.center, r.radiusMm, r.name].join(','));
  if (s.engine !== 'auto') q.set('engine', s.engine);
  if (s.demo) q.set('demo', '1');
  const frames = Object.entries(s.frames ?? {}).filter(([, k]) => k > 0);
  if (frames.length) q.set('frames', frames.map(([i, k]) => `${i}:${k}`).join(','));
  return `?${q.toString()}`;
}

/** What the page shows now, as a link: maps that came from URLs are named by their index in the link. */
export function currentUrlState(
  base: UrlState,
  now: {
    maps: readonly { id: number; url: string | null; frame?: number }[];
    backgroundId: number | null;
    selectedId: number | null;
    settings: ThresholdSettings;
    crosshair: [number, number, number] | null;
    compare: { on: boolean; preId: number | null; postId: number | null; showDifference: boolean };
    signature: { weightsId: number | null; metric: Metric };
    spheres: Sphere[];
  },
): UrlState {
  const urlIndex = (id: number | null): number | null => {
    if (id === null) return null;
    const m = now.maps.find((e) => e.id === id);
    const i = m?.url ? base.maps.indexOf(m.url) : -1;
    return i >= 0 ? i : null;
  };
  const pre = urlIndex(now.compare.preId);
  const post = urlIndex(now.compare.postId);
  const weights = urlIndex(now.signature.weightsId);
  const bg = now.maps.find((m) => m.id === now.backgroundId)?.url ?? null;
  return {
    ...base,
    background: bg && !base.maps.includes(bg) ? bg : null,
    settings: now.settings,
    crosshair: now.crosshair,
    selected: urlIndex(now.selectedId),
    compare: now.compare.on && pre !== null && post !== null ? { pre, post, diff: now.compare.showDifference } : null,
    signature: weights !== null ? { weights, metric: now.signature.metric } : null,
    spheres: now.spheres,
    frames: Object.fromEntries(now.maps.flatMap((m) => (m.url && m.frame && base.maps.includes(m.url) ? [[base.maps.indexOf(m.url), m.frame]] : []))),
  };
}

/**
 * The address bar follows the view once the reader pauses this long: `history.replaceState` costs
 * 0.5-4 ms in Chromium, which every step of a threshold slider would otherwise pay before its table.
 */
export const URL_WRITE_DELAY_MS = 250;

/** `fn`, run once calls have paused for `ms` (the last call wins). */
export function whenPaused(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}
