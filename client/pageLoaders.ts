/**
 * The pages other than home, fetched on demand (App.tsx renders them through React.lazy). Apart
 * from App.tsx so that the home page can start fetching the workshop while its request to create
 * one is on its way, without importing the component that renders it.
 */
export const loadWorkshopPage = () => import('./workshop/WorkshopPage.tsx')
export const loadSnapshotPage = () => import('./snapshots/SnapshotPage.tsx')
export const loadPrintPage = () => import('./print/PrintPage.tsx')
