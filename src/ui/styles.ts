import { css } from 'lit';

/** Shared look of the side panels: dark, compact, readable numbers. */
export const panelStyles = css`
  :host { display: block; font-size: 0.88rem; }
  h2 { font-size: 0.95rem; margin: 0 0 0.4rem; color: var(--fg, #e6e9ee); }
  .row { display: flex; flex-wrap: wrap; gap: 0.4rem 0.8rem; align-items: center; margin: 0.25rem 0; }
  label { color: var(--muted, #9aa4b2); display: inline-flex; gap: 0.3rem; align-items: center; }
  input[type='number'] { width: 5.5rem; }
  input, select, button { font: inherit; color: var(--fg, #e6e9ee); background: #0d1014; border: 1px solid #39424e; border-radius: 4px; padding: 0.15rem 0.35rem; }
  button { cursor: pointer; background: #222a33; }
  button:hover:not(:disabled) { border-color: var(--accent, #ff9f1c); }
  /* Disabled looks disabled: dimmed, no hover, a not-allowed cursor (the greys stay >= 3:1 on the panel). */
  :disabled { color: #7d8794; background: #161b21; border-color: #2a323c; border-style: dashed; cursor: not-allowed; }
  :focus-visible { outline: 2px solid var(--accent, #ff9f1c); outline-offset: 1px; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  th, td { padding: 0.15rem 0.35rem; text-align: right; border-bottom: 1px solid #2a323c; white-space: nowrap; }
  th { color: var(--muted, #9aa4b2); font-weight: 500; }
  td.name, th.name { text-align: left; }
  .muted { color: var(--muted, #9aa4b2); }
  .pos { color: #ff9f1c; }
  .neg { color: #4fa3ff; }
  .scroll { max-height: 16rem; overflow: auto; }
`;

/** A list of cards, one per item (maps, layers). */
export const cardListStyles = css`
  ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; }
  li { background: var(--panel, #1a1f26); border-radius: 6px; padding: 0.3rem 0.5rem; }
  .name { font-weight: 600; word-break: break-all; }
`;

export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

export { fmtP } from '../report/escape';
