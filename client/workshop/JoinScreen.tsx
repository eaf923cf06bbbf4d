import { useState, type FormEvent } from 'react'
import type { RoomInfo } from '../../shared/api.ts'
import { identitySchema, type Identity } from '../../shared/presence.ts'
import { ROLE_LABELS } from '../../shared/roles.ts'
import { loadIdentity } from '../identity.ts'
import { FormField } from '../ui/FormField.tsx'
import { NameField } from '../ui/NameField.tsx'
import { OrganisationField } from '../ui/OrganisationField.tsx'

const ROLE_HELP = {
  facilitator: 'You can run the workshop and change everything.',
  participant: 'You can edit the board and everything negotiated in the workshop.',
  observer: 'You can see everything live, but not change anything.',
} as const

export function JoinScreen({ info, onJoin }: { info: RoomInfo; onJoin: (identity: Identity) => void }) {
  const remembered = loadIdentity()
  // A link made for someone names them; they may still correct it. Its organisation is not theirs to change.
  const [name, setName] = useState(info.linkName ?? remembered?.name ?? '')
  const [organisation, setOrganisation] = useState(remembered?.organisation ?? '')
  const [errors, setErrors] = useState<{ name?: string; organisation?: string }>({})
  const bound = info.organisation

  function submit(event: FormEvent) {
    event.preventDefault()
    const parsed = identitySchema.safeParse({ name, organisation: bound ?? organisation })
    if (!parsed.success) {
      const next: { name?: string; organisation?: string } = {}
      for (const issue of parsed.error.issues) {
        const field = issue.path[0]
        if (field === 'name' || field === 'organisation') next[field] ??= issue.message
      }
      setErrors(next)
      return
    }
    onJoin(parsed.data)
  }

  return (
    <main className="centred-page">
      <div className="card wide">
        <p className="brand">Commonpot</p>
        <h1>Join “{info.title}”</h1>
        <p className="lede">
          You are invited as <strong>{ROLE_LABELS[info.role].toLowerCase()}</strong>. {ROLE_HELP[info.role]}
        </p>
        <form onSubmit={submit} noValidate>
          <NameField value={name} onChange={setName} error={errors.name} autoFocus />
          {bound ? (
            <FormField
              id="join-organisation"
              label="Your organisation"
              hint={
                <>
                  Your invite link was made for {bound}: you join as {bound}, and the positions you state count as its
                  own.
                </>
              }
            >
              {(control) => <input {...control} name="organisation" value={bound} readOnly />}
            </FormField>
          ) : (
            <>
              <OrganisationField value={organisation} onChange={setOrganisation} error={errors.organisation} />
              {info.role === 'participant' && (
                <p className="hint">
                  This is a general invite link: positions you state for your organisation are shown as self-declared.
                </p>
              )}
              {info.role === 'facilitator' && (
                <p className="hint">
                  Positions you state for your organisation are shown as self-declared, unless you record them on its
                  behalf.
                </p>
              )}
            </>
          )}
          <p className="hint">Others in the workshop see your name and organisation. This device remembers them.</p>
          <button className="button primary" type="submit">
            Join workshop
          </button>
        </form>
      </div>
    </main>
  )
}
