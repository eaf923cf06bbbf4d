/**
 * `/r/:roomId/print` (the workshop now) and `/r/:roomId/snapshots/:sid/print` (a saved state):
 * the whole workshop laid out for paper, with a print stylesheet, to print or save as PDF; with
 * `/protocol` after either, the protocol alone with a signature block per organisation.
 */
import { type MouseEvent, useEffect, useMemo, useState } from 'react'
import { z } from 'zod'
import { buildExport, type WorkshopExport } from '../../shared/export.ts'
import { richBlockSchema } from '../../shared/richText.ts'
import { request } from '../api.ts'
import { loadRoomToken } from '../identity.ts'
import { navigate, type PrintPart, printPath } from '../routes.ts'
import { openSnapshot } from '../snapshots/snapshotApi.ts'
import { type PrintedState, runningHeaderCss } from './printText.ts'
import { ProtocolSignaturePrint } from './ProtocolSignaturePrint.tsx'
import { WorkshopPrint } from './WorkshopPrint.tsx'
import './print.css'

type State =
  | { name: 'loading' }
  | { name: 'error'; message: string }
  | { name: 'ready'; data: WorkshopExport; printed: PrintedState }

const clauseBodies = z.object({ clauses: z.array(z.object({ body: z.array(richBlockSchema) })) })

// Our own server's export: checked for its parts, and the clause bodies this page draws checked
// in full (they are drawn as elements and links); the other details are typed by the shared export.
const exportSchema = z.custom<WorkshopExport>(
  (value) => {
    const v = value as Record<string, unknown> | null
    return (
      typeof v === 'object' &&
      v !== null &&
      ['meta', 'pot', 'protocol'].every((k) => typeof v[k] === 'object') &&
      Array.isArray(v.members) &&
      Array.isArray(v.barriers) &&
      Array.isArray(v.actions) &&
      clauseBodies.safeParse(v.protocol).success
    )
  },
  { message: 'The server sent an export this page cannot read.' },
)

async function loadPrint(roomId: string, token: string, snapshotId: string | null): Promise<State> {
  if (snapshotId === null) {
    const result = await request(exportSchema, `/api/rooms/${roomId}/export?format=json`, {
      headers: { Authorization: `Bearer ${token}` },
      cache: 'no-store',
    })
    if (!result.ok) return { name: 'error', message: result.message }
    return { name: 'ready', data: result.value, printed: { kind: 'live', printedAt: Date.now() } }
  }
  const opened = await openSnapshot(roomId, token, snapshotId)
  if (!opened.ok) return { name: 'error', message: opened.message }
  const { meta, doc } = opened
  try {
    return {
      name: 'ready',
      data: buildExport(doc),
      printed: {
        kind: 'snapshot',
        name: meta.name,
        takenAt: meta.createdAt,
        sha256: meta.sha256,
        checkUrl: `${window.location.origin}/api/rooms/${roomId}/snapshots/${meta.id}`,
      },
    }
  } finally {
    doc.destroy()
  }
}

export function PrintPage({
  roomId,
  snapshotId,
  part,
}: {
  roomId: string
  snapshotId: string | null
  part: PrintPart
}) {
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
    if (state.name === 'ready')
      document.title = `${state.data.meta.title || 'Workshop'}${part === 'protocol' ? ' — protocol for signature' : ''} — Commonpot`
  }, [state, part])

  const back = snapshotId ? `/r/${roomId}/snapshots/${snapshotId}` : `/r/${roomId}`
  // The live workshop opens this page in a tab of its own: going "back" there would open the
  // workshop a second time, so such a tab offers to close instead.
  const [openedAlone] = useState(() => window.history.length <= 1)
  const other = printPath(roomId, snapshotId, part === 'workshop' ? 'protocol' : 'workshop')
  const switchPart = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(other, { replace: true })
  }
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
        <a href={other} onClick={switchPart}>
          {part === 'workshop' ? 'Protocol only, for signature' : 'The whole workshop'}
        </a>
        {openedAlone ? (
          <button type="button" className="button" onClick={() => window.close()}>
            Close this tab
          </button>
        ) : (
          <a href={back}>Back</a>
        )}
      </div>
      {/* The running header on every printed page: the workshop's title and the state. */}
      <style>{runningHeaderCss(state.data.meta.title || 'Workshop', state.printed, part)}</style>
      {part === 'protocol' ? (
        <ProtocolSignaturePrint data={state.data} state={state.printed} />
      ) : (
        <WorkshopPrint data={state.data} state={state.printed} />
      )}
    </main>
  )
}
