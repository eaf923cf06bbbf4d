/** The workshop context of a snapshot's page: the live views, over the snapshot's document, for someone who changes nothing. */
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { LinkIdentity } from '../../shared/linkIdentity.ts'
import type { PresenceUser } from '../../shared/presence.ts'
import { downloadFile } from '../ui/downloadFile.ts'
import { exportPath, type Workshop, type WorkshopPermissions } from '../workshop/WorkshopContext.tsx'

// Nothing in a snapshot can change, so the views get a reader who writes nothing.
const READER: PresenceUser = {
  id: 'snapshot-reader',
  name: 'Reader',
  organisation: '',
  colour: '#5f6b7a',
  role: 'observer',
}
// Without a link of its own the reader states nothing, as with an observer's link.
const READER_LINK: LinkIdentity = { role: 'observer', organisation: null, name: null, linkId: null }
const READ_ONLY: WorkshopPermissions = {
  role: 'observer',
  isFacilitator: false,
  canEdit: false,
  canEditSection: () => false,
}

interface Source {
  roomId: string
  snapshotId: string
  token: string
}

export function snapshotWorkshop(doc: Y.Doc, awareness: Awareness, { roomId, snapshotId, token }: Source): Workshop {
  return {
    doc,
    awareness,
    actor: { userId: READER.id, name: READER.name, organisation: READER.organisation },
    user: READER,
    link: READER_LINK,
    permissions: READ_ONLY,
    exports: {
      // The views' export buttons export the snapshot, not the live workshop.
      download: (format, part) =>
        downloadFile({
          url: exportPath(`/api/rooms/${roomId}/snapshots/${snapshotId}`, format, part),
          token,
          fallbackName: `commonpot-${roomId.slice(0, 8)}-snapshot-${snapshotId.slice(0, 8)}${part ? `-${part}` : ''}.${format}`,
        }),
      positionsCsv: false,
    },
  }
}
