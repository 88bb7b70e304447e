import type { Connectivity } from '../../compute/engine';
import type { Metric, ResampleDirection } from '../../analysis/signature';
import type { Sphere } from '../../analysis/roi';
import { DEFAULT_SETTINGS, type ExtentKind, type ThresholdSettings } from '../../analysis/threshold-settings';

/**
 * A map a link names: by URL, or by file name when it was opened from the author's computer (a
 * link cannot carry the file; the page asks for it by name).
 */
export type LinkedMap =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'local'; readonly name: string };

/** How a local file is written in a link's `map=`: `local:NAME`. */
const LOCAL = 'local:';

/** Everything a shared link carries: maps (by URL or file name), threshold, crosshair and every panel choice. */
export interface UrlState {
  readonly maps: LinkedMap[];
  /** Index into `maps`, or (links from before local maps) a URL of its own. */
  readonly background: number | string | null;
  readonly settings: ThresholdSettings;
  readonly crosshair: [number, number, number] | null;
  /** Indices into `maps`. */
  readonly selected: number | null;
  readonly compare: { pre: number; post: number; diff: boolean } | null;
  readonly signature: { weights: number; metric: Metric; direction: ResampleDirection; contribution: boolean } | null;
  /** null: the built-in set; [] when the author removed every sphere. */
  readonly spheres: Sphere[] | null;
  readonly engine: 'auto' | 'gpu' | 'cpu';
  readonly demo: boolean;
  /** The frame shown of 4D maps, by index into `maps` (frame 0 is left out). */
  readonly frames?: Readonly<Record<number, number>>;
  /** The df typed for t- and F-maps that do not say theirs, by index into `maps`: [df] or [df1, df2]. */
  readonly dfs?: Readonly<Record<number, readonly number[]>>;
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

/** `sm=fwhm:8,8,8` or `sm=resels:1460`: the smoothness typed in the threshold panel. */
function smoothnessFromUrl(v: string | null): Pick<ThresholdSettings, 'smoothness' | 'smoothnessText'> {
  const at = v?.indexOf(':') ?? -1;
  const kind = v && at > 0 ? v.slice(0, at) : null;
  return kind === 'fwhm' || kind === 'resels' ? { smoothness: kind, smoothnessText: v!.slice(at + 1) } : {};
}

/** The threshold panel's settings; a value a link cannot carry falls back to the default. */
function settingsFromUrl(q: URLSearchParams): ThresholdSettings {
  const [extent, extentValue] = (q.get('extent') ?? '').split(':');
  const conn = num(q.get('conn'), DEFAULT_SETTINGS.connectivity);
  return {
    mode: MODES.find((m) => m === q.get('mode')) ?? 'z',
    value: num(q.get('t'), DEFAULT_SETTINGS.value),
    twoSided: q.get('two') === '1',
    connectivity: ([6, 18, 26].includes(conn) ? conn : DEFAULT_SETTINGS.connectivity) as Connectivity,
    extent: EXTENTS.includes(extent as ExtentKind) ? (extent as ExtentKind) : 'none',
    extentValue: num(extentValue ?? null, DEFAULT_SETTINGS.extentValue),
    faint: q.get('faint') === '1',
    ...smoothnessFromUrl(q.get('sm')),
  };
}

/**
 * `roi=X,Y,Z,R[,NAME]` for each sphere, `roi=none` when the author removed them all. null (the
 * built-in set) when there are none, or when any is malformed.
 */
function spheresFromUrl(rois: readonly string[]): Sphere[] | null {
  const spheres = rois
    .filter((r) => r !== 'none')
    .map((s) => {
      const [x, y, z, r, ...name] = s.split(',');
      return {
        name: name.join(',') || `(${x}, ${y}, ${z})`,
        center: [Number(x), Number(y), Number(z)] as [number, number, number],
        radiusMm: Number(r),
      };
    });
  return rois.includes('none')
    ? []
    : spheres.length && spheres.every((s) => s.center.every(Number.isFinite) && s.radiusMm > 0)
      ? spheres
      : null;
}

export function parseUrlState(search: string): UrlState {
  const q = new URLSearchParams(search);
  const cmp = q.get('compare')?.split(',').map(Number);
  const sig = q.get('sig')?.split(',');
  const engine = q.get('engine');
  const bg = q.get('bg');
  return {
    maps: q
      .getAll('map')
      .map(
        (m): LinkedMap =>
          m.startsWith(LOCAL) ? { kind: 'local', name: m.slice(LOCAL.length) } : { kind: 'url', url: m },
      ),
    background: bg === null ? null : /^\d+$/.test(bg) ? Number(bg) : bg,
    settings: settingsFromUrl(q),
    crosshair: triple(q.get('xyz')),
    selected: q.has('sel') ? num(q.get('sel'), 0) : null,
    compare:
      cmp && cmp.length >= 2 && cmp.slice(0, 2).every(Number.isInteger)
        ? { pre: cmp[0]!, post: cmp[1]!, diff: cmp[2] !== 0 }
        : null,
    signature:
      sig && Number.isInteger(Number(sig[0]))
        ? {
            weights: Number(sig[0]),
            metric: METRICS.includes(sig[1] as Metric) ? (sig[1] as Metric) : 'dot',
            direction: sig[2] === 'data-to-weights' ? 'data-to-weights' : 'weights-to-data',
            contribution: sig[3] === '1',
          }
        : null,
    spheres: spheresFromUrl(q.getAll('roi')),
    engine: engine === 'gpu' || engine === 'cpu' ? engine : 'auto',
    demo: q.get('demo') === '1',
    frames: Object.fromEntries(
      (q.get('frames') ?? '')
        .split(',')
        .map((f) => f.split(':').map(Number))
        .filter((f) => f.length === 2 && f.every((n) => Number.isInteger(n) && n >= 0)),
    ),
    dfs: Object.fromEntries(
      (q.get('df') ?? '')
        .split(',')
        .map((f) => f.split(':').map(Number))
        .filter(
          (f) =>
            (f.length === 2 || f.length === 3) &&
            Number.isInteger(f[0]) &&
            f[0]! >= 0 &&
            f.slice(1).every((n) => n > 0 && Number.isFinite(n)),
        )
        .map((f) => [f[0]!, f.slice(1)]),
    ),
  };
}

export function formatUrlState(s: UrlState): string {
  const q = new URLSearchParams();
  for (const m of s.maps) q.append('map', m.kind === 'url' ? m.url : `${LOCAL}${m.name}`);
  if (s.background !== null) q.set('bg', String(s.background));
  q.set('mode', s.settings.mode);
  q.set('t', String(s.settings.value));
  if (s.settings.twoSided) q.set('two', '1');
  q.set('conn', String(s.settings.connectivity));
  if (s.settings.extent !== 'none') q.set('extent', `${s.settings.extent}:${s.settings.extentValue}`);
  if (s.settings.faint) q.set('faint', '1');
  // SPM's FWHM or resels as typed (a wrong value comes back wrong, and is refused with its reason again).
  if (s.settings.smoothness && s.settings.smoothness !== 'estimate')
    q.set('sm', `${s.settings.smoothness}:${s.settings.smoothnessText ?? ''}`);
  if (s.crosshair) q.set('xyz', s.crosshair.map((v) => +v.toFixed(2)).join(','));
  if (s.selected !== null) q.set('sel', String(s.selected));
  if (s.compare) q.set('compare', `${s.compare.pre},${s.compare.post},${s.compare.diff ? 1 : 0}`);
  if (s.signature)
    q.set(
      'sig',
      `${s.signature.weights},${s.signature.metric},${s.signature.direction},${s.signature.contribution ? 1 : 0}`,
    );
  if (s.spheres && !s.spheres.length) q.append('roi', 'none');
  for (const r of s.spheres ?? []) q.append('roi', [...r.center, r.radiusMm, r.name].join(','));
  if (s.engine !== 'auto') q.set('engine', s.engine);
  if (s.demo) q.set('demo', '1');
  const frames = Object.entries(s.frames ?? {}).filter(([, k]) => k > 0);
  if (frames.length) q.set('frames', frames.map(([i, k]) => `${i}:${k}`).join(','));
  const dfs = Object.entries(s.dfs ?? {});
  if (dfs.length) q.set('df', dfs.map(([i, d]) => [i, ...d].join(':')).join(','));
  return `?${q.toString()}`;
}

/** What the page shows now, as a link: every map in the order loaded, by URL or (a local file) by name; choices by index. */
export function currentUrlState(
  base: UrlState,
  now: {
    maps: readonly { id: number; url: string | null; name: string; frame?: number; df?: readonly number[] }[];
    backgroundId: number | null;
    selectedId: number | null;
    settings: ThresholdSettings;
    crosshair: [number, number, number] | null;
    compare: { on: boolean; preId: number | null; postId: number | null; showDifference: boolean };
    signature: { weightsId: number | null; metric: Metric; direction: ResampleDirection; showContribution: boolean };
    spheres: Sphere[];
  },
): UrlState {
  const maps = now.maps.map((m): LinkedMap => (m.url ? { kind: 'url', url: m.url } : { kind: 'local', name: m.name }));
  const index = (id: number | null): number | null => {
    const i = id === null ? -1 : now.maps.findIndex((e) => e.id === id);
    return i >= 0 ? i : null;
  };
  const pre = index(now.compare.preId);
  const post = index(now.compare.postId);
  const weights = index(now.signature.weightsId);
  const s = now.signature;
  return {
    ...base,
    maps,
    background: index(now.backgroundId),
    settings: now.settings,
    crosshair: now.crosshair,
    selected: index(now.selectedId),
    compare: now.compare.on && pre !== null && post !== null ? { pre, post, diff: now.compare.showDifference } : null,
    signature:
      weights !== null ? { weights, metric: s.metric, direction: s.direction, contribution: s.showContribution } : null,
    spheres: now.spheres,
    // By index into the link's maps, which are every map in load order.
    frames: Object.fromEntries(now.maps.flatMap((m, i) => (m.frame ? [[i, m.frame]] : []))),
    dfs: Object.fromEntries(now.maps.flatMap((m, i) => (m.df?.length ? [[i, m.df]] : []))),
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
