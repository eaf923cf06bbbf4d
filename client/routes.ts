/**
 * The client's routes: which page a path shows, and moving between pages without a reload. Kept
 * apart from App.tsx so that pages can navigate without importing the component that renders them.
 */

/** A page of the app and what it needs from the path. */
export type Route =
  | { name: 'home' }
  /**
   * `view`: the tab in the path (`/r/:id/pot`), null for the default (the board); `item`: an item
   * opened in it (`/r/:id/barriers/:barrierId`), else null. Anchors within a view (a clause, a pot
   * line) are the URL's hash.
   */
  | { name: 'workshop'; roomId: string; view: string | null; item: string | null }
  | { name: 'snapshot'; roomId: string; snapshotId: string }
  /** `part`: the whole workshop, or the protocol alone, to sign. */
  | { name: 'print'; roomId: string; snapshotId: string | null; part: PrintPart }
  | { name: 'not-found' }

/** What a printable page holds: the whole workshop, or the protocol alone with signature blocks. */
export type PrintPart = 'workshop' | 'protocol'

/** The printable page of the live workshop (`snapshotId` null) or of a snapshot. */
export function printPath(roomId: string, snapshotId: string | null, part: PrintPart): string {
  const base = snapshotId ? `/r/${roomId}/snapshots/${snapshotId}/print` : `/r/${roomId}/print`
  return part === 'protocol' ? `${base}/protocol` : base
}

/** Where a workshop's view (and an item opened in it) lives: `/r/:id`, `/r/:id/pot`, `/r/:id/barriers/:barrierId`. */
export function workshopPath(roomId: string, view: string, item: string | null = null): string {
  if (view === 'board' && item === null) return `/r/${roomId}`
  return item === null ? `/r/${roomId}/${view}` : `/r/${roomId}/${view}/${item}`
}

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' }
  const workshop = pathname.match(/^\/r\/([A-Za-z0-9_-]{16,64})(?:\/([a-z-]{1,32})(?:\/([A-Za-z0-9_-]{1,64}))?)?\/?$/)
  if (workshop?.[1] && !(workshop[2] === 'snapshots' && workshop[3]) && workshop[2] !== 'print')
    return { name: 'workshop', roomId: workshop[1], view: workshop[2] ?? null, item: workshop[3] ?? null }
  const snapshot = pathname.match(/^\/r\/([A-Za-z0-9_-]{16,64})\/snapshots\/([A-Za-z0-9_-]{8,64})\/?$/)
  if (snapshot?.[1] && snapshot[2]) return { name: 'snapshot', roomId: snapshot[1], snapshotId: snapshot[2] }
  const print = pathname.match(
    /^\/r\/([A-Za-z0-9_-]{16,64})(?:\/snapshots\/([A-Za-z0-9_-]{8,64}))?\/print(\/protocol)?\/?$/,
  )
  if (print?.[1])
    return { name: 'print', roomId: print[1], snapshotId: print[2] ?? null, part: print[3] ? 'protocol' : 'workshop' }
  return { name: 'not-found' }
}

/**
 * Client-side navigation without a full reload (used after creating a workshop). `replace`: the
 * page takes the current entry's place in the history (switching between the two printable pages
 * of one tab, which must still know it was opened alone).
 */
export function navigate(url: string, { replace = false }: { replace?: boolean } = {}): void {
  if (replace) window.history.replaceState(null, '', url)
  else window.history.pushState(null, '', url)
  window.dispatchEvent(new PopStateEvent('popstate'))
}
