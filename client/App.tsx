import { useEffect, useState } from 'react'
import { CreateWorkshopPage } from './home/CreateWorkshopPage.tsx'
import { WorkshopPage } from './workshop/WorkshopPage.tsx'
import { NotFoundPage } from './ui/NotFoundPage.tsx'
import { SnapshotPage } from './snapshots/SnapshotPage.tsx'
import { PrintPage } from './print/PrintPage.tsx'
import { parseRoute, type Route } from './routes.ts'

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
      return <WorkshopPage key={route.roomId} roomId={route.roomId} view={route.view} item={route.item} />
    case 'snapshot':
      return <SnapshotPage key={route.snapshotId} roomId={route.roomId} snapshotId={route.snapshotId} />
    case 'print':
      return (
        <PrintPage
          key={`${route.snapshotId ?? route.roomId}:${route.part}`}
          roomId={route.roomId}
          snapshotId={route.snapshotId}
          part={route.part}
        />
      )
    case 'not-found':
      return <NotFoundPage />
  }
}
