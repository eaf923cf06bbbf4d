/**
 * The client's routes: which page a path shows, and moving between pages without a reload. Kept
 * apart from App.tsx so that pages can navigate without importing the component that renders them.
 */

/** A page of the app and what it needs from the path. */
export type Route =
  | { name: 'home' }
  | { name: 'workshop'; roomId: string }
  | { name: 'snapshot'; roomId: string; snapshotId: string }
  | { name: 'print'; roomId: string; snapshotId: string | null }
  | { name: 'not-found' }

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' }
  const workshop = pathname.match(/^\/r\/([A-Za-z0-9_-]{16,64})\/?$/)
  if (workshop?.[1]) return { name: 'workshop', roomId: workshop[1] }
  const snapshot = pathname.match(/^\/r\/([A-Za-z0-9_-]{16,64})\/snapshots\/([A-Za-z0-9_-]{8,64})\/?$/)
  if (snapshot?.[1] && snapshot[2]) return { name: 'snapshot', roomId: snapshot[1], snapshotId: snapshot[2] }
  const print = pathname.match(/^\/r\/([A-Za-z0-9_-]{16,64})(?:\/snapshots\/([A-Za-z0-9_-]{8,64}))?\/print\/?$/)
  if (print?.[1]) return { name: 'print', roomId: print[1], snapshotId: print[2] ?? null }
  return { name: 'not-found' }
}

/** Client-side navigation without a full reload (used after creating a workshop). */
export function navigate(url: string): void {
  window.history.pushState(null, '', url)
  window.dispatchEvent(new PopStateEvent('popstate'))
}
