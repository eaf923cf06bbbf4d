/**
 * What every view of one open workshop shares: its document and awareness, who is editing, what
 * they may change, and how its exports download. The live shell provides it once the
 * connection exists; a snapshot's page provides a read-only one around the same views.
 */
import { createContext, useContext, type ReactNode } from 'react'
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import { exportFileName } from '../../shared/exportFileName.ts'
import type { Actor } from '../../shared/ledger.ts'
import type { LinkIdentity } from '../../shared/linkIdentity.ts'
import type { LockableSection } from '../../shared/permissions.ts'
import type { PresenceUser } from '../../shared/presence.ts'
import type { Role } from '../../shared/roles.ts'

/**
 * The files an export is offered as: the agreement for signature (Word), the pot workbook (Excel),
 * the minutes (Markdown), everything for other tools (JSON), one table (CSV), and for a snapshot
 * its exact saved state (ydoc).
 */
export type ExportFormat = 'docx' | 'xlsx' | 'md' | 'json' | 'csv' | 'ydoc'
/**
 * Which table a CSV export holds, one of the sections' tables (shared/exportCsv.ts CSV_PARTS); the
 * other formats hold everything.
 */
export type ExportPart = string

/**
 * The path of an export download under `base`, with no credential in it: the token goes in a
 * header. The JSON asks for `download=1`, so the server names it as a file; without it the same
 * JSON is what the print page reads.
 */
export const exportPath = (base: string, format: ExportFormat, part?: ExportPart): string =>
  `${base}?format=${format}${part ? `&part=${encodeURIComponent(part)}` : ''}${format === 'json' ? '&download=1' : ''}`

/** A file name for the rare answer that names none (the server always does). */
export const fallbackFileName = (format: ExportFormat, part?: ExportPart, snapshot?: string): string =>
  exportFileName({
    title: 'Commonpot',
    part,
    snapshot,
    when: new Date(),
    ext: format,
  })

export interface WorkshopPermissions {
  role: Role
  isFacilitator: boolean
  /** May change the workshop at all: facilitators and participants, never observers. */
  canEdit: boolean
  /** May change this section now: the rule the server enforces, under which a locked section is the facilitator's alone. */
  canEditSection: (section: LockableSection) => boolean
}

export interface WorkshopExports {
  /**
   * Downloads the export in `format` (with `part`, one part of it as CSV) with this person's token
   * in a header, never in a URL (client/ui/downloadFile.ts); rejects with a message for people.
   */
  download: (format: ExportFormat, part?: ExportPart) => Promise<void>
  /** Whether these are a snapshot's exports, which also offer the snapshot's exact bytes (ydoc). */
  snapshot: boolean
}

export interface Workshop {
  doc: Y.Doc
  awareness: Awareness
  /** Who is editing, as the ledger records them. */
  actor: Actor
  /** This person as the others see them (the colour of their caret and cursor). */
  user: PresenceUser
  /** What this person's link speaks for: decides how the positions they state count. */
  link: LinkIdentity
  permissions: WorkshopPermissions
  exports: WorkshopExports
}

const WorkshopContext = createContext<Workshop | null>(null)

/** `value` is null until the workshop's document exists; nothing that calls useWorkshop renders before. */
export function WorkshopProvider({ value, children }: { value: Workshop | null; children: ReactNode }) {
  return <WorkshopContext.Provider value={value}>{children}</WorkshopContext.Provider>
}

export function useWorkshop(): Workshop {
  const workshop = useContext(WorkshopContext)
  if (!workshop)
    throw new Error(
      'useWorkshop() was called outside an open workshop: render it inside a WorkshopProvider with a value.',
    )
  return workshop
}
