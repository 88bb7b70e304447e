import { css } from 'lit';

/**
 * The titles over NiiVue's colour bars: NiiVue splits the bottom strip into equal bars, so equal
 * flex items sit one over each bar.
 */
export const viewStyles = css`
  .bar-titles { position: absolute; left: 0; right: 0; bottom: 4.2rem; display: flex; pointer-events: none; }
  .bar-titles span { flex: 1 1 0; min-width: 0; text-align: center; font-size: 0.72rem; color: #e6e9ee; text-shadow: 0 0 3px #000, 0 0 2px #000; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; padding: 0 0.3rem; }
  .slice-labels { position: absolute; inset: 0; pointer-events: none; }
  .slice-labels span { position: absolute; transform: translateY(-100%); padding: 0 0.25rem; font-size: 0.7rem; color: #e6e9ee; text-shadow: 0 0 3px #000, 0 0 2px #000; white-space: nowrap; }
  /* A fixed height: a map opened or removed adds a line to the readout, and a readout that grew
     would shrink the panes, and every resize of a NiiVue canvas redraws it (hundreds of ms on a
     software renderer). */
  sl-readout { flex: none; height: 3.4rem; overflow-y: auto; }
`;
