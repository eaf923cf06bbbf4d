import { lazy, Suspense, useCallback, useEffect, useState, type FormEvent } from 'react'
import type * as Y from 'yjs'
import type { SnapshotMeta, SnapshotUsage } from '../../shared/api.ts'
import { formatBytes } from '../../shared/bytes.ts'
import { diffDocs, type WorkshopDiff } from '../../shared/diff.ts'
import { printPath } from '../routes.ts'
import { DiffView } from './DiffView.tsx'
import { deleteSnapshot, listSnapshots, loadSnapshot, restoreSnapshot, takeSnapshot } from './snapshotApi.ts'
import { announceSnapshotsChanged, useSnapshotListUpdates } from './snapshotsSignal.ts'
import { NEARLY_FULL, snapshotAuthor, snapshotDate, usageText } from './snapshotText.ts'
import { snapshotExports } from './snapshotWorkshop.ts'
import { DownloadMenu } from '../ui/DownloadMenu.tsx'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx'
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

/**
 * The saved states of the workshop: take one (facilitator), open one read-only, compare two, and
 * delete one (facilitator); with how much of the room's snapshot storage is used.
 */
export function SnapshotsView({ roomId, token }: Props) {
  // The live document is what a snapshot is compared with as "now".
  const { doc, awareness, actor, permissions } = useWorkshop()
  const { isFacilitator } = permissions
  const [snapshots, setSnapshots] = useState<SnapshotMeta[] | null>(null)
  const [usage, setUsage] = useState<SnapshotUsage | null>(null)
  const [confirmDelete, setConfirmDelete] = useState<SnapshotMeta | null>(null)
  const [deleting, setDeleting] = useState(false)
  const [deleteError, setDeleteError] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [taking, setTaking] = useState(false)
  const [before, setBefore] = useState('')
  const [after, setAfter] = useState(NOW)
  const [confirmRestore, setConfirmRestore] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [comparison, setComparison] = useState<Comparison | null>(null)
  useEffect(() => () => comparison?.loaded.forEach((d) => d.destroy()), [comparison])

  /** `quiet`: a reload nobody asked for (another person's change, the timer) says nothing when it fails. */
  const refresh = useCallback(
    async (quiet = false) => {
      const result = await listSnapshots(roomId, token)
      if (result.ok) {
        const listed = result.value.snapshots
        setSnapshots(listed)
        setUsage(result.value.usage ?? null)
        // A compared snapshot someone deleted is no longer offered: fall back to the newest.
        const present = (id: string) => listed.some((s) => s.id === id)
        setBefore((current) => (current && present(current) ? current : listed[0]?.id || ''))
        setAfter((current) => (current === NOW || present(current) ? current : NOW))
      } else if (!quiet) setProblem(result.message)
    },
    [roomId, token],
  )
  useEffect(() => {
    void refresh()
  }, [refresh])
  const reload = useCallback(() => void refresh(true), [refresh])
  useSnapshotListUpdates(awareness, reload)

  async function take(event: FormEvent) {
    event.preventDefault()
    setTaking(true)
    const result = await takeSnapshot(roomId, token, name, actor)
    setTaking(false)
    if (!result.ok) return setProblem(result.message)
    setProblem(null)
    setName('')
    announceSnapshotsChanged(awareness)
    await refresh()
  }

  function askToDelete(snapshot: SnapshotMeta) {
    setDeleteError(null)
    setConfirmDelete(snapshot)
  }

  async function remove(snapshot: SnapshotMeta) {
    setDeleting(true)
    const result = await deleteSnapshot(roomId, token, snapshot.id)
    setDeleting(false)
    if (!result.ok && result.status !== 404) return setDeleteError(result.message)
    setConfirmDelete(null)
    if (result.ok) {
      setProblem(null)
      setUsage(result.value.usage)
      setNotice(`Deleted “${snapshot.name}”.`)
      announceSnapshotsChanged(awareness)
    } else setProblem('Someone has already deleted this snapshot.')
    await refresh()
  }

  async function restore(snapshot: SnapshotMeta) {
    setConfirmRestore(null)
    const result = await restoreSnapshot(roomId, token, snapshot.id, actor)
    if (!result.ok) return setProblem(result.message)
    setProblem(null)
    setNotice(`Restored “${snapshot.name}”. The state before was kept as “${result.value.before.name}”.`)
    announceSnapshotsChanged(awareness)
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
        <span className="snapshot-print-links">
          <a
            className="button small"
            href={printPath(roomId, null, 'workshop')}
            target="_blank"
            rel="noopener"
            title="The whole workshop as it is now, laid out to print or save as PDF (opens a new tab)"
          >
            Printable page
          </a>
          <a
            className="button small"
            href={printPath(roomId, null, 'protocol')}
            target="_blank"
            rel="noopener"
            title="The protocol alone as it is now, with a signature block for each organisation (opens a new tab)"
          >
            Protocol for signature
          </a>
        </span>
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
      {usage && <UsageLine usage={usage} isFacilitator={isFacilitator} />}
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
                <th scope="col">Size</th>
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
                  <td className="size">{formatBytes(s.size)}</td>
                  <td className="hash" title={s.sha256}>
                    {s.sha256.slice(0, 12)}…
                  </td>
                  <td className="actions">
                    <div className="row-actions">
                      <a className="button small" href={`/r/${roomId}/snapshots/${s.id}`}>
                        Open
                      </a>
                      <DownloadMenu
                        exports={snapshotExports({ roomId, snapshotId: s.id, token })}
                        name={`Download “${s.name}”`}
                        className="button small"
                      />
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
                      {isFacilitator && (
                        <button
                          type="button"
                          className="button small danger"
                          onClick={() => askToDelete(s)}
                          aria-label={`Delete ${s.name}`}
                        >
                          Delete…
                        </button>
                      )}
                    </div>
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
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete “${confirmDelete.name}”?`}
          confirmLabel="Delete snapshot"
          cancelLabel="Keep it"
          danger
          busy={deleting}
          error={deleteError}
          onConfirm={() => void remove(confirmDelete)}
          onCancel={() => setConfirmDelete(null)}
        >
          <p>
            Taken {snapshotDate(confirmDelete.createdAt)} by {snapshotAuthor(confirmDelete)}. Deleting it removes it for
            everyone in this workshop, and it cannot be brought back.
          </p>
          <p className="hint">
            {(snapshots ?? []).some((s) => s.id !== confirmDelete.id && s.sha256 === confirmDelete.sha256)
              ? 'Another snapshot holds exactly the same state, so this frees no space.'
              : `This frees ${formatBytes(confirmDelete.size)}.`}
          </p>
        </ConfirmDialog>
      )}
    </div>
  )
}

/** "12.4 MB of 200 MB used", as a meter, with what to do when it is nearly full. */
function UsageLine({ usage, isFacilitator }: { usage: SnapshotUsage; isFacilitator: boolean }) {
  const share = usage.quotaBytes > 0 ? usage.bytes / usage.quotaBytes : 0
  const nearlyFull = share >= NEARLY_FULL
  return (
    <div className={nearlyFull ? 'snapshot-usage nearly-full' : 'snapshot-usage'}>
      <meter
        min={0}
        max={usage.quotaBytes}
        value={usage.bytes}
        high={usage.quotaBytes * NEARLY_FULL}
        optimum={0}
        aria-label="Snapshot storage used"
        aria-valuetext={usageText(usage)}
      />
      <span data-testid="snapshot-usage">{usageText(usage)}</span>
      <span className="hint">
        {nearlyFull
          ? isFacilitator
            ? 'Nearly full: delete snapshots you no longer need to make room for new ones.'
            : 'Nearly full: the facilitator can delete old snapshots to make room.'
          : 'Automatic snapshots are all kept for a day, then one a day.'}
      </span>
    </div>
  )
}
