import { useEffect, useRef, useState } from 'react'
import { DEFAULT_INVITE_HOURS, INVITE_EXPIRY_CHOICES } from '../../shared/api.ts'
import type { Role } from '../../shared/roles.ts'
import { createInvite, revokeInvites } from '../api.ts'
import { loadRoomToken } from '../identity.ts'

const INVITES: { role: Role; title: string; noun: string; help: string }[] = [
  { role: 'participant', title: 'Participants', noun: 'participant', help: 'Can edit the board and everything negotiated.' },
  { role: 'observer', title: 'Observers', noun: 'observer', help: 'See everything live; cannot change anything.' },
  { role: 'facilitator', title: 'Co-facilitators', noun: 'facilitator', help: 'Can run the workshop. Share with care.' },
]

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}

/** When a link's token expires (read from the token itself, for display only), or null. */
export function linkExpiry(link: string): number | null {
  try {
    const token = new URL(link).searchParams.get('token')
    const payload = token?.split('.')[1]
    if (!payload) return null
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown }
    return typeof json.exp === 'number' ? json.exp * 1000 : null
  } catch {
    return null
  }
}

/** The room id in an invite link (…/r/<roomId>?token=…). */
export function roomIdOfLink(link: string): string | null {
  try {
    return new URL(link).pathname.match(/\/r\/([A-Za-z0-9_-]+)\/?$/)?.[1] ?? null
  } catch {
    return null
  }
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' })
const formatExpiry = (at: number) => dateFormat.format(new Date(at))

interface Props {
  /** The current link per role (from GET /api/rooms/:id). */
  links: Record<Role, string>
  onClose: () => void
  /** The workshop; read from the links when not given. */
  roomId?: string
  /** The facilitator's token; this device's stored token for the room when not given. */
  token?: string
}

/**
 * Invite links per role: copy the current link, create a new one with an expiry (1 to 90 days),
 * or revoke every link of a role, which stops them working at once (people connected with one
 * are disconnected) and replaces them with a fresh link. Facilitators only.
 */
export function InvitePanel({ links, onClose, roomId: givenRoomId, token: givenToken }: Props) {
  const roomId = givenRoomId ?? roomIdOfLink(links.facilitator) ?? ''
  const [current, setCurrent] = useState<Partial<Record<Role, { link: string; expiresAt: number | null }>>>({})
  const [copied, setCopied] = useState<Role | null>(null)
  const [hours, setHours] = useState<Record<Role, number>>({ facilitator: DEFAULT_INVITE_HOURS, participant: DEFAULT_INVITE_HOURS, observer: DEFAULT_INVITE_HOURS })
  const [busy, setBusy] = useState<Role | null>(null)
  const [confirming, setConfirming] = useState<Role | null>(null)
  const [errors, setErrors] = useState<Partial<Record<Role, string>>>({})
  const [notes, setNotes] = useState<Partial<Record<Role, string>>>({})
  const confirmButton = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (confirming) confirmButton.current?.focus()
  }, [confirming])

  const linkOf = (role: Role) => current[role]?.link ?? links[role]
  const expiryOf = (role: Role) => (current[role] ? current[role].expiresAt : linkExpiry(links[role]))
  const tokenNow = () => givenToken ?? loadRoomToken(roomId) ?? ''

  const setFor = <T,>(setter: (f: (prev: Partial<Record<Role, T>>) => Partial<Record<Role, T>>) => void, role: Role, value: T | undefined) =>
    setter((prev) => ({ ...prev, [role]: value }))

  async function create(role: Role) {
    setBusy(role)
    setFor(setErrors, role, undefined)
    setFor(setNotes, role, undefined)
    const result = await createInvite(roomId, tokenNow(), role, hours[role])
    setBusy(null)
    if (!result.ok) {
      setFor(setErrors, role, result.message)
      return
    }
    setCurrent((prev) => ({ ...prev, [role]: { link: result.value.link, expiresAt: result.value.expiresAt } }))
    setFor(setNotes, role, `New link created. It works until ${formatExpiry(result.value.expiresAt)}; earlier links keep working until they expire or you revoke them.`)
  }

  async function revoke(role: Role, noun: string) {
    setConfirming(null)
    setBusy(role)
    setFor(setErrors, role, undefined)
    setFor(setNotes, role, undefined)
    const result = await revokeInvites(roomId, tokenNow(), role)
    setBusy(null)
    if (!result.ok) {
      setFor(setErrors, role, result.message)
      return
    }
    setCurrent((prev) => ({ ...prev, [role]: { link: result.value.link, expiresAt: result.value.expiresAt } }))
    setFor(
      setNotes,
      role,
      role === 'facilitator'
        ? 'Every earlier facilitator link has stopped working. You stay in with a new one; share the link above with co-facilitators.'
        : `Every earlier ${noun} link has stopped working. Share the new link above with those who should stay.`,
    )
  }

  return (
    <aside className="side-panel" aria-labelledby="invite-heading">
      <div className="side-panel-header">
        <h2 id="invite-heading">Invite people</h2>
        <button className="icon-button" type="button" onClick={onClose} aria-label="Close invite panel">
          ×
        </button>
      </div>
      {INVITES.map(({ role, title, noun, help }) => {
        const expiry = expiryOf(role)
        const expiryId = `invite-expiry-${role}`
        return (
          <section key={role} className="invite" aria-labelledby={`invite-${role}-heading`} aria-busy={busy === role}>
            <h3 id={`invite-${role}-heading`}>{title}</h3>
            <p className="hint">{help}</p>
            <div className="copy-row">
              <input
                readOnly
                value={linkOf(role)}
                aria-label={`${title} link`}
                aria-describedby={expiry !== null ? `${expiryId}-note` : undefined}
                data-invite-role={role}
                onFocus={(e) => e.currentTarget.select()}
              />
              <button
                className="button"
                type="button"
                onClick={async () => {
                  if (await copyText(linkOf(role))) {
                    setCopied(role)
                    setTimeout(() => setCopied((r) => (r === role ? null : r)), 2000)
                  }
                }}
              >
                {copied === role ? 'Copied' : 'Copy'}
              </button>
            </div>
            {expiry !== null && (
              <p className="hint" id={`${expiryId}-note`}>
                This link works until {formatExpiry(expiry)}.
              </p>
            )}
            <div className="copy-row" style={{ marginTop: '0.5rem', alignItems: 'center' }}>
              <label htmlFor={expiryId} className="hint">
                New {noun} link lasts
              </label>
              <select
                id={expiryId}
                value={hours[role]}
                disabled={busy !== null}
                onChange={(e) => {
                  const value = Number(e.currentTarget.value)
                  setHours((prev) => ({ ...prev, [role]: value }))
                }}
              >
                {INVITE_EXPIRY_CHOICES.map((choice) => (
                  <option key={choice.hours} value={choice.hours}>
                    {choice.label}
                  </option>
                ))}
              </select>
              <button className="button" type="button" disabled={busy !== null} onClick={() => void create(role)}>
                Create link
              </button>
            </div>
            {confirming === role ? (
              <div role="group" aria-labelledby={`revoke-${role}-question`} style={{ marginTop: '0.5rem' }}>
                <p id={`revoke-${role}-question`}>
                  <strong>Revoke all {noun} links?</strong> Every {noun} link sent so far stops working at once, and anyone connected with one is
                  disconnected.{role === 'facilitator' ? ' You stay in: this device gets a new facilitator link.' : ''} A new link replaces them.
                </p>
                <div className="copy-row">
                  <button ref={confirmButton} className="button danger" type="button" onClick={() => void revoke(role, noun)}>
                    Revoke all {noun} links
                  </button>
                  <button className="button" type="button" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </div>
              </div>
            ) : (
              <button className="button danger" type="button" style={{ marginTop: '0.5rem' }} disabled={busy !== null} onClick={() => setConfirming(role)}>
                Revoke all {noun} links
              </button>
            )}
            {errors[role] && (
              <p className="form-error" role="alert">
                {errors[role]}
              </p>
            )}
            <p className="hint" aria-live="polite">
              {notes[role] ?? ''}
            </p>
          </section>
        )
      })}
    </aside>
  )
}
