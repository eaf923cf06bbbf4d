/**
 * Installs the service worker that lets the app load without a network (offline/serviceWorker.ts).
 * Service workers exist only in secure contexts (https, or localhost): elsewhere the app simply
 * needs the network to load, as before.
 */

/** How long the worker may wait for an idle moment before it installs anyway. */
const IDLE_TIMEOUT_MS = 10_000

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // No offline reloads on this device; everything else works.
    })
  }
  // Installing fetches every file of the app: not while the first screen and the board load.
  window.addEventListener('load', () => {
    if ('requestIdleCallback' in window) window.requestIdleCallback(register, { timeout: IDLE_TIMEOUT_MS })
    else setTimeout(register, 1000)
  })
}
