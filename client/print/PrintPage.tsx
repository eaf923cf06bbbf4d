/**
 * `/r/:roomId/print` (the workshop now) and `/r/:roomId/snapshots/:sid/print` (a saved state):
 * the whole workshop laid out for paper, with a print stylesheet, to print or save as PDF.
 */
import { useEffect, useMemo, useState } from 'react'
import { z } from 'zod'
import { buildExport, type WorkshopExport } from '../../shared/export.ts'
import { request } from '../api.ts'
import { loadRoomToken } from '../identity.ts'
import { openSnapshot } from '../snapshots/snapshotApi.ts'
import { snapshotDate } from '../snapshots/snapshotText.ts'
import { WorkshopPrint, type PrintHeading } from './WorkshopPrint.tsx'
import './print.css'

type State =
  | { name: 'loading' }
  | { name: 'error'; message: string }
  | { name: 'ready'; data: WorkshopExport; heading: PrintHeading }

// Our own server's export: checked for its parts, the details are typed by the shared export.
const exportSchema = z.custom<WorkshopExport>(
  (value) => {
    const v = value as Record<string, unknown> | null
    return (
      typeof v === 'object' &&
      v !== null &&
      ['meta', 'pot', 'protocol'].every((k) => typeof v[k] === 'object') &&
      Array.isArray(v.barriers) &&
      Array.isArray(v.actions)
    )
  },
  { message: 'The server sent an export this page cannot read.' },
)

const printedAt = () => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date())

async function loadPrint(roomId: string, token: string, snapshotId: string | null): Promise<State> {
  if (snapshotId === null) {
    const result = await request(exportSchema, `/api/rooms/${roomId}/export?format=json`, {
      headers: { Authorization: `Bearer ${token}` },
      cache: 'no-store',
    })
    if (!result.ok) return { name: 'error', message: result.message }
    return {
      name: 'ready',
      data: result.value,
      heading: { state: `The workshop as it stood when printed, ${printedAt()}` },
    }
  }
  const opened = await openSnapshot(roomId, token, snapshotId)
  if (!opened.ok) return { name: 'error', message: opened.message }
  const { meta, doc } = opened
  try {
    return {
      name: 'ready',
      data: buildExport(doc),
      heading: {
        state: `Snapshot — ${meta.name}, ${snapshotDate(meta.createdAt)}`,
        sha256: meta.sha256,
        checkUrl: `${window.location.origin}/api/rooms/${roomId}/snapshots/${meta.id}`,
      },
    }
  } finally {
    doc.destroy()
  }
}

export function PrintPage({ roomId, snapshotId }: { roomId: string; snapshotId: string | null }) {
  const token = useMemo(() => loadRoomToken(roomId), [roomId])
  const [state, setState] = useState<State>({ name: 'loading' })
  useEffect(() => {
    if (!token) {
      setState({
        name: 'error',
        message:
          'Open the workshop’s invite link on this device first: the record is shown to people invited to the workshop.',
      })
      return
    }
    let cancelled = false
    loadPrint(roomId, token, snapshotId).then(
      (next) => !cancelled && setState(next),
      (error: unknown) =>
        !cancelled && setState({ name: 'error', message: error instanceof Error ? error.message : String(error) }),
    )
    return () => {
      cancelled = true
    }
  }, [roomId, snapshotId, token])

  useEffect(() => {
    if (state.name === 'ready') document.title = `${state.data.meta.title || 'Workshop'} — Commonpot`
  }, [state])

  const back = snapshotId ? `/r/${roomId}/snapshots/${snapshotId}` : `/r/${roomId}`
  // The live workshop opens this page in a tab of its own: going "back" there would open the
  // workshop a second time, so such a tab offers to close instead.
  const [openedAlone] = useState(() => window.history.length <= 1)
  if (state.name === 'loading') return <p className="board-loading">Preparing the printable page…</p>
  if (state.name === 'error') {
    return (
      <main className="centred-page">
        <div className="card" role="alert">
          <h1>Cannot prepare this page</h1>
          <p>{state.message}</p>
          <a href={back}>Back</a>
        </div>
      </main>
    )
  }
  return (
    <main className="print-page">
      <div className="print-toolbar" role="toolbar" aria-label="Printing">
        <button type="button" className="button primary" onClick={() => window.print()}>
          Print or save as PDF
        </button>
        {openedAlone ? (
          <button type="button" className="button" onClick={() => window.close()}>
            Close this tab
          </button>
        ) : (
          <a href={back}>Back</a>
        )}
      </div>
      <WorkshopPrint data={state.data} heading={state.heading} />
    </main>
  )
}
