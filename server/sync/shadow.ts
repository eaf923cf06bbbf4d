/**
 * A room's shadow replica: a second Y.Doc that holds what the live document held before the update
 * being judged, so that the live document can take a peer's update first (one integration, read by
 * updateEffects.ts) and still be put back should the update be refused.
 *
 * The shadow lags: what the live document takes is queued (Yjs's own update of each transaction)
 * and applied to the replica only when it is needed, in one transaction for the lot. A rule that
 * reads the document as it was (the pot line before the edit, the clause's status, a member's
 * record) or a refusal brings it level; a board drag, which needs neither, costs the shadow only
 * its share of a batched integration. On refusal the replica, brought level with the live document
 * as it was before the update, becomes the live document, and the shadow is rebuilt from it when
 * next needed.
 */
import * as Y from 'yjs'

/** Queued updates past which the replica is brought level anyway (memory, and a bounded catch-up). */
const MAX_QUEUED = 512
const MAX_QUEUED_BYTES = 4 * 1024 * 1024

export class Shadow {
  private replica: Y.Doc | null = null
  /** What the live document took since the replica was last level with it, oldest first. */
  private queue: Uint8Array[] = []
  private queuedBytes = 0
  /** Queued updates that came before the update being judged (the rest are its own). */
  private mark = 0
  private live: Y.Doc
  /** The server's own client id in this room (Yjs may change a document's when it receives structs under it). */
  private readonly clientID: number

  constructor(live: Y.Doc) {
    this.live = live
    this.clientID = live.clientID
    live.on('update', this.note)
  }

  /**
   * Called before the live document takes an update to judge: from here until `settle` or
   * `takeOver`, `before()` is the document as it is now.
   */
  begin(): void {
    if (!this.replica) this.rebuild()
    else if (this.queue.length >= MAX_QUEUED || this.queuedBytes >= MAX_QUEUED_BYTES) this.level(this.queue.length)
    this.mark = this.queue.length
  }

  /** The document as it was when `begin` was called (brings the replica level with that). */
  before(): Y.Doc {
    if (!this.replica) throw new Error('the shadow was not begun')
    if (this.mark > 0) this.level(this.mark)
    return this.replica
  }

  /** The judged update was accepted: what the live document took stays queued for the replica. */
  settle(): void {
    this.mark = 0
  }

  /**
   * The judged update was refused (or failed part-way): returns the document as it was before it,
   * which from now on is the live one, and starts following that. The update's own share of the
   * queue is dropped.
   */
  takeOver(): Y.Doc {
    const restored = this.before()
    this.live.off('update', this.note)
    this.replica = null
    this.queue = []
    this.queuedBytes = 0
    this.mark = 0
    this.live = restored
    restored.on('update', this.note)
    return restored
  }

  destroy(): void {
    this.live.off('update', this.note)
    this.replica?.destroy()
    this.replica = null
    this.queue = []
  }

  private rebuild(): void {
    this.replica?.destroy()
    const replica = new Y.Doc({ gc: this.live.gc })
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(this.live))
    this.keepClientID(replica)
    this.replica = replica
    this.queue = []
    this.queuedBytes = 0
  }

  /** Applies the first `count` queued updates to the replica, in one transaction. */
  private level(count: number): void {
    const replica = this.replica!
    const taken = this.queue.splice(0, count)
    if (this.mark > 0) this.mark = Math.max(0, this.mark - count)
    for (const update of taken) this.queuedBytes -= update.byteLength
    try {
      replica.transact(() => {
        for (const update of taken) Y.applyUpdate(replica, update)
      })
      this.keepClientID(replica)
    } catch (error) {
      // The live document took these in this order, so Yjs cannot fail on them here.
      replica.destroy()
      this.replica = null
      throw error
    }
  }

  /**
   * Gives the replica the server's client id: should it become the live document, the server's
   * own changes go on at that id's next clock. Yjs gives a document that receives structs under
   * its own id a new one, so this follows every update the replica takes (it never writes itself).
   */
  private keepClientID(replica: Y.Doc): void {
    replica.clientID = this.clientID
  }

  private readonly note = (update: Uint8Array): void => {
    if (!this.replica) return
    this.queue.push(update)
    this.queuedBytes += update.byteLength
  }
}
