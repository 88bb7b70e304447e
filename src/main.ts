/// <reference types="vite-plugin-pwa/vanillajs" />
import { registerSW } from 'virtual:pwa-register';
import './ui/app';
import type { SiteNote } from './ui/site-note';
import './ui/site-note';

const note = document.querySelector<SiteNote>('sl-site-note');
// The service worker (vite-plugin-pwa / Workbox) exists only in the built site; `npm start` serves without one.
if (import.meta.env.PROD && 'serviceWorker' in navigator && note) {
  registerSW({
    immediate: true,
    onOfflineReady: () => (note.offlineReady = true),
    // A later visit: the version already saved serves the page.
    onRegisteredSW: (_url, reg) => void (reg?.active && (note.offlineReady = true)),
    // Not applied now (that would reload the page mid-analysis): the waiting version takes over on the next visit.
    onNeedRefresh: () => (note.updateReady = true),
  });
}
// Fetch NiiVue's chunk once the page has painted, so the first map does not wait for it either (Safari has no requestIdleCallback).
const preloadViewer = (): void => void import('./view/pane');
if ('requestIdleCallback' in window) requestIdleCallback(preloadViewer, { timeout: 2000 });
else setTimeout(preloadViewer, 200);
