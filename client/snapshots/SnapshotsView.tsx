import { lazy, Suspense, useCallback, useEffect, useState, type FormEvent } from 'react'
import type * as Y from 'yjs'
import type { SnapshotMeta } from '../../shared/api.ts'
import { diffDocs, type WorkshopDiff } from '../../shared/diff.ts'
import { DiffView } from './DiffView.tsx'
import { listSnapshots, loadSnapshot, restoreSnapshot, takeSnapshot } from './snapshotApi.ts'
import { snapshotAuthor, snapshotDate } from './snapshotText.ts'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import { FormField } from '../ui/FormField.tsx'
import './snapshots.css'

interface Props {
  roomId: string
  token: string
}

const NOW = 'now'

// tldraw is large: the list and the diff must not wait for it.
const BoardComparison = lazy(() => import('./BoardComparison.tsx'))

interface Comparison {
  diff: WorkshopDiff
  beforeLabel: string
  afterLabel: string
  before: Y.Doc
  after: Y.Doc
  /** The snapshot documents loaded for this comparison, destroyed when it is replaced. */
  loaded: Y.Doc[]
}

/** The saved states of the workshop: take one (facilitator), open one read-only, compare two. */
export function SnapshotsView({ roomId, token }: Props) {
  // The live document is what a snapshot is compared with as "now".
  const { doc, actor, permissions } = useWorkshop()
  const { isFacilitator } = permissions
  const [snapshots, setSnapshots] = useState<SnapshotMeta[] | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [taking, setTaking] = useState(false)
  const [before, setBefore] = useState('')
  const [after, setAfter] = useState(NOW)
  const [confirmRestore, setConfirmRestore] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [comparison, setComparison] = useState<Comparison | null>(null)
  useEffect(() => () => comparison?.loaded.forEach((d) => d.destroy()), [comparison])

  const refresh = useCallback(async () => {
    const result = await listSnapshots(roomId, token)
    if (result.ok) {
      setSnapshots(result.value.snapshots)
      setBefore((current) => current || result.value.snapshots[0]?.id || '')
    } else setProblem(result.message)
  }, [roomId, token])
  useEffect(() => {
    void refresh()
  }, [refresh])

  async function take(event: FormEvent) {
    event.preventDefault()
    setTaking(true)
    const result = await takeSnapshot(roomId, token, name, actor)
    setTaking(false)
    if (!result.ok) return setProblem(result.message)
    setProblem(null)
    setName('')
    await refresh()
  }

  async function restore(snapshot: SnapshotMeta) {
    setConfirmRestore(null)
    const result = await restoreSnapshot(roomId, token, snapshot.id, actor)
    if (!result.ok) return setProblem(result.message)
    setProblem(null)
    setNotice(`Restored “${snapshot.name}”. The state before was kept as “${result.value.before.name}”.`)
    await refresh()
  }

  async function compare() {
    if (!snapshots) return
    const find = (id: string) => snapshots.find((s) => s.id === id)
    const loaded: Y.Doc[] = []
    try {
      const open = async (id: string): Promise<[Y.Doc, string]> => {
        if (id === NOW) return [doc, 'now']
        const meta = find(id)
        if (!meta) throw new Error('Choose two states to compare.')
        const { doc: snapshotDoc } = await loadSnapshot(roomId, token, meta)
        loaded.push(snapshotDoc)
        return [snapshotDoc, meta.name]
      }
      const [a, beforeLabel] = await open(before)
      const [b, afterLabel] = await open(after)
      // The boards side by side keep both documents open until the next comparison.
      setComparison({ diff: diffDocs(a, b), beforeLabel, afterLabel, before: a, after: b, loaded })
      setProblem(null)
    } catch (error) {
      for (const d of loaded) d.destroy()
      setProblem(error instanceof Error ? error.message : String(error))
    }
  }

  const options = (snapshots ?? []).map((s) => (
    <option key={s.id} value={s.id}>
      {s.name} ({snapshotDate(s.createdAt)})
    </option>
  ))

  return (
    <div className="snapshots">
      <header className="snapshots-header">
        <h2>Snapshots</h2>
        <span className="hint">
          The record of the negotiation: each is exact, signed with its SHA-256, and never changes.
        </span>
        {/* A new tab: printing must not take this person out of the live workshop. */}
        <a
          className="button small"
          href={`/r/${roomId}/print`}
          target="_blank"
          rel="noopener"
          title="The whole workshop as it is now, laid out to print or save as PDF (opens a new tab)"
        >
          Printable page
        </a>
        {isFacilitator && (
          <form className="snapshot-take" onSubmit={take} aria-label="Take a snapshot">
            <FormField as={null} label="Snapshot name" labelClassName="visually-hidden">
              {(control) => (
                <input
                  {...control}
                  placeholder="e.g. End of pot discussion"
                  value={name}
                  maxLength={120}
                  onChange={(e) => setName(e.target.value)}
                />
              )}
            </FormField>
            <button type="submit" className="button primary" disabled={taking}>
              Take snapshot
            </button>
          </form>
        )}
      </header>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {snapshots === null ? (
        <p className="hint">Loading snapshots…</p>
      ) : snapshots.length === 0 ? (
        <p className="hint">
          No snapshots yet.{' '}
          {isFacilitator
            ? 'Take one at any time; the server also takes one when everyone has left.'
            : 'The facilitator takes them; the server also takes one when everyone has left.'}
        </p>
      ) : (
        <>
          <table className="snapshot-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Taken</th>
                <th scope="col">By</th>
                <th scope="col">SHA-256</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {snapshots.map((s) => (
                <tr key={s.id} data-snapshot-id={s.id}>
                  <td>{s.name}</td>
                  <td>{snapshotDate(s.createdAt)}</td>
                  <td>{snapshotAuthor(s)}</td>
                  <td className="hash" title={s.sha256}>
                    {s.sha256.slice(0, 12)}…
                  </td>
                  <td className="actions">
                    <a className="button small" href={`/r/${roomId}/snapshots/${s.id}`}>
                      Open
                    </a>
                    {isFacilitator &&
                      (confirmRestore === s.id ? (
                        <>
                          <button type="button" className="button small primary" onClick={() => void restore(s)}>
                            Restore for everyone
                          </button>
                          <button
                            type="button"
                            className="button small"
                            onClick={() => setConfirmRestore(null)}
                            autoFocus
                          >
                            Keep the live state
                          </button>
                        </>
                      ) : (
                        <button
                          type="button"
                          className="button small"
                          onClick={() => setConfirmRestore(s.id)}
                          aria-label={`Restore ${s.name}`}
                        >
                          Restore…
                        </button>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="compare-bar" role="group" aria-label="Compare two states">
            <label>
              Compare{' '}
              <select aria-label="Compare from" value={before} onChange={(e) => setBefore(e.target.value)}>
                {options}
              </select>
            </label>
            <label>
              with{' '}
              <select aria-label="Compare with" value={after} onChange={(e) => setAfter(e.target.value)}>
                <option value={NOW}>Now (live)</option>
                {options}
              </select>
            </label>
            <button type="button" className="button" onClick={() => void compare()}>
              Compare
            </button>
          </div>
          {comparison && (
            <>
              <DiffView
                diff={comparison.diff}
                beforeLabel={comparison.beforeLabel}
                afterLabel={comparison.afterLabel}
              />
              <Suspense fallback={<p className="hint">Loading the boards…</p>}>
                <BoardComparison
                  key={`${comparison.before.guid}|${comparison.after.guid}`}
                  before={comparison.before}
                  after={comparison.after}
                  beforeLabel={comparison.beforeLabel}
                  afterLabel={comparison.afterLabel}
                  diff={comparison.diff.board}
                />
              </Suspense>
            </>
          )}
        </>
      )}
    </div>
  )
}
