/**
 * The service worker (built as /sw.js): keeps the app's own files on this device so that a
 * workshop page reloads without a network. The workshop's document is kept separately, in
 * IndexedDB, by the page (sync/offlineCache.ts); this worker never touches /api or /sync.
 */
import {
  fetchStrategy,
  isStaleShellCache,
  SHELL_MANIFEST_GLOBAL,
  shellCacheName,
  SHELL_PAGE,
  type ShellManifest,
} from './shellCache.ts'

// The project's TypeScript setup has the DOM library, not the worker one (the two conflict):
// these are the few worker types this file uses.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request
  respondWith(response: Promise<Response>): void
}
interface WorkerScope {
  readonly location: Location
  skipWaiting(): Promise<void>
  readonly clients: { claim(): Promise<void> }
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void
}

const scope = self as unknown as WorkerScope & { [SHELL_MANIFEST_GLOBAL]?: ShellManifest }
// Set by the first line of sw.js, which the build writes (scripts/serviceWorkerPlugin.ts).
const manifest: ShellManifest = scope[SHELL_MANIFEST_GLOBAL] ?? { version: 'unbuilt', files: [] }
const cacheName = shellCacheName(manifest.version)

scope.addEventListener('install', (event) => {
  // A new build's worker takes over at once: every page already gets new HTML from the network,
  // and the files a page of the old build asks for after that still come from the network.
  event.waitUntil(
    caches
      .open(cacheName)
      .then((cache) => cache.addAll(manifest.files))
      .then(() => scope.skipWaiting()),
  )
})

scope.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((name) => isStaleShellCache(name, manifest.version)).map((name) => caches.delete(name)),
        ),
      )
      .then(() => scope.clients.claim()),
  )
})

scope.addEventListener('fetch', (event) => {
  const strategy = fetchStrategy(event.request, scope.location.origin)
  if (strategy === 'page') event.respondWith(networkThenShell(event.request))
  else if (strategy === 'asset') event.respondWith(keptThenNetwork(event.request))
})

async function networkThenShell(request: Request): Promise<Response> {
  try {
    return await fetch(request)
  } catch (error) {
    const kept = await caches.open(cacheName).then((cache) => cache.match(SHELL_PAGE))
    if (kept) return kept
    throw error
  }
}

async function keptThenNetwork(request: Request): Promise<Response> {
  const cache = await caches.open(cacheName)
  const kept = await cache.match(request)
  if (kept) return kept
  const response = await fetch(request)
  // Only whole, successful answers of this origin: a 404 or a partial range must not stick.
  if (response.ok && response.status === 200 && response.type === 'basic')
    await cache.put(request, response.clone()).catch(() => undefined)
  return response
}
