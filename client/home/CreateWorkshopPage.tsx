import { useEffect, useRef, useState, type FormEvent } from 'react'
import { createRoomRequestSchema, ORGANISER_KEY_ERRORS, type ServerConfig } from '../../shared/api.ts'
import { identitySchema } from '../../shared/presence.ts'
import { createRoom, getServerConfig } from '../api.ts'
import { loadWorkshopPage } from '../pageLoaders.ts'
import { navigate } from '../routes.ts'
import {
  forgetOrganiserKey,
  loadIdentity,
  loadOrganiserKey,
  markJoined,
  saveIdentity,
  saveOrganiserKey,
  saveRoomToken,
} from '../identity.ts'
import { FormField } from '../ui/FormField.tsx'
import { NameField } from '../ui/NameField.tsx'
import { OrganisationField } from '../ui/OrganisationField.tsx'
import { OrganiserKeyField, organiserKeyProblem } from './OrganiserKeyField.tsx'

type Errors = Partial<Record<'title' | 'name' | 'organisation' | 'organiserKey' | 'form', string>>

export function CreateWorkshopPage() {
  const remembered = loadIdentity()
  const [title, setTitle] = useState('')
  const [name, setName] = useState(remembered?.name ?? '')
  const [organisation, setOrganisation] = useState(remembered?.organisation ?? '')
  const [organiserKey, setOrganiserKey] = useState(loadOrganiserKey)
  // Unknown until the server says (or an old server refuses without a key): no key field meanwhile.
  const [roomCreation, setRoomCreation] = useState<ServerConfig['roomCreation'] | null>(null)
  const [errors, setErrors] = useState<Errors>({})
  const [busy, setBusy] = useState(false)
  const keyInput = useRef<HTMLInputElement>(null)
  const [keyRefusals, setKeyRefusals] = useState(0)

  useEffect(() => {
    let current = true
    void getServerConfig().then((result) => {
      if (current && result.ok) setRoomCreation(result.value.roomCreation)
    })
    return () => {
      current = false
    }
  }, [])

  // After the server refused the key, take the person to it (the field may only just have appeared).
  useEffect(() => {
    if (keyRefusals > 0) keyInput.current?.focus()
  }, [keyRefusals])

  const needsKey = roomCreation === 'key'

  /** A message goes as soon as its field holds a value that would be taken; new ones wait for submit. */
  const fixed = (field: keyof Errors, ok: boolean) => {
    if (ok && errors[field]) setErrors((prev) => ({ ...prev, [field]: undefined }))
  }
  const changeTitle = (value: string) => {
    setTitle(value)
    fixed('title', createRoomRequestSchema.safeParse({ title: value }).success)
  }
  const changeName = (value: string) => {
    setName(value)
    fixed('name', identitySchema.shape.name.safeParse(value).success)
  }
  const changeOrganisation = (value: string) => {
    setOrganisation(value)
    fixed('organisation', identitySchema.shape.organisation.safeParse(value).success)
  }
  const changeOrganiserKey = (value: string) => {
    setOrganiserKey(value)
    fixed('organiserKey', organiserKeyProblem(value.trim()) === undefined)
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    const room = createRoomRequestSchema.safeParse({ title })
    const identity = identitySchema.safeParse({ name, organisation })
    const key = organiserKey.trim()
    const next: Errors = {}
    if (!room.success) next.title = room.error.issues[0]?.message.replace(/^title/, 'The title')
    if (!identity.success) {
      for (const issue of identity.error.issues) {
        const field = issue.path[0]
        if (field === 'name' || field === 'organisation') next[field] ??= issue.message
      }
    }
    if (needsKey) next.organiserKey = organiserKeyProblem(key)
    setErrors(next)
    if (!room.success || !identity.success || next.organiserKey) return
    setBusy(true)
    // The workshop opens next: fetch its code while the server makes the room (failure shows there).
    void loadWorkshopPage().catch(() => undefined)
    const result = await createRoom(room.data.title, needsKey ? key : undefined)
    setBusy(false)
    if (!result.ok) {
      if (ORGANISER_KEY_ERRORS.includes(result.code)) {
        // A key kept from earlier in this tab may have been withdrawn since: do not offer it again.
        if (result.code === 'bad_organiser_key') forgetOrganiserKey()
        setRoomCreation('key')
        setErrors({ organiserKey: result.message })
        setKeyRefusals((n) => n + 1)
        return
      }
      setErrors({ form: result.message })
      return
    }
    if (needsKey) saveOrganiserKey(key)
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
                onChange={(e) => changeTitle(e.target.value)}
                placeholder="e.g. Swindon families: agreeing the virtual pot"
                autoFocus
                maxLength={200}
              />
            )}
          </FormField>
          <NameField value={name} onChange={changeName} error={errors.name} />
          <OrganisationField value={organisation} onChange={changeOrganisation} error={errors.organisation} />
          {needsKey && (
            <OrganiserKeyField
              value={organiserKey}
              onChange={changeOrganiserKey}
              error={errors.organiserKey}
              inputRef={keyInput}
            />
          )}
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
