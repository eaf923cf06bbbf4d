import type { ReactNode } from 'react'
import type { AgendaItem } from '../../shared/agenda.ts'
import { useWorkshop } from '../workshop/WorkshopContext.tsx'
import { AgendaPanel } from './AgendaPanel.tsx'
import { MembersPanel } from './MembersPanel.tsx'
import { SettingsPanel } from './SettingsPanel.tsx'
import type { WorkshopSettings } from './useSettings.ts'

interface Props {
  settings: WorkshopSettings
  followingId: string | null
  onFollow: (userId: string | null) => void
  onClose: () => void
  onAgendaItemEnded?: (item: AgendaItem) => void
  /** What the panel shows last, about this device rather than the workshop. */
  children?: ReactNode
}

/** The side panel for running the workshop: people and hands, the agenda, (facilitators) settings, then this device. */
export function FacilitationPanel({ settings, followingId, onFollow, onClose, onAgendaItemEnded, children }: Props) {
  const { isFacilitator } = useWorkshop().permissions
  return (
    <aside className="side-panel facilitation-panel" aria-labelledby="facilitation-heading">
      <div className="side-panel-header">
        <h2 id="facilitation-heading">Workshop</h2>
        <button className="icon-button" type="button" onClick={onClose} aria-label="Close workshop panel">
          ×
        </button>
      </div>
      <MembersPanel hands={settings.hands} followingId={followingId} onFollow={onFollow} />
      <AgendaPanel agenda={settings.agenda} onItemEnded={onAgendaItemEnded} />
      {isFacilitator && <SettingsPanel settings={settings} />}
      {children}
    </aside>
  )
}
