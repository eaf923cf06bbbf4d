import { useId } from 'react'
import type * as Y from 'yjs'
import type { Link } from '../../shared/links.ts'
import { getPotMap, getProtocolMap } from '../../shared/schema.ts'
import { useDocValue } from '../sync/useDocValue.ts'
import { LinkPicker } from '../ui/LinkPicker.tsx'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'

const KINDS = ['pot-line', 'clause'] as const
const watchTargets = (doc: Y.Doc) => [getPotMap(doc), getProtocolMap(doc)]
const countTargets = (doc: Y.Doc) => getPotMap(doc).size + getProtocolMap(doc).size

interface Props {
  links: readonly Link[]
  itemLabel: string
  disabled?: boolean
  onChange: (link: Link, linked: boolean) => void
}

/** The pot lines and clauses a barrier blocks, as a labelled group. */
export function BarrierLinks({ links, itemLabel, disabled, onChange }: Props) {
  const { doc } = useWorkshop()
  const headingId = useId()
  const targets = useDocValue(doc, watchTargets, countTargets)
  return (
    <div className="field barrier-links" role="group" aria-labelledby={headingId}>
      <span className="field-label" id={headingId}>
        Pot lines and clauses it blocks
      </span>
      {links.length === 0 && (disabled || targets === 0) ? (
        <p className="muted hint-line">
          {disabled ? 'None.' : 'Nothing to link yet: add pot lines or protocol clauses first.'}
        </p>
      ) : (
        <LinkPicker kinds={KINDS} links={links} disabled={disabled} itemLabel={itemLabel} onChange={onChange} />
      )}
    </div>
  )
}
