import { useState, type FormEvent } from 'react'
import { createRoomRequestSchema } from '../../shared/api.ts'
import { identitySchema } from '../../shared/presence.ts'
import { createRoom } from '../api.ts'
import { navigate } from '../routes.ts'
import { loadIdentity, markJoined, saveIdentity, saveRoomToken } from '../identity.ts'
import { FormField } from '../ui/FormField.tsx'
import { NameField } from '../ui/NameField.tsx'
import { OrganisationField } from '../ui/OrganisationField.tsx'

type Errors = Partial<Record<'title' | 'name' | 'organisation' | 'form', string>>

export function CreateWorkshopPage() {
  const remembered = loadIdentity()
  const [title, setTitle] = useState('')
  const [name, setName] = useState(remembered?.name ?? '')
  const [organisation, setOrganisation] = useState(remembered?.organisation ?? '')
  const [errors, setErrors] = useState<Errors>({})
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent) {
    event.preventDefault()
    const room = createRoomRequestSchema.safeParse({ title })
    const identity = identitySchema.safeParse({ name, organisation })
    const next: Errors = {}
    if (!room.success) next.title = room.error.issues[0]?.message.replace(/^title/, 'The title')
    if (!identity.success) {
      for (const issue of identity.error.issues) {
        const field = issue.path[0]
        if (field === 'name' || field === 'organisation') next[field] ??= issue.message
      }
    }
    setErrors(next)
    if (!room.success || !identity.success) return
    setBusy(true)
    const result = await createRoom(room.data.title)
    setBusy(false)
    if (!result.ok) {
      setErrors({ form: result.message })
      return
    }
    saveIdentity(identity.data)
    saveRoomToken(result.value.roomId, result.value.tokens.facilitator)
    markJoined(result.value.roomId)
    navigate(`/r/${result.value.roomId}`)
  }

  return (
    <main className="centred-page">
      <div className="card wide">
        <p className="brand">Commonpot</p>
        <h1>Start a workshop</h1>
        <p className="lede">
          Negotiate the virtual pot, the protocol and the barriers with every partner, live. You will run the workshop
          as its facilitator and get links to invite participants and observers.
        </p>
        <form onSubmit={submit} noValidate>
          <FormField label="Workshop title" error={errors.title}>
            {(control) => (
              <input
                {...control}
                value={title}
                onChange={(e) => setTitle(e.target.value)}
                placeholder="e.g. Swindon families: agreeing the virtual pot"
                autoFocus
                maxLength={200}
              />
            )}
          </FormField>
          <NameField value={name} onChange={setName} error={errors.name} />
          <OrganisationField value={organisation} onChange={setOrganisation} error={errors.organisation} />
          {errors.form && (
            <p className="form-error" role="alert">
              {errors.form}
            </p>
          )}
          <button className="button primary" type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create workshop'}
          </button>
        </form>
        <p className="hint">Invited to a workshop? Open the link the facilitator sent you.</p>
      </div>
    </main>
  )
}
