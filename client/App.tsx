import { useEffect, useState } from 'react'
import { CreateWorkshopPage } from './home/CreateWorkshopPage.tsx'
import { WorkshopPage } from './workshop/WorkshopPage.tsx'
import { NotFoundPage } from './ui/NotFoundPage.tsx'
import { SnapshotPage } from './snapshots/SnapshotPage.tsx'
import { PrintPage } from './print/PrintPage.tsx'

type Route = { name: 'home' } | { name: 'workshop'; roomId: string } | { name: 'snapshot'; roomId: string; snapshotId: string } | { name: 'print'; roomId: string; snapshotId: string | null } | { name: 'not-found' }

function parseRoute(pathname: string): Route {
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

export function App() {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.pathname))
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(window.location.pathname))
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])
  switch (route.name) {
    case 'home':
      return <CreateWorkshopPage />
    case 'workshop':
      return <WorkshopPage key={route.roomId} roomId={route.roomId} />
    case 'snapshot':
      return <SnapshotPage key={route.snapshotId} roomId={route.roomId} snapshotId={route.snapshotId} />
    case 'print':
      return <PrintPage key={route.snapshotId ?? route.roomId} roomId={route.roomId} snapshotId={route.snapshotId} />
    case 'not-found':
      return <NotFoundPage />
  }
}
