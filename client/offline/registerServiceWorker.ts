/**
 * Installs the service worker that lets the app load without a network (offline/serviceWorker.ts).
 * Service workers exist only in secure contexts (https, or localhost): elsewhere the app simply
 * needs the network to load, as before.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return
  // After the page has loaded, so that fetching the app's files for later does not slow the first screen.
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // No offline reloads on this device; everything else works.
    })
  })
}
