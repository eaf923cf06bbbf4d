/**
 * Installs the service worker that lets the app load without a network (offline/serviceWorker.ts).
 * Service workers exist only in secure contexts (https, or localhost): elsewhere the app simply
 * needs the network to load, as before.
 *
 * Called when a page other than home opens (App.tsx): installing fetches every file of the app,
 * tldraw and its fonts included (some 2 MB), which a person who only looks at the home page
 * should not pay for. Someone who creates a workshop gets the worker as the workshop opens.
 */

/** How long the worker may wait for an idle moment before it installs anyway. */
const IDLE_TIMEOUT_MS = 10_000

let asked = false

export function registerServiceWorker(): void {
  if (asked || !('serviceWorker' in navigator)) return
  asked = true
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // No offline reloads on this device; everything else works.
    })
  }
  // Not while the first screen and the board load.
  const whenIdle = () => {
    if ('requestIdleCallback' in window) window.requestIdleCallback(register, { timeout: IDLE_TIMEOUT_MS })
    else setTimeout(register, 1000)
  }
  // Opened by client-side navigation from home, the page has long finished loading.
  if (document.readyState === 'complete') whenIdle()
  else window.addEventListener('load', whenIdle, { once: true })
}
