import type { ReactNode } from 'react'
import type * as Y from 'yjs'
import type { AgendaItem } from '../../shared/agenda.ts'
import type { Awareness } from 'y-protocols/awareness'
import type { Actor } from '../../shared/ledger.ts'
import { AgendaPanel } from './AgendaPanel.tsx'
import { MembersPanel } from './MembersPanel.tsx'
import { SettingsPanel } from './SettingsPanel.tsx'
import type { WorkshopSettings } from './useSettings.ts'

interface Props {
  doc: Y.Doc
  awareness: Awareness
  actor: Actor
  canEdit: boolean
  isFacilitator: boolean
  settings: WorkshopSettings
  followingId: string | null
  onFollow: (userId: string | null) => void
  onClose: () => void
  onAgendaItemEnded?: (item: AgendaItem) => void
  /** What the panel shows last, about this device rather than the workshop. */
  children?: ReactNode
}

/** The side panel for running the workshop: people and hands, the agenda, (facilitators) settings, then this device. */
export function FacilitationPanel({ doc, awareness, actor, canEdit, isFacilitator, settings, followingId, onFollow, onClose, onAgendaItemEnded, children }: Props) {
  return (
    <aside className="side-panel facilitation-panel" aria-labelledby="facilitation-heading">
      <div className="side-panel-header">
        <h2 id="facilitation-heading">Workshop</h2>
        <button className="icon-button" type="button" onClick={onClose} aria-label="Close workshop panel">
          ×
        </button>
      </div>
      <MembersPanel
        doc={doc}
        awareness={awareness}
        actor={actor}
        canEdit={canEdit}
        isFacilitator={isFacilitator}
        hands={settings.hands}
        followingId={followingId}
        onFollow={onFollow}
      />
      <AgendaPanel doc={doc} agenda={settings.agenda} isFacilitator={isFacilitator} onItemEnded={onAgendaItemEnded} />
      {isFacilitator && <SettingsPanel doc={doc} actor={actor} settings={settings} />}
      {children}
    </aside>
  )
}
