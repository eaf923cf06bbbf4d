/**
 * What the service worker keeps of the app itself, and how it answers each request. Pure, so
 * that the build (which lists the files) and the worker (which serves them) agree, and so that
 * the rules can be tested without a browser.
 */

/** Written into sw.js by the build: the files to fetch on install, and a version naming their cache. */
export interface ShellManifest {
  version: string
  files: string[]
}

/** The global the build sets to the manifest before the worker's code runs. */
export const SHELL_MANIFEST_GLOBAL = '__commonpotShell'

const CACHE_PREFIX = 'commonpot-shell-'

export const shellCacheName = (version: string): string => CACHE_PREFIX + version

/** Caches of earlier builds, to delete once this build's worker takes over. */
export const isStaleShellCache = (name: string, version: string): boolean =>
  name.startsWith(CACHE_PREFIX) && name !== shellCacheName(version)

/** Every route of the app is this one file (the server answers index.html for them all). */
export const SHELL_PAGE = '/index.html'

/**
 * The files to fetch when the worker installs: the page and every built asset except tldraw's
 * translations, of which a person needs at most one (it is kept when first fetched).
 */
export function precacheFiles(fileNames: readonly string[]): string[] {
  const assets = fileNames.filter((name) => name.startsWith('assets/') && !name.endsWith('.json')).sort()
  return [SHELL_PAGE, ...assets.map((name) => `/${name}`)]
}

/**
 * - `pass`: the worker stays out of it. The API, the sync socket, health and metrics are live
 *   data, never served from a cache; other origins and non-GET requests are not the app's.
 * - `page`: a navigation. The network first (a new build, a fresh page), this device's copy of
 *   the app when the network fails.
 * - `asset`: a built file. Their names carry a hash of their content, so a kept copy is always right.
 */
export type FetchStrategy = 'pass' | 'page' | 'asset'

const LIVE_PATHS = /^\/(api|sync|healthz|metrics)(\/|$)/

export function fetchStrategy(request: { url: string; method: string; mode: string }, origin: string): FetchStrategy {
  if (request.method !== 'GET') return 'pass'
  let url: URL
  try {
    url = new URL(request.url)
  } catch {
    return 'pass'
  }
  if (url.origin !== origin || LIVE_PATHS.test(url.pathname)) return 'pass'
  if (request.mode === 'navigate') return 'page'
  if (url.pathname.startsWith('/assets/')) return 'asset'
  return 'pass'
}
