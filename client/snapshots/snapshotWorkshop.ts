/** The workshop context of a snapshot's page: the live views, over the snapshot's document, for someone who changes nothing. */
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { LinkIdentity } from '../../shared/linkIdentity.ts'
import type { PresenceUser } from '../../shared/presence.ts'
import { downloadFile } from '../ui/downloadFile.ts'
import {
  exportPath,
  fallbackFileName,
  type Workshop,
  type WorkshopExports,
  type WorkshopPermissions,
} from '../workshop/WorkshopContext.tsx'

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

/** A snapshot's exports (not the live workshop's), for its page and for its row in the list. */
export function snapshotExports(
  { roomId, snapshotId, token }: Source,
  download: typeof downloadFile = downloadFile,
): WorkshopExports {
  return {
    download: (format, part) =>
      download({
        url: exportPath(`/api/rooms/${roomId}/snapshots/${snapshotId}`, format, part),
        token,
        fallbackName: fallbackFileName(format, part, snapshotId.slice(0, 8)),
      }),
    snapshot: true,
  }
}

export function snapshotWorkshop(doc: Y.Doc, awareness: Awareness, source: Source): Workshop {
  return {
    doc,
    awareness,
    actor: { userId: READER.id, name: READER.name, organisation: READER.organisation },
    user: READER,
    link: READER_LINK,
    permissions: READ_ONLY,
    exports: snapshotExports(source),
  }
}
