import { useEffect, useState, type FormEvent } from 'react'
import { ORGANISATION_GROUPS } from '../../shared/organisations.ts'
import { lockableSections } from '../../shared/sections/registry.ts'
import {
  ORGANISATION_GROUP_LABELS,
  organisationGroupSchema,
  setLock,
  setTakingPart,
  setWorkshopTitle,
  type OrganisationGroupKind,
} from '../../shared/workshopSettings.ts'
import { EnumSelect } from '../ui/EnumSelect.tsx'
import { FormField } from '../ui/FormField.tsx'
import { useChangeRunner } from '../ui/useChangeRunner.ts'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import type { WorkshopSettings } from './useSettings.ts'

interface Props {
  settings: WorkshopSettings
}

/** Which group an organisation from the programme's lists belongs to, to suggest it. */
function suggestedGroup(organisation: string): OrganisationGroupKind {
  const group = ORGANISATION_GROUPS.find((g) => g.organisations.includes(organisation))
  return group?.label === 'Whitehall' ? 'department' : group?.label === 'First-phase areas' ? 'area' : 'partner'
}

const lockTime = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })

/** The facilitator's settings: title, organisations taking part, and section locks. */
export function SettingsPanel({ settings }: Props) {
  const { doc, actor } = useWorkshop()
  const [problem, run] = useChangeRunner()
  const [title, setTitle] = useState(settings.title)
  const [organisation, setOrganisation] = useState('')
  const [group, setGroup] = useState<OrganisationGroupKind>('area')
  useEffect(() => setTitle(settings.title), [settings.title])

  function rename(event: FormEvent) {
    event.preventDefault()
    run(() => setWorkshopTitle(doc, title, actor, Date.now()))
  }
  function addOrganisation(event: FormEvent) {
    event.preventDefault()
    run(() => {
      setTakingPart(doc, organisation, group, actor, Date.now())
      setOrganisation('')
    })
  }

  return (
    <section className="workshop-settings" aria-labelledby="settings-heading">
      <h3 id="settings-heading">Workshop settings</h3>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <form className="settings-row" onSubmit={rename}>
        <FormField as={null} id="workshop-title" label="Title">
          {(control) => <input {...control} value={title} maxLength={120} onChange={(e) => setTitle(e.target.value)} />}
        </FormField>
        <button type="submit" className="button small" disabled={title.trim() === settings.title}>
          Rename
        </button>
      </form>

      <h4>Locks</h4>
      <p className="hint">A locked section is read-only for everyone but facilitators.</p>
      <ul className="lock-list">
        {lockableSections().map(({ key: section, noun }) => {
          const lock = settings.locks.get(section)
          return (
            <li key={section}>
              <label className="lock-toggle">
                <input
                  type="checkbox"
                  checked={Boolean(lock)}
                  onChange={(e) => run(() => setLock(doc, section, e.target.checked, actor, Date.now()))}
                />
                Lock {noun}
              </label>
              {lock && (
                <span className="hint">
                  {' '}
                  by {lock.by.name} at {lockTime.format(lock.at)}
                </span>
              )}
            </li>
          )
        })}
      </ul>

      <h4>Organisations taking part</h4>
      <p className="hint">
        {settings.takingPart.length === 0
          ? 'None listed: sign-off and voting use the organisations of everyone who has joined.'
          : 'Sign-off, voting and organisation lists use these.'}
      </p>
      {(['area', 'department', 'partner'] as const).map((kind) => {
        const listed = settings.takingPart.filter((t) => t.group === kind)
        return listed.length === 0 ? null : (
          <div key={kind} className="taking-part-group">
            <h5>{ORGANISATION_GROUP_LABELS[kind]}</h5>
            <ul className="chip-list">
              {listed.map((t) => (
                <li key={t.organisation} className="chip">
                  {t.organisation}
                  <button
                    type="button"
                    className="chip-remove"
                    aria-label={`Remove ${t.organisation}`}
                    onClick={() => run(() => setTakingPart(doc, t.organisation, null, actor, Date.now()))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )
      })}
      <form className="settings-row" onSubmit={addOrganisation} aria-label="Add an organisation taking part">
        {/* A row too narrow for visible labels: the placeholder and the chips above say what goes here. */}
        <FormField as={null} label="Organisation taking part" labelClassName="visually-hidden">
          {(control) => (
            <input
              {...control}
              list="taking-part-suggestions"
              placeholder="e.g. Kent County Council"
              value={organisation}
              maxLength={120}
              onChange={(e) => {
                setOrganisation(e.target.value)
                setGroup(suggestedGroup(e.target.value))
              }}
            />
          )}
        </FormField>
        <datalist id="taking-part-suggestions">
          {ORGANISATION_GROUPS.flatMap((g) => g.organisations).map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
        <FormField as={null} label="Group" labelClassName="visually-hidden">
          {(control) => (
            <EnumSelect
              {...control}
              label="Group"
              value={group}
              options={organisationGroupSchema.options}
              labels={ORGANISATION_GROUP_LABELS}
              onChange={setGroup}
            />
          )}
        </FormField>
        <button type="submit" className="button small">
          Add
        </button>
      </form>
    </section>
  )
}
