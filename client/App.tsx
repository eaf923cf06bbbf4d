import { lazy, Suspense, useEffect, useState } from 'react'
import { CreateWorkshopPage } from './home/CreateWorkshopPage.tsx'
import { registerServiceWorker } from './offline/registerServiceWorker.ts'
import { loadPrintPage, loadSnapshotPage, loadWorkshopPage } from './pageLoaders.ts'
import { NotFoundPage } from './ui/NotFoundPage.tsx'
import { PageLoading } from './ui/PageLoading.tsx'
import { parseRoute, type Route } from './routes.ts'

// The home page is three fields: it must not wait for the workshop (Yjs, the rich-text editor,
// every section) nor for snapshots or printing. Each of those pages loads when it is opened.
const WorkshopPage = lazy(() => loadWorkshopPage().then((m) => ({ default: m.WorkshopPage })))
const SnapshotPage = lazy(() => loadSnapshotPage().then((m) => ({ default: m.SnapshotPage })))
const PrintPage = lazy(() => loadPrintPage().then((m) => ({ default: m.PrintPage })))

export function App() {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.pathname))
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(window.location.pathname))
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])
  // The worker keeps the app for offline use, once a page worth keeping is open (not home).
  // Only built apps have one to install (the dev server serves modules that change all the time).
  const worthKeeping = route.name !== 'home' && route.name !== 'not-found'
  useEffect(() => {
    if (worthKeeping && import.meta.env.PROD) registerServiceWorker()
  }, [worthKeeping])
  switch (route.name) {
    case 'home':
      return <CreateWorkshopPage />
    case 'workshop':
      return (
        <Suspense fallback={<PageLoading label="Opening the workshop…" layout="centred" />}>
          <WorkshopPage key={route.roomId} roomId={route.roomId} view={route.view} item={route.item} />
        </Suspense>
      )
    case 'snapshot':
      return (
        <Suspense fallback={<PageLoading label="Loading the snapshot…" layout="plain" />}>
          <SnapshotPage key={route.snapshotId} roomId={route.roomId} snapshotId={route.snapshotId} />
        </Suspense>
      )
    case 'print':
      return (
        <Suspense fallback={<PageLoading label="Preparing the printable page…" layout="plain" />}>
          <PrintPage
            key={`${route.snapshotId ?? route.roomId}:${route.part}`}
            roomId={route.roomId}
            snapshotId={route.snapshotId}
            part={route.part}
          />
        </Suspense>
      )
    case 'not-found':
      return <NotFoundPage />
  }
}
