import { css } from 'lit';

/**
 * The page's layout. Wide screens (>= 1200 px) keep the side panel as a column; narrower ones make
 * it a drawer over the views, so the panes keep the width. The panes' own arrangement follows the
 * shape of the space they have (a size container): side by side unless it is much taller than wide.
 * A narrow pane stacks its three slices in a column, so three panes in a row draw the brain larger
 * than two above one (at 1280 x 720: scale 0.92 against 0.67) down to a 2:3 space.
 */
export const appStyles = css`
  :host { display: flex; flex-direction: column; height: 100vh; box-sizing: border-box; overflow: hidden; }
  header { display: flex; align-items: center; gap: 1.2rem; padding: 0.4rem 1rem; border-bottom: 1px solid #2a323c; white-space: nowrap; }
  header sl-file-drop { min-width: 0; overflow: hidden; padding: 4px; }
  h1 { font-size: 1.2rem; margin: 0; }
  h1 span { color: var(--muted, #9aa4b2); font-weight: 400; font-size: 0.9rem; }
  h2 { font-size: 0.95rem; margin: 0 0 0.4rem; }
  main { flex: 1; min-height: 0; display: grid; grid-template-columns: minmax(0, 1fr) 30rem; }
  .views { display: flex; flex-direction: column; min-width: 0; min-height: 0; padding: 0.4rem; gap: 0.3rem; }
  .pane-area { flex: 1; min-height: 0; container-type: size; }
  .panes { height: 100%; display: grid; gap: 0.4rem; grid-template-columns: minmax(0, 1fr); grid-auto-rows: minmax(0, 1fr); }
  .panes[data-count='2'] { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .panes[data-count='3'] { grid-template-columns: repeat(3, minmax(0, 1fr)); }
  @container (max-aspect-ratio: 1/1) {
    .panes[data-count='2'] { grid-template-columns: minmax(0, 1fr); }
  }
  @container (max-aspect-ratio: 2/3) {
    .panes[data-count='3'] { grid-template-columns: repeat(2, minmax(0, 1fr)); }
    .panes[data-count='3'] figure:nth-child(3) { grid-column: span 2; }
  }
  figure { margin: 0; display: flex; flex-direction: column; min-height: 0; min-width: 0; background: #000; border-radius: 6px; overflow: hidden; }
  figcaption { display: flex; justify-content: space-between; align-items: center; gap: 0.4rem; padding: 0.15rem 0.5rem; font-size: 0.85rem; background: #1a1f26; white-space: nowrap; }
  figcaption > span { overflow: hidden; text-overflow: ellipsis; }
  figcaption > .pane-buttons { flex: none; display: flex; gap: 0.3rem; overflow: visible; }
  figcaption .role { color: var(--accent, #ff9f1c); font-weight: 700; text-transform: uppercase; }
  /* The canvas fills a box whose size never depends on the canvas: NiiVue resizes its drawing buffer
     to the box, and a canvas sized by its own buffer would feed back into the layout. */
  .canvas-box { flex: 1; position: relative; min-height: 0; }
  canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; }
  .empty { color: var(--muted, #9aa4b2); align-self: center; justify-self: center; }
  /* Its own layer: a threshold change repaints the panels, not the whole page around the views. */
  aside { overflow-y: auto; padding: 0.6rem 0.8rem; border-left: 1px solid #2a323c; display: flex; flex-direction: column; gap: 0.9rem; will-change: transform; background: var(--bg, #111418); min-height: 0; scrollbar-gutter: stable; }
  #panels-button { display: none; margin-left: auto; }
  #panels-close { display: none; align-self: flex-end; }
  @media (max-width: 1199px) {
    main { grid-template-columns: minmax(0, 1fr); }
    aside { position: fixed; top: 0; right: 0; bottom: 0; width: min(30rem, 92vw); z-index: 10; box-shadow: -8px 0 24px rgb(0 0 0 / 0.6); visibility: hidden; }
    aside.open { visibility: visible; }
    #panels-button, #panels-close { display: inline-block; }
    /* Narrow headers wrap the drop hint rather than cut it mid-word. */
    header { white-space: normal; gap: 0.8rem; }
    header sl-file-drop { flex: 1 1 16rem; }
    header button { flex: none; }
    /* The demo's panels beside the panes (a column again), so the caption's panes stay in view. */
    main.docked { grid-template-columns: minmax(0, 1fr) min(30rem, 48vw); }
    main.docked aside { position: static; width: auto; visibility: visible; box-shadow: none; z-index: auto; }
  }
  .link-note { margin: 0.3rem 1rem; padding: 0.3rem 0.6rem; border: 1px solid #6b5a2a; background: #2a2414; border-radius: 4px; font-size: 0.88rem; }
  .error { color: var(--error, #ff6b6b); margin: 0.3rem 1rem; }
  .load-errors { margin: 0.3rem 1rem; padding: 0.2rem 0.6rem; border: 1px solid #7a2f2f; background: #2a1616; border-radius: 4px; }
  .load-errors .error { margin: 0.2rem 0; word-break: break-word; }
  .muted { color: var(--muted, #9aa4b2); font-size: 0.85rem; margin: 0; }
  button { font: inherit; color: var(--fg, #e6e9ee); background: #222a33; border: 1px solid #39424e; border-radius: 4px; padding: 0.15rem 0.45rem; cursor: pointer; }
  button:disabled { color: #7d8794; background: #161b21; border-color: #2a323c; border-style: dashed; cursor: not-allowed; }
  :focus-visible { outline: 2px solid var(--accent, #ff9f1c); outline-offset: 1px; }
  .standin { color: #ffcf7a; font-size: 0.8rem; }
  header #demo-button { background: #2f5d2f; border-color: #4c8f4c; font-weight: 600; }
`;
