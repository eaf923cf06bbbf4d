/**
 * The one way a snapshot leaves the store (issue #18): a facilitator deleting it
 * (`DELETE /api/rooms/:id/snapshots/:sid`, the role checked by the route) and the retention of
 * automatic snapshots (rooms/snapshotter.ts) both come through `SnapshotDeletion`, which first asks
 * its precondition whether the snapshot must be kept. The server's precondition (rooms/registry.ts
 * `keptForReceipt`) keeps every snapshot a signed receipt names (409 `snapshot_referenced`), for
 * both ways at once.
 */
import { errorMessage, log } from './log.ts'
import { snapshotEvents } from './metrics.ts'
import type { SnapshotRecord, Store } from './storage/store.ts'

/** Why a snapshot must be kept: answered to the facilitator as 409 `{error: {code, message}}`. */
export interface DeletionRefusal {
  code: string
  message: string
}

/**
 * Asked before any snapshot is deleted, by a person or by the retention: why this one must be
 * kept, or null when it may go. It runs outside the store's transaction, so a precondition that
 * reads other records must be one whose answer cannot turn while the deletion runs (a receipt can
 * only be made for a snapshot that exists), or move into the store with the deletion.
 */
export type DeletionPrecondition = (snapshot: SnapshotRecord) => Promise<DeletionRefusal | null>

/** Every snapshot may go (a store with no receipts, as in tests of the deletion alone). */
export const ANY_SNAPSHOT_MAY_GO: DeletionPrecondition = async () => null

export type DeletionOutcome =
  | { outcome: 'deleted'; snapshot: SnapshotRecord; freedBytes: number }
  | { outcome: 'refused'; snapshot: SnapshotRecord; refusal: DeletionRefusal }
  | { outcome: 'not_found' }

export class SnapshotDeletion {
  constructor(
    private readonly store: Store,
    private readonly mayDelete: DeletionPrecondition = ANY_SNAPSHOT_MAY_GO,
  ) {}

  /** A person deletes one snapshot of the room (their role was checked before). */
  async deleteOne(roomId: string, snapshotId: string): Promise<DeletionOutcome> {
    // Metadata only: the list is short (the retention sees to that), a state may be 64 MB.
    const found = (await this.store.listSnapshots(roomId)).find((s) => s.id === snapshotId)
    if (!found) return { outcome: 'not_found' }
    const refusal = await this.mayDelete(found)
    if (refusal) return { outcome: 'refused', snapshot: found, refusal }
    const { deleted, freedBytes } = await this.store.deleteSnapshots(roomId, [snapshotId])
    // Someone else deleted it between the read and now.
    if (deleted.length === 0) return { outcome: 'not_found' }
    snapshotEvents.deleted++
    log('info', 'snapshot.deleted', { room: roomId, snapshot: snapshotId, kind: found.kind, freedBytes })
    return { outcome: 'deleted', snapshot: deleted[0]!, freedBytes }
  }

  /**
   * The retention lets `snapshots` of the room go: each one a precondition keeps stays (logged),
   * the rest are deleted in one transaction. Never throws: the retention runs again after the
   * next automatic snapshot.
   */
  async prune(roomId: string, snapshots: readonly SnapshotRecord[]): Promise<{ count: number; freedBytes: number }> {
    try {
      const going: string[] = []
      for (const snapshot of snapshots) {
        const refusal = await this.mayDelete(snapshot)
        if (refusal) log('info', 'snapshot.kept', { room: roomId, snapshot: snapshot.id, reason: refusal.code })
        else going.push(snapshot.id)
      }
      if (going.length === 0) return { count: 0, freedBytes: 0 }
      const { deleted, freedBytes } = await this.store.deleteSnapshots(roomId, going)
      snapshotEvents.pruned += deleted.length
      return { count: deleted.length, freedBytes }
    } catch (error) {
      log('error', 'storage.prune_failed', { room: roomId, error: errorMessage(error) })
      return { count: 0, freedBytes: 0 }
    }
  }
}
