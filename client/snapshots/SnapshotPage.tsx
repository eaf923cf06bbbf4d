import { lazy, Suspense, useEffect, useMemo, useState } from 'react'
import type * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'
import type { SnapshotMeta } from '../../shared/api.ts'
import { readMeta } from '../../shared/schema.ts'
import { loadRoomToken } from '../identity.ts'
import { printPath } from '../routes.ts'
import { SECTION_VIEWS, sectionView } from '../sections/registry.ts'
import { WorkshopProvider } from '../workshop/WorkshopContext.tsx'
import { openSnapshot } from './snapshotApi.ts'
import { snapshotAuthor, snapshotDate } from './snapshotText.ts'
import { snapshotWorkshop } from './snapshotWorkshop.ts'
import { DownloadMenu } from '../ui/DownloadMenu.tsx'
import './snapshots.css'

// tldraw is large: the tables of a snapshot must not wait for it.
const SnapshotBoard = lazy(() => import('./SnapshotBoard.tsx'))

/** The board, or a section's key. */
type Tab = string
const TABS: { id: Tab; label: string }[] = [
  { id: 'board', label: 'Board' },
  ...SECTION_VIEWS.map(({ section }) => ({ id: section.key, label: section.label })),
]

type State =
  | { name: 'loading' }
  | { name: 'error'; message: string }
  | { name: 'ready'; meta: SnapshotMeta; doc: Y.Doc; verified: boolean | null }

/** `/r/:roomId/snapshots/:sid`: a saved state of the workshop, exactly as it was, with no way to edit. */
export function SnapshotPage({ roomId, snapshotId }: { roomId: string; snapshotId: string }) {
  const [state, setState] = useState<State>({ name: 'loading' })
  const [tab, setTab] = useState<Tab>('pot')
  const token = useMemo(() => loadRoomToken(roomId), [roomId])

  useEffect(() => {
    if (!token) {
      setState({
        name: 'error',
        message:
          'Open the workshop’s invite link on this device first: snapshots are shown to people invited to the workshop.',
      })
      return
    }
    let cancelled = false
    let loaded: Y.Doc | null = null
    void openSnapshot(roomId, token, snapshotId).then((opened) => {
      if (!opened.ok) return !cancelled && setState({ name: 'error', message: opened.message })
      loaded = opened.doc
      if (cancelled) opened.doc.destroy()
      else setState({ name: 'ready', meta: opened.meta, doc: opened.doc, verified: opened.verified })
    })
    return () => {
      cancelled = true
      loaded?.destroy()
    }
  }, [roomId, snapshotId, token])

  const awareness = useMemo(() => (state.name === 'ready' ? new Awareness(state.doc) : null), [state])
  useEffect(() => () => awareness?.destroy(), [awareness])
  const workshop = useMemo(
    () =>
      state.name === 'ready' && awareness
        ? snapshotWorkshop(state.doc, awareness, { roomId, snapshotId: state.meta.id, token: token ?? '' })
        : null,
    [state, awareness, roomId, token],
  )

  if (state.name === 'loading') return <p className="board-loading">Loading the snapshot…</p>
  if (state.name === 'error' || !workshop) {
    return (
      <main className="centred-page">
        <div className="card" role="alert">
          <h1>Cannot open this snapshot</h1>
          <p>{state.name === 'error' ? state.message : ''}</p>
          <a href={`/r/${roomId}`}>Back to the workshop</a>
        </div>
      </main>
    )
  }
  const { meta, doc } = state
  return (
    <WorkshopProvider value={workshop}>
      <div className="shell snapshot-page">
        <div className="snapshot-banner" role="banner">
          <strong>
            Snapshot — {meta.name}, {snapshotDate(meta.createdAt)}
          </strong>
          <span>by {snapshotAuthor(meta)} · read-only</span>
          <span className="hash" title="SHA-256 of the snapshot's exact state">
            SHA-256 {meta.sha256}
            {state.verified ? ' (checked)' : ''}
          </span>
          <a className="snapshot-print-link" href={printPath(roomId, meta.id, 'workshop')}>
            Printable page
          </a>
          <a href={printPath(roomId, meta.id, 'protocol')}>Protocol for signature</a>
          <DownloadMenu exports={workshop.exports} name="Download this snapshot" className="button small" />
          <a href={`/r/${roomId}`}>Back to the live workshop</a>
        </div>
        <nav className="shell-tabs" aria-label="Snapshot views">
          <div className="shell-tab-list">
            {TABS.map(({ id, label }) => (
              <button
                key={id}
                type="button"
                className={`tab${tab === id ? ' active' : ''}`}
                aria-current={tab === id ? 'page' : undefined}
                onClick={() => setTab(id)}
              >
                {label}
              </button>
            ))}
          </div>
        </nav>
        <main className="shell-main" aria-label={`Snapshot ${TABS.find((t) => t.id === tab)?.label}`}>
          {tab === 'board' ? (
            <Suspense fallback={<p className="board-loading">Loading the board…</p>}>
              <SnapshotBoard
                doc={doc}
                name={meta.name}
                workshopTitle={readMeta(doc).title}
                takenAt={new Date(meta.createdAt)}
                description={`Commonpot snapshot "${meta.name}" of "${readMeta(doc).title}" (room ${roomId}), taken ${new Date(meta.createdAt).toISOString()}, SHA-256 ${meta.sha256}`}
              />
            </Suspense>
          ) : (
            <SectionTab tab={tab} />
          )}
        </main>
      </div>
    </WorkshopProvider>
  )
}

/** A section's view, read-only: a snapshot offers nothing to place on a board or to act on. */
function SectionTab({ tab }: { tab: Tab }) {
  const shown = sectionView(tab)
  return shown ? <shown.View /> : null
}
