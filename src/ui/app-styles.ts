import { css } from 'lit';

export const appStyles = css`
  :host { display: block; height: 100vh; box-sizing: border-box; }
  header { display: flex; align-items: center; gap: 1.2rem; padding: 0.5rem 1rem; border-bottom: 1px solid #2a323c; }
  h1 { font-size: 1.2rem; margin: 0; }
  h1 span { color: var(--muted, #9aa4b2); font-weight: 400; font-size: 0.9rem; }
  h2 { font-size: 0.95rem; margin: 0 0 0.4rem; }
  main { display: grid; grid-template-columns: minmax(0, 1fr) 30rem; height: calc(100vh - 3.2rem); }
  .views { display: flex; flex-direction: column; min-width: 0; padding: 0.5rem; gap: 0.4rem; }
  .panes { flex: 1; display: grid; gap: 0.4rem; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); min-height: 0; }
  figure { margin: 0; display: flex; flex-direction: column; min-height: 0; background: #000; border-radius: 6px; overflow: hidden; }
  figcaption { display: flex; justify-content: space-between; align-items: center; padding: 0.2rem 0.5rem; font-size: 0.85rem; background: #1a1f26; }
  /* The canvas fills a box whose size never depends on the canvas: NiiVue resizes its drawing buffer
     to the box, and a canvas sized by its own buffer would feed back into the layout. */
  .canvas-box { flex: 1; position: relative; min-height: 0; }
  canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; }
  .empty { color: var(--muted, #9aa4b2); align-self: center; justify-self: center; }
  /* Its own layer: a threshold change repaints the panels, not the whole page around the views. */
  aside { overflow-y: auto; padding: 0.6rem 0.8rem; border-left: 1px solid #2a323c; display: flex; flex-direction: column; gap: 0.9rem; will-change: transform; background: var(--bg, #111418); }
  .error { color: var(--error, #ff6b6b); margin: 0.3rem 1rem; }
  .muted { color: var(--muted, #9aa4b2); font-size: 0.85rem; margin: 0; }
  button { font: inherit; color: var(--fg, #e6e9ee); background: #222a33; border: 1px solid #39424e; border-radius: 4px; padding: 0.15rem 0.45rem; cursor: pointer; }
  button:disabled { color: #7d8794; background: #161b21; border-color: #2a323c; border-style: dashed; cursor: not-allowed; }
  :focus-visible { outline: 2px solid var(--accent, #ff9f1c); outline-offset: 1px; }
  .standin { color: #ffcf7a; font-size: 0.8rem; }
  header #demo-button { background: #2f5d2f; border-color: #4c8f4c; font-weight: 600; }
  .exports button { margin: 0.15rem 0.3rem 0.15rem 0; }
`;
