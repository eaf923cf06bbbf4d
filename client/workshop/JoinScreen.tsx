import { useState, type FormEvent } from 'react'
import type { RoomInfo } from '../../shared/api.ts'
import { identitySchema, type Identity } from '../../shared/presence.ts'
import { ROLE_LABELS } from '../../shared/roles.ts'
import { loadIdentity } from '../identity.ts'
import { OrganisationField } from '../ui/OrganisationField.tsx'
import { TextField } from '../ui/TextField.tsx'

const ROLE_HELP = {
  facilitator: 'You can run the workshop and change everything.',
  participant: 'You can edit the board and everything negotiated in the workshop.',
  observer: 'You can see everything live, but not change anything.',
} as const

export function JoinScreen({ info, onJoin }: { info: RoomInfo; onJoin: (identity: Identity) => void }) {
  const remembered = loadIdentity()
  const [name, setName] = useState(remembered?.name ?? '')
  const [organisation, setOrganisation] = useState(remembered?.organisation ?? '')
  const [errors, setErrors] = useState<{ name?: string; organisation?: string }>({})

  function submit(event: FormEvent) {
    event.preventDefault()
    const parsed = identitySchema.safeParse({ name, organisation })
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
          <TextField label="Your name" value={name} onChange={setName} error={errors.name} autoComplete="name" autoFocus maxLength={200} />
          <OrganisationField value={organisation} onChange={setOrganisation} error={errors.organisation} />
          <p className="hint">Others in the workshop see your name and organisation. This device remembers them.</p>
          <button className="button primary" type="submit">
            Join workshop
          </button>
        </form>
      </div>
    </main>
  )
}
