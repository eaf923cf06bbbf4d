import { useState } from 'react'
import type * as Y from 'yjs'
import { readBarriers } from '../../shared/barriers.ts'
import { describeLink, LINK_KIND_LABELS, linkKey, type Link, type LinkKind } from '../../shared/links.ts'
import { lineLabel, readPotLines } from '../../shared/pot.ts'
import { readClauses } from '../../shared/protocol.ts'
import { getBarriersMap, getPotMap, getProtocolMap } from '../../shared/schema.ts'
import { useDocValue } from '../sync/useDocValue.ts'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import { FormField } from './FormField.tsx'

interface Target extends Link {
  label: string
}

const watchTargets = (doc: Y.Doc) => [getPotMap(doc), getProtocolMap(doc), getBarriersMap(doc)]

/** Everything an item can link to, named for people, in the order each list shows them. */
function readTargets(doc: Y.Doc): Target[] {
  return [
    ...readBarriers(doc).map((b): Target => ({ kind: 'barrier', id: b.id, label: b.title })),
    ...readPotLines(doc).map((l): Target => ({ kind: 'pot-line', id: l.id, label: lineLabel(l) })),
    ...readClauses(doc).map((c, i): Target => ({ kind: 'clause', id: c.id, label: `${i + 1}. ${c.title}` })),
  ]
}

interface Props {
  /** What this item may link to. */
  kinds: readonly LinkKind[]
  links: readonly Link[]
  onChange: (link: Link, linked: boolean) => void
  disabled?: boolean
  /** Names the item in labels, e.g. "barrier Work Programme referral rules". */
  itemLabel: string
}

/** An item's links as removable chips, and a select to add another of the allowed kinds. */
export function LinkPicker({ kinds, links, onChange, disabled, itemLabel }: Props) {
  const { doc } = useWorkshop()
  const targets = useDocValue(doc, watchTargets, readTargets)
  const [choice, setChoice] = useState('')
  const linked = new Set(links.map(linkKey))
  const available = targets.filter((t) => kinds.includes(t.kind) && !linked.has(linkKey(t)))
  return (
    <div className="link-picker">
      <ul className="link-chips" aria-label={`Links of ${itemLabel}`}>
        {links.map((link) => {
          const label = describeLink(doc, link)
          return (
            <li key={linkKey(link)} className={`link-chip link-${link.kind}${label === null ? ' link-removed' : ''}`}>
              <span className="link-kind">{LINK_KIND_LABELS[link.kind]}</span> {label ?? '(removed)'}
              {!disabled && (
                <button
                  type="button"
                  className="link-unlink"
                  aria-label={`Unlink ${LINK_KIND_LABELS[link.kind].toLowerCase()} ${label ?? ''} from ${itemLabel}`}
                  onClick={() => onChange(link, false)}
                >
                  ×
                </button>
              )}
            </li>
          )
        })}
      </ul>
      {!disabled && available.length > 0 && (
        <FormField as="span" className="link-add" label={`Link ${itemLabel} to`} labelClassName="visually-hidden">
          {(control) => (
            <select
              {...control}
              value={choice}
              onChange={(e) => {
                const target = available.find((t) => linkKey(t) === e.target.value)
                setChoice('')
                if (target) onChange({ kind: target.kind, id: target.id }, true)
              }}
            >
              <option value="">Link to…</option>
              {kinds.map((kind) => {
                const options = available.filter((t) => t.kind === kind)
                return options.length === 0 ? null : (
                  <optgroup key={kind} label={`${LINK_KIND_LABELS[kind]}s`}>
                    {options.map((t) => (
                      <option key={linkKey(t)} value={linkKey(t)}>
                        {t.label.length > 80 ? `${t.label.slice(0, 79)}…` : t.label}
                      </option>
                    ))}
                  </optgroup>
                )
              })}
            </select>
          )}
        </FormField>
      )}
    </div>
  )
}
