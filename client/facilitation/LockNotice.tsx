import { type LockableSection, sectionNoun } from '../../shared/permissions.ts'
import type { Lock } from '../../shared/workshopSettings.ts'

const lockTime = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })

/** Shown above a locked section: who locked it, when, and what that means for this person. */
export function LockNotice({
  section,
  lock,
  isFacilitator,
}: {
  section: LockableSection
  lock: Lock | undefined
  isFacilitator: boolean
}) {
  if (!lock) return null
  return (
    <p className="lock-notice" role="status" data-testid={`lock-${section}`}>
      <span aria-hidden="true">🔒</span> {sectionNoun(section)} is locked by {lock.by.name} since{' '}
      {lockTime.format(lock.at)}.{' '}
      {isFacilitator
        ? 'Facilitators can still edit it; unlock it in the workshop panel.'
        : 'It is read-only until the facilitator unlocks it.'}
    </p>
  )
}
