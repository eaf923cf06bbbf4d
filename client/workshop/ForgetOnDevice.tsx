/**
 * "Forget this workshop on this device": for a shared or borrowed computer. Removes what this
 * browser keeps of the workshop (the saved copy of the document, the changes not yet sent, the
 * room's details and the invite link), then goes to the home page. The workshop itself, and what
 * the server has, are untouched.
 */
import { useState } from 'react'
import { forgetRoomAccess } from '../identity.ts'
import { forgetRoomInfo } from '../offline/roomInfoCache.ts'

interface Props {
  roomId: string
  unsyncedChanges: number
  discardLocalCopy: () => Promise<void>
}

export function ForgetOnDevice({ roomId, unsyncedChanges, discardLocalCopy }: Props) {
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  async function forget() {
    setBusy(true)
    setProblem(null)
    try {
      await discardLocalCopy()
      forgetRoomInfo(localStorage, roomId)
      forgetRoomAccess(roomId)
      window.location.assign('/')
    } catch (error) {
      setBusy(false)
      setProblem(`This device could not forget the workshop: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  return (
    <section className="forget-device" aria-labelledby="forget-device-heading">
      <h3 id="forget-device-heading">This device</h3>
      {!confirming ? (
        <>
          <p className="hint">
            This browser keeps a copy of the workshop and your invite link, so that it opens offline. On a shared
            computer, remove them when you leave.
          </p>
          <button type="button" className="button small" onClick={() => setConfirming(true)}>
            Forget this workshop on this device…
          </button>
        </>
      ) : (
        <div role="group" aria-label="Confirm forgetting this workshop">
          <p>
            This browser will no longer hold the workshop or your link: you will need the invite link to come back. The
            workshop itself is not changed.
            {unsyncedChanges > 0 && (
              <strong className="form-error">
                {' '}
                {unsyncedChanges} {unsyncedChanges === 1 ? 'change has' : 'changes have'} not reached the server yet and
                will be lost.
              </strong>
            )}
          </p>
          <div className="button-row">
            <button type="button" className="button small danger" onClick={() => void forget()} disabled={busy}>
              {busy ? 'Forgetting…' : 'Forget on this device'}
            </button>
            <button
              type="button"
              className="button small"
              onClick={() => setConfirming(false)}
              disabled={busy}
              autoFocus
            >
              Keep it
            </button>
          </div>
        </div>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  )
}
