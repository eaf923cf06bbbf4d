import { type Dispatch, type FormEvent, type SetStateAction, useEffect, useRef, useState } from 'react'
import { DEFAULT_INVITE_HOURS, INVITE_EXPIRY_CHOICES } from '../../shared/api.ts'
import { LINK_NAME_MAX } from '../../shared/linkIdentity.ts'
import type { Role } from '../../shared/roles.ts'
import { createInvite, revokeInvites } from '../api.ts'
import { loadRoomToken } from '../identity.ts'
import { FormField } from '../ui/FormField.tsx'

const INVITES: { role: Role; title: string; noun: string; help: string }[] = [
  {
    role: 'participant',
    title: 'Participants: general link',
    noun: 'participant',
    help: 'Anyone with this link can edit; what they state counts as self-declared.',
  },
  { role: 'observer', title: 'Observers', noun: 'observer', help: 'See everything live; cannot change anything.' },
  {
    role: 'facilitator',
    title: 'Co-facilitators',
    noun: 'facilitator',
    help: 'Can run the workshop. Share with care.',
  },
]

/** What people call a role's links in the panel ("Participants link"), kept short for screen readers. */
const LINK_LABELS: Record<Role, string> = {
  participant: 'Participants link',
  observer: 'Observers link',
  facilitator: 'Co-facilitators link',
}

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

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})
const formatExpiry = (at: number) => dateFormat.format(new Date(at))

interface Props {
  /** The current link per role (from GET /api/rooms/:id). */
  links: Record<Role, string>
  onClose: () => void
  /** The organisations taking part (the Workshop panel's list): one participant link can be made for each. */
  organisations?: readonly string[]
  /** The workshop; read from the links when not given. */
  roomId?: string
  /** The facilitator's token; this device's stored token for the room when not given. */
  token?: string
  /**
   * The links made since the page opened, kept by the page so that closing and reopening the panel
   * shows the newest link, not the one the page loaded with. The panel keeps its own when not given.
   */
  made?: MadeLinks
  onMade?: Dispatch<SetStateAction<MadeLinks>>
}

/** The newest link made per role. */
export type MadeLinks = Partial<Record<Role, MadeLink>>

export interface MadeLink {
  link: string
  expiresAt: number | null
  /** The person's name on a bound link, if any. */
  name?: string | null
}

/**
 * Invite links per role: copy the current link, create a new one with an expiry (1 to 90 days),
 * or revoke every link of a role, which stops them working at once (people connected with one
 * are disconnected) and replaces them with a fresh link. Participant links can also be made per
 * organisation taking part: whoever holds one speaks for that organisation, and its links can be
 * revoked on their own. Facilitators only.
 */
export function InvitePanel({
  links,
  onClose,
  organisations = [],
  roomId: givenRoomId,
  token: givenToken,
  made,
  onMade,
}: Props) {
  const roomId = givenRoomId ?? roomIdOfLink(links.facilitator) ?? ''
  const [ownMade, setOwnMade] = useState<MadeLinks>({})
  const current = made ?? ownMade
  const setCurrent = onMade ?? setOwnMade
  const [copied, setCopied] = useState<string | null>(null)
  const [hours, setHours] = useState<Record<Role, number>>({
    facilitator: DEFAULT_INVITE_HOURS,
    participant: DEFAULT_INVITE_HOURS,
    observer: DEFAULT_INVITE_HOURS,
  })
  const [busy, setBusy] = useState<string | null>(null)
  const [confirming, setConfirming] = useState<Role | null>(null)
  const [errors, setErrors] = useState<Partial<Record<Role, string>>>({})
  const [notes, setNotes] = useState<Partial<Record<Role, string>>>({})
  const confirmButton = useRef<HTMLButtonElement>(null)
  const revokeButtons = useRef(new Map<Role, HTMLButtonElement>())
  const linkInputs = useRef(new Map<Role, HTMLInputElement>())
  // After a confirmation closes, focus goes somewhere that still exists (not to the page's top).
  const [focusAfter, setFocusAfter] = useState<{ role: Role; to: 'link' | 'revoke' } | null>(null)

  useEffect(() => {
    if (confirming) confirmButton.current?.focus()
  }, [confirming])
  useEffect(() => {
    if (!focusAfter) return
    ;(focusAfter.to === 'link'
      ? linkInputs.current.get(focusAfter.role)
      : revokeButtons.current.get(focusAfter.role)
    )?.focus()
    setFocusAfter(null)
  }, [focusAfter])

  const linkOf = (role: Role) => current[role]?.link ?? links[role]
  const expiryOf = (role: Role) => (current[role] ? current[role].expiresAt : linkExpiry(links[role]))
  const tokenNow = () => givenToken ?? loadRoomToken(roomId) ?? ''
  const copy = async (key: string, text: string) => {
    if (await copyText(text)) {
      setCopied(key)
      setTimeout(() => setCopied((k) => (k === key ? null : k)), 2000)
    }
  }

  const setFor = <T,>(
    setter: (f: (prev: Partial<Record<Role, T>>) => Partial<Record<Role, T>>) => void,
    role: Role,
    value: T | undefined,
  ) => setter((prev) => ({ ...prev, [role]: value }))

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
    setFor(
      setNotes,
      role,
      `New link created. It works until ${formatExpiry(result.value.expiresAt)}; earlier links keep working until they expire or you revoke them.`,
    )
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
      setFocusAfter({ role, to: 'revoke' })
      return
    }
    setCurrent((prev) => ({ ...prev, [role]: { link: result.value.link, expiresAt: result.value.expiresAt } }))
    setFor(
      setNotes,
      role,
      role === 'facilitator'
        ? 'Every earlier facilitator link has stopped working. You stay in with a new one; share the link above with co-facilitators.'
        : `Every earlier ${noun} link has stopped working, including those made for an organisation. Share the new link above with those who should stay.`,
    )
    setFocusAfter({ role, to: 'link' })
  }

  const roleSection = ({ role, title, noun, help }: (typeof INVITES)[number]) => {
    const expiry = expiryOf(role)
    const expiryId = `invite-expiry-${role}`
    return (
      <section key={role} className="invite" aria-labelledby={`invite-${role}-heading`} aria-busy={busy === role}>
        <h3 id={`invite-${role}-heading`}>{title}</h3>
        <p className="hint">{help}</p>
        <div className="copy-row">
          <input
            ref={(el) => void (el ? linkInputs.current.set(role, el) : linkInputs.current.delete(role))}
            readOnly
            value={linkOf(role)}
            aria-label={LINK_LABELS[role]}
            aria-describedby={expiry !== null ? `${expiryId}-note` : undefined}
            data-invite-role={role}
            onFocus={(e) => e.currentTarget.select()}
          />
          <button className="button" type="button" onClick={() => void copy(role, linkOf(role))}>
            {copied === role ? 'Copied' : 'Copy'}
          </button>
        </div>
        {expiry !== null && (
          <p className="hint" id={`${expiryId}-note`}>
            This link works until {formatExpiry(expiry)}.
          </p>
        )}
        <div className="copy-row invite-expiry-row">
          <FormField as={null} id={expiryId} label={`New ${noun} link lasts`} labelClassName="hint">
            {(control) => (
              <select
                {...control}
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
            )}
          </FormField>
          <button className="button" type="button" disabled={busy !== null} onClick={() => void create(role)}>
            Create link
          </button>
        </div>
        {confirming === role ? (
          <div role="group" aria-labelledby={`revoke-${role}-question`} style={{ marginTop: '0.5rem' }}>
            <p id={`revoke-${role}-question`}>
              <strong>Revoke all {noun} links?</strong> Every {noun} link sent so far
              {role === 'participant' ? ', general or made for an organisation,' : ''} stops working at once, and anyone
              connected with one is disconnected.
              {role === 'facilitator' ? ' You stay in: this device gets a new facilitator link.' : ''} A new link
              replaces them.
            </p>
            <div className="copy-row">
              <button
                ref={confirmButton}
                className="button danger"
                type="button"
                onClick={() => void revoke(role, noun)}
              >
                Revoke all {noun} links
              </button>
              <button
                className="button"
                type="button"
                onClick={() => {
                  setConfirming(null)
                  setFocusAfter({ role, to: 'revoke' })
                }}
              >
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <button
            ref={(el) => void (el ? revokeButtons.current.set(role, el) : revokeButtons.current.delete(role))}
            className="button danger"
            type="button"
            style={{ marginTop: '0.5rem' }}
            disabled={busy !== null}
            onClick={() => setConfirming(role)}
          >
            Revoke all {noun} links
          </button>
        )}
        <LinkMessages error={errors[role]} note={notes[role]} />
      </section>
    )
  }

  const [participants, ...others] = INVITES
  return (
    <aside className="side-panel" aria-labelledby="invite-heading">
      <div className="side-panel-header">
        <h2 id="invite-heading">Invite people</h2>
        <button className="icon-button" type="button" onClick={onClose} aria-label="Close invite panel">
          ×
        </button>
      </div>
      {roleSection(participants!)}
      <OrganisationLinks
        roomId={roomId}
        organisations={organisations}
        tokenNow={tokenNow}
        busy={busy}
        setBusy={setBusy}
        copied={copied}
        onCopy={copy}
      />
      {others.map(roleSection)}
    </aside>
  )
}

type OrgField = 'organisation' | 'name'

/** Which field a server's validation message is about ("name must be at most 80 characters"). */
const fieldOfMessage = (message: string): OrgField | null =>
  /^organisation\b/.test(message) ? 'organisation' : /^name\b/.test(message) ? 'name' : null

interface OrganisationLinksProps {
  roomId: string
  organisations: readonly string[]
  tokenNow: () => string
  busy: string | null
  setBusy: (key: string | null) => void
  copied: string | null
  onCopy: (key: string, text: string) => Promise<void>
}

/**
 * Participant links bound to one organisation each: made from the organisations taking part, with
 * an optional person's name, revoked one organisation at a time. The server keeps no list of
 * links, so the panel shows the links made here since it opened.
 */
function OrganisationLinks({ roomId, organisations, tokenNow, busy, setBusy, copied, onCopy }: OrganisationLinksProps) {
  const [organisation, setOrganisation] = useState(organisations[0] ?? '')
  const [name, setName] = useState('')
  const [hours, setHours] = useState(DEFAULT_INVITE_HOURS)
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<OrgField, string>>>({})
  const [made, setMade] = useState<Record<string, MadeLink>>({})
  const [confirming, setConfirming] = useState<string | null>(null)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [notes, setNotes] = useState<Record<string, string>>({})
  const [focusAfter, setFocusAfter] = useState<{ organisation: string; to: 'link' | 'revoke' } | null>(null)
  const confirmButton = useRef<HTMLButtonElement>(null)
  const linkInputs = useRef(new Map<string, HTMLInputElement>())
  const revokeButtons = useRef(new Map<string, HTMLButtonElement>())
  const nameInput = useRef<HTMLInputElement>(null)
  const organisationSelect = useRef<HTMLSelectElement>(null)

  // The list changes under the panel (the facilitator edits it): keep the choice on a listed one.
  const chosen = organisations.includes(organisation) ? organisation : (organisations[0] ?? '')

  useEffect(() => {
    if (confirming !== null) confirmButton.current?.focus()
  }, [confirming])
  useEffect(() => {
    if (!focusAfter) return
    ;(focusAfter.to === 'link'
      ? linkInputs.current.get(focusAfter.organisation)
      : revokeButtons.current.get(focusAfter.organisation)
    )?.focus()
    setFocusAfter(null)
  }, [focusAfter])

  const say = (setter: typeof setNotes, key: string, text: string | undefined) =>
    setter((prev) => {
      const next = { ...prev }
      if (text === undefined) delete next[key]
      else next[key] = text
      return next
    })

  async function create(event: FormEvent) {
    event.preventDefault()
    const personName = name.trim()
    const problems: Partial<Record<OrgField, string>> = {}
    if (!chosen) problems.organisation = 'Choose the organisation the link is for.'
    if (personName.length > LINK_NAME_MAX)
      problems.name = `The person’s name must be at most ${LINK_NAME_MAX} characters.`
    setFieldErrors(problems)
    if (problems.organisation) return organisationSelect.current?.focus()
    if (problems.name) return nameInput.current?.focus()
    setBusy(`org:${chosen}`)
    say(setErrors, chosen, undefined)
    say(setNotes, chosen, undefined)
    const result = await createInvite(roomId, tokenNow(), 'participant', hours, {
      organisation: chosen,
      name: personName || undefined,
    })
    setBusy(null)
    if (!result.ok) {
      const field = fieldOfMessage(result.message)
      if (field) {
        setFieldErrors({ [field]: result.message })
        ;(field === 'name' ? nameInput : organisationSelect).current?.focus()
      } else say(setErrors, chosen, result.message)
      return
    }
    setMade((prev) => ({
      ...prev,
      [chosen]: { link: result.value.link, expiresAt: result.value.expiresAt, name: result.value.name },
    }))
    say(
      setNotes,
      chosen,
      `New ${chosen} link created${result.value.name ? ` for ${result.value.name}` : ''}; earlier ones keep working.`,
    )
    setName('')
    setFocusAfter({ organisation: chosen, to: 'link' })
  }

  async function revoke(org: string) {
    setConfirming(null)
    setBusy(`org:${org}`)
    say(setErrors, org, undefined)
    say(setNotes, org, undefined)
    const result = await revokeInvites(roomId, tokenNow(), 'participant', org)
    setBusy(null)
    if (!result.ok) {
      say(setErrors, org, result.message)
      setFocusAfter({ organisation: org, to: 'revoke' })
      return
    }
    setMade((prev) => ({
      ...prev,
      [org]: { link: result.value.link, expiresAt: result.value.expiresAt, name: result.value.name },
    }))
    say(
      setNotes,
      org,
      `Every earlier ${org} link has stopped working. Share the new link with those who should stay; other links are unchanged.`,
    )
    setFocusAfter({ organisation: org, to: 'link' })
  }

  return (
    <section className="invite" aria-labelledby="invite-organisations-heading">
      <h3 id="invite-organisations-heading">Participants: a link per organisation</h3>
      <p className="hint">
        Whoever opens an organisation’s link joins as that organisation, and the positions they state count as its own.
      </p>
      {organisations.length === 0 ? (
        <p className="hint" data-testid="no-organisations">
          List the organisations taking part in the Workshop panel to make a link for each.
        </p>
      ) : (
        <>
          <form
            className="invite-org-form"
            onSubmit={(e) => void create(e)}
            noValidate
            aria-label="Make a link for an organisation"
          >
            <FormField id="invite-org" label="Organisation" error={fieldErrors.organisation}>
              {(control) => (
                <select
                  {...control}
                  ref={organisationSelect}
                  value={chosen}
                  onChange={(e) => setOrganisation(e.currentTarget.value)}
                >
                  {organisations.map((org) => (
                    <option key={org} value={org}>
                      {org}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <FormField
              id="invite-org-name"
              label="Person’s name (optional)"
              hint="Filled in for them when they join; they can change it."
              error={fieldErrors.name}
            >
              {(control) => (
                <input
                  {...control}
                  ref={nameInput}
                  value={name}
                  maxLength={200}
                  autoComplete="off"
                  onChange={(e) => setName(e.currentTarget.value)}
                />
              )}
            </FormField>
            <FormField id="invite-org-expiry" label="Link lasts">
              {(control) => (
                <select
                  {...control}
                  value={hours}
                  disabled={busy !== null}
                  onChange={(e) => setHours(Number(e.currentTarget.value))}
                >
                  {INVITE_EXPIRY_CHOICES.map((choice) => (
                    <option key={choice.hours} value={choice.hours}>
                      {choice.label}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <button className="button primary" type="submit" disabled={busy !== null}>
              Create organisation link
            </button>
          </form>
          <ul className="invite-org-list">
            {organisations.map((org, i) => {
              const link = made[org]
              const headingId = `invite-org-${i}-heading`
              const noteId = `invite-org-${i}-expiry`
              return (
                <li key={org} className="invite-org" aria-busy={busy === `org:${org}`} data-organisation={org}>
                  <h4 id={headingId}>{org}</h4>
                  {link ? (
                    <>
                      <div className="copy-row">
                        <input
                          ref={(el) => void (el ? linkInputs.current.set(org, el) : linkInputs.current.delete(org))}
                          readOnly
                          value={link.link}
                          aria-label={`${org} participant link`}
                          aria-describedby={noteId}
                          onFocus={(e) => e.currentTarget.select()}
                        />
                        <button
                          className="button"
                          type="button"
                          onClick={() => void onCopy(`org:${org}`, link.link)}
                          aria-label={`${copied === `org:${org}` ? 'Copied' : 'Copy'} ${org} participant link`}
                        >
                          {copied === `org:${org}` ? 'Copied' : 'Copy'}
                        </button>
                      </div>
                      <p className="hint" id={noteId}>
                        {link.name ? `For ${link.name}. ` : ''}
                        {link.expiresAt !== null ? `Works until ${formatExpiry(link.expiresAt)}.` : ''}
                      </p>
                    </>
                  ) : (
                    <p className="hint">No link made here yet.</p>
                  )}
                  {confirming === org ? (
                    <div role="group" aria-labelledby={`${headingId}-question`}>
                      <p id={`${headingId}-question`}>
                        <strong>Revoke {org}’s participant links?</strong> Every participant link made for {org} stops
                        working at once, and anyone connected with one is disconnected. Other links keep working. A new{' '}
                        {org} link replaces them.
                      </p>
                      <div className="copy-row">
                        <button
                          ref={confirmButton}
                          className="button danger"
                          type="button"
                          onClick={() => void revoke(org)}
                        >
                          Revoke {org}’s links
                        </button>
                        <button
                          className="button"
                          type="button"
                          onClick={() => {
                            setConfirming(null)
                            setFocusAfter({ organisation: org, to: 'revoke' })
                          }}
                        >
                          Cancel
                        </button>
                      </div>
                    </div>
                  ) : (
                    <button
                      ref={(el) => void (el ? revokeButtons.current.set(org, el) : revokeButtons.current.delete(org))}
                      className="button small danger"
                      type="button"
                      disabled={busy !== null}
                      onClick={() => setConfirming(org)}
                    >
                      Revoke {org}’s links
                    </button>
                  )}
                  <LinkMessages error={errors[org]} note={notes[org]} />
                </li>
              )
            })}
          </ul>
        </>
      )}
    </section>
  )
}

/** A link's error (announced at once) and its latest note (announced politely), under its controls. */
function LinkMessages({ error, note }: { error: string | undefined; note: string | undefined }) {
  return (
    <>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <p className="hint" aria-live="polite">
        {note ?? ''}
      </p>
    </>
  )
}
