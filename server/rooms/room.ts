/**
 * A loaded workshop room: its Y.Doc, its awareness and the peers connected to it. The room applies
 * incoming messages at once (peers' updates through its write guard), but everything it sends to
 * other peers waits in its outbox (outbox.ts) until the flush pipeline has made the tick's updates
 * durable: an update the server has relayed is always stored.
 */
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import { canEdit } from '../../shared/roles.ts'
import { getMembersMap, getMetaMap, readMeta, recordMember } from '../../shared/schema.ts'
import { inputErrorMessage, log } from '../log.ts'
import { busMetrics, metrics, writesDenied } from '../metrics.ts'
import { WriteGuard, type RefusalBudget, type Verdict } from '../sync/writeGuard.ts'
import { countLimit } from '../sync/limits.ts'
import { CLOSE_CODES } from '../../shared/api.ts'
import { appendLedger, type LedgerEntry } from '../../shared/ledger.ts'
import type { ReceiptSigner } from '../auth/signingKey.ts'
import { issueClauseReceipts, protocolAgreements } from './receiptIssuer.ts'
import type { Peer } from '../sync/peer.ts'
import { frameBatch } from '../sync/framedBatch.ts'
import { ChangeClock } from './changeClock.ts'
import { RoomOutbox } from './outbox.ts'
import { observerAttendance } from './observerAttendance.ts'
import {
  decodeMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  type IncomingMessage,
} from '../sync/protocol.ts'

/** What the room needs from whoever flushes and unloads it (the registry). */
export interface FlushScheduler {
  markDirty(room: Room): void
  roomJoined(room: Room): void
  roomEmptied(room: Room): void
  /** The ledger recorded the protocol marked agreed as a whole (`entry`): snapshot it and sign. */
  protocolAgreed(room: Room, entry: LedgerEntry): void
}

/** Thrown for a message whose content is invalid (the connection is closed with 4400). */
export class BadMessageError extends Error {}

const EMPTY_UPDATE_LENGTH = 2

/**
 * A compacted room's document is built once its first client is answered, or this long after a
 * peer joined, whichever comes first (a client that sends no step 1 still gets the server's).
 */
const BUILD_AT_THE_LATEST_MS = 50
/**
 * Below this a compacted room's document is built at once (in well under a millisecond per 10 KiB):
 * deferring it gains nothing and would send the server's step 1 after its step 2, which a
 * y-websocket client answers with everything it wrote meanwhile, a second time.
 */
const BUILD_LATER_FROM_BYTES = 128 * 1024

/** The origin of changes the server makes itself, so they are told apart from peers' updates. */
const SERVER_ORIGIN = Symbol('server')
/** The origin of changes relayed from another instance (already stored by it) or caught up from the store. */
const REMOTE_ORIGIN = Symbol('remote')

/** A server change asked of a room that was closed before it could be stored. */
export class RoomClosedError extends Error {
  constructor() {
    super('The workshop was closed before the change could be stored.')
  }
}

export class Room {
  /** The live document; replaced when a refused update is put back (see WriteGuard). */
  private live: Y.Doc
  readonly awareness: awarenessProtocol.Awareness
  readonly peers = new Set<Peer>()
  /** What the room has applied but not stored yet, and what it sends once it is. */
  readonly outbox: RoomOutbox
  /** Changes since the last snapshot, for automatic snapshots. */
  readonly changes: ChangeClock
  private isClosed = false
  /** Server changes waiting to be stored: each fails if the room is dropped first. */
  private readonly unstoredServerChanges = new Set<(error: Error) => void>()
  /** Set when meta.title changed since the store last heard of it. */
  private titleChanged = false
  private readonly guard: WriteGuard
  /** Set whenever the presence changes: tells handle() whether a peer's presence message changed anything. */
  private awarenessChanged = false
  /** Observers' connections whose attendance the server has written (rooms/observerAttendance.ts). */
  private readonly attendanceRecorded = new WeakSet<Peer>()
  /**
   * The whole document as one update and its sync step 2 frame, kept until the document next
   * changes: every client that arrives with nothing (an empty state vector) gets the same bytes, and
   * compaction and snapshots reuse them, so a room is encoded once per change, not once per use.
   * Cold, it is the stored row itself when the store holds one (a compacted room): served as read,
   * never decoded and encoded again.
   */
  private encoded: { state: Uint8Array; step2: Uint8Array | null } | null = null

  /**
   * `stored` is what the store holds for the room, with the title its rooms table has and when its
   * newest snapshot was taken (a rename that did not reach the table before a crash is caught up).
   */
  constructor(
    readonly id: string,
    stored: { updates: readonly Uint8Array[]; bytes: number; title?: string; lastSnapshotAt?: number | null },
    private readonly scheduler: FlushScheduler,
    refusals?: RefusalBudget,
    /** Signs a receipt for each agreement the ledger records; none are issued without one. */
    private readonly receiptSigner?: ReceiptSigner,
  ) {
    const doc = new Y.Doc({ gc: true })
    this.live = doc
    // A compacted room: its stored row is the document's whole state, served as it is to the
    // clients that have nothing.
    if (stored.updates.length === 1) this.encoded = { state: stored.updates[0]!, step2: null }
    if (stored.updates.length === 1 && stored.bytes >= BUILD_LATER_FROM_BYTES) {
      // A large one is applied only after the first of them is answered (build), so that the
      // client decodes it while the server does (each takes tens of ms for a 10,000-record board).
      this.unbuilt = { state: stored.updates[0]!, title: stored.title }
    } else {
      doc.transact(() => {
        for (const update of stored.updates) Y.applyUpdate(doc, update)
      })
    }
    this.outbox = new RoomOutbox(this.peers, { rows: stored.updates.length, bytes: stored.bytes })
    this.changes = new ChangeClock(stored.lastSnapshotAt ?? null)
    // The awareness borrows only the document's client id.
    this.awareness = new awarenessProtocol.Awareness(doc)
    // The server publishes no presence of its own.
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.onAwarenessUpdate)
    // The guard keeps the document object: every path to it (handle) builds the document first.
    this.guard = new WriteGuard(doc, this.replaceDoc, refusals)
    getMetaMap(doc).observe(this.onMetaChange)
    // Registered after loading, so only changes made while loaded count. Yjs emits 'update' only
    // for transactions that changed something (a resent known update does not).
    doc.on('update', this.onDocUpdate)
    if (!this.unbuilt) this.noteStoredTitle(stored.title)
  }

  /**
   * The stored row of a compacted room not yet applied to the document (see the constructor), with
   * the title the rooms table had; null once applied. Every reader of the document goes through
   * `doc`, which applies it first.
   */
  private unbuilt: { state: Uint8Array; title: string | undefined } | null = null
  /** Peers that joined before the document was built: they get the server's step 1 once it is. */
  private readonly awaitingStep1 = new Set<Peer>()
  private buildTimer: NodeJS.Timeout | null = null
  /** When the pending build timer fires (performance.now()). */
  private buildAt = 0

  /** Applies the stored row of a compacted room, if not done yet (no change to count, cache or relay). */
  private build(): void {
    const pending = this.unbuilt
    if (!pending) return
    this.unbuilt = null
    if (this.buildTimer) clearTimeout(this.buildTimer)
    this.buildTimer = null
    const doc = this.live
    getMetaMap(doc).unobserve(this.onMetaChange)
    doc.off('update', this.onDocUpdate)
    try {
      Y.applyUpdate(doc, pending.state)
    } finally {
      getMetaMap(doc).observe(this.onMetaChange)
      doc.on('update', this.onDocUpdate)
    }
    this.noteStoredTitle(pending.title)
    const waiting = [...this.awaitingStep1]
    this.awaitingStep1.clear()
    if (waiting.length === 0) return
    const step1 = encodeSyncStep1(Y.encodeStateVector(doc))
    for (const peer of waiting) if (this.peers.has(peer)) peer.send(step1)
  }

  /** Builds the document soon, without holding up what is being sent now. */
  private buildSoon(delayMs: number): void {
    if (!this.unbuilt || this.isClosed) return
    // The earliest deadline asked for stands: each join must not push a waiting build later.
    const at = performance.now() + delayMs
    if (this.buildTimer && this.buildAt <= at) return
    if (this.buildTimer) clearTimeout(this.buildTimer)
    this.buildAt = at
    this.buildTimer = setTimeout(() => {
      this.buildTimer = null
      if (!this.isClosed) this.build()
    }, delayMs)
  }

  /** A rename that did not reach the rooms table before a crash is caught up at the next flush. */
  private noteStoredTitle(storedTitle: string | undefined): void {
    if (storedTitle !== undefined && this.title !== null && this.title !== storedTitle) this.titleChanged = true
  }

  /** The room's document as everyone has it now. */
  get doc(): Y.Doc {
    this.build()
    return this.live
  }

  get closed(): boolean {
    return this.isClosed
  }

  /**
   * The whole document encoded as one update (Y.encodeStateAsUpdate), from the cache while the
   * document has not changed since it was last encoded. Shared: callers must not modify it.
   */
  encodedState(): Uint8Array {
    if (!this.encoded) {
      metrics.stateEncodes++
      this.encoded = { state: Y.encodeStateAsUpdate(this.doc), step2: null }
    }
    return this.encoded.state
  }

  /** Sync step 2 with the whole document, for a client that has nothing yet. */
  private fullSyncStep2(): Uint8Array {
    const state = this.encodedState()
    const encoded = this.encoded!
    encoded.step2 ??= encodeSyncStep2(state)
    return encoded.step2
  }

  /** The title to store when it changed since the store last heard of it (then cleared), else null. */
  takeTitleChange(): string | null {
    if (!this.titleChanged) return null
    this.titleChanged = false
    return this.title
  }

  /** Storing the title failed: it is tried again at the next flush. */
  titleNotStored(): void {
    this.titleChanged = true
  }

  /** The workshop's title as the document has it now (the facilitator can rename it); null if unset. */
  get title(): string | null {
    const title = readMeta(this.doc).title.trim()
    return title ? title : null
  }

  join(peer: Peer): void {
    this.peers.add(peer)
    this.guard.join(peer, peer.provenUserId ?? null)
    this.scheduler.roomJoined(this)
    if (this.unbuilt) {
      // Its step 1 waits for the document; the client's own step 1 is answered from the stored
      // row meanwhile. Built at the latest a moment from now, even if no client asks first.
      this.awaitingStep1.add(peer)
      this.buildSoon(BUILD_AT_THE_LATEST_MS)
    } else {
      peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)))
    }
    const states = this.awareness.getStates()
    if (states.size > 0) {
      peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])))
    }
  }

  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return
    this.awaitingStep1.delete(peer)
    this.guard.leave(peer)
    if (peer.controlledClients.size > 0) {
      const gone = [...peer.controlledClients]
      awarenessProtocol.removeAwarenessStates(this.awareness, gone, null)
      this.enqueue(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, gone)), null)
    }
    if (this.peers.size === 0) this.scheduler.roomEmptied(this)
  }

  /**
   * Applies one decoded message from a peer. `frame` is the raw frame it came in, relayed
   * byte-for-byte where the protocol allows (presence) so that it is encoded once for everyone.
   * Throws BadMessageError when the content cannot be applied.
   */
  handle(peer: Peer, message: IncomingMessage, frame: Uint8Array): void {
    // Only a step 1 and presence can be answered before a compacted room's document is built.
    if (message.kind !== 'sync-step1' && message.kind !== 'awareness' && message.kind !== 'query-awareness')
      this.build()
    switch (message.kind) {
      case 'sync-step1': {
        const stateVector = message.stateVector
        let hasNothing: boolean
        try {
          hasNothing = Y.decodeStateVector(stateVector).size === 0
        } catch {
          throw new BadMessageError('malformed state vector')
        }
        this.outbox.whenDurable(() => {
          if (!this.peers.has(peer)) return
          // Durable here, so the document (and any cached encoding of it) holds only stored updates.
          if (!hasNothing) peer.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector)))
          // Once it is written whole, the document is built while the client applies it (building
          // it sooner would hold back the rest of a large write).
          else peer.send(this.fullSyncStep2(), () => this.buildSoon(0))
        })
        return
      }
      case 'sync-step2':
      case 'update': {
        const update = message.update
        // An empty update changes nothing (every client sends one in answer to our step 1).
        if (update.length <= EMPTY_UPDATE_LENGTH && update.every((b) => b === 0)) return
        if (!canEdit(peer.role)) {
          metrics.observerWritesDenied++
          writesDenied.observer++
          peer.send(encodePermissionDenied('Observers cannot change the workshop.'))
          return
        }
        // Every update is applied to the live document and judged by what Yjs did with it there
        // (sync/writeGuard.ts); a refused one is taken back out before anything is stored or
        // relayed. An update that cannot be applied whole changes nothing (found by fuzzing,
        // issue #9: Yjs integrates structs before it reads the delete set, so a cut-short update
        // used to half-apply).
        this.lastTransactionUpdate = null
        let verdict: Verdict
        try {
          verdict = this.guard.receive(peer, update, Date.now())
        } catch (error) {
          throw new BadMessageError(`update could not be applied: ${inputErrorMessage(error)}`)
        }
        if (!verdict.ok) {
          this.refuse(peer, update, verdict)
          return
        }
        // A client's sync step 2 carries the document's whole delete set, so after a restart every
        // reconnecting client sends one that changes nothing; storing and relaying those would
        // make a reconnect storm of N clients cost N rows and N² frames. An update that changed
        // nothing is dropped (one that would leave parts waiting was refused by the guard).
        // (Set by onDocUpdate while the guard applied it: TypeScript cannot see the callback.)
        const taken = this.lastTransactionUpdate as Uint8Array | null
        if (taken === null) return
        // What is stored and relayed is what the document took (Yjs's own update of the
        // transaction), not the bytes as sent: structs the room already held, which were never
        // judged, go nowhere (issue #16: they could name top-level types that do not exist).
        this.storeAndRelay(taken, encodeUpdate(taken), peer)
        this.noteChange()
        if (verdict.ledger.length > 0) this.recordLedger(verdict.ledger)
        return
      }
      case 'awareness': {
        this.awarenessChanged = false
        try {
          awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, peer)
        } catch (error) {
          throw new BadMessageError(`awareness update could not be applied: ${inputErrorMessage(error)}`)
        }
        // The y-websocket client sends back every presence it receives, at the clock it had: in a
        // room of N, each change came back N-1 times and each echo went to all N, N² frames for
        // one cursor move. Only what is newer than the room's own state goes out.
        if (!this.awarenessChanged) return
        if (peer.role === 'observer' && !this.attendanceRecorded.has(peer)) this.recordAttendance(peer)
        // Echoed to the sender too: the y-websocket client counts it as a sign of life.
        this.enqueue(frame, null)
        return
      }
      case 'query-awareness': {
        const ids = [...this.awareness.getStates().keys()]
        peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)))
        return
      }
      case 'auth':
        return
    }
  }

  /**
   * A refused update: the sender is told why (auth permission-denied; the connection stays open),
   * and in its place the room applies, stores and relays its tombstone, so that the sender's
   * later updates still apply everywhere (see sync/tombstone.ts). A connection that keeps causing
   * refusals is closed (each costs putting the live document back).
   */
  private refuse(peer: Peer, update: Uint8Array, verdict: Extract<Verdict, { ok: false }>): void {
    const { code, reason } = verdict.refusal
    writesDenied[code]++
    log('info', 'sync.write_denied', { room: this.id, peer: peer.id, role: peer.role, reason: code })
    peer.send(encodePermissionDenied(reason))
    if (!this.guard.chargeRefusal(peer)) {
      countLimit('write_refusals')
      log('warn', 'sync.limit', { room: this.id, peer: peer.id, limit: 'write_refusals' })
      peer.close(CLOSE_CODES.tryAgainLater, 'too many refused changes')
    }
    const tombstone = this.guard.tombstone(peer, update)
    if (!tombstone) return
    try {
      Y.applyUpdate(this.doc, tombstone, peer)
    } catch (error) {
      throw new BadMessageError(`tombstone could not be applied: ${inputErrorMessage(error)}`)
    }
    this.storeAndRelay(tombstone, encodeUpdate(tombstone), peer)
  }

  /**
   * Appends what the server records of an accepted change to the ledger, as the server's own
   * change: stored with the update it records, and relayed to everyone, the writer included. A
   * clause agreed among them gets its signed receipt in the same change; the protocol marked agreed
   * is handed to the scheduler, which signs it once its snapshot is stored (rooms/receiptIssuer.ts).
   */
  private recordLedger(entries: readonly LedgerEntry[]): void {
    let recorded: Uint8Array | null = null
    let chained: LedgerEntry[] = []
    const capture = (update: Uint8Array, origin: unknown) => {
      if (origin === SERVER_ORIGIN) recorded = update
    }
    this.doc.on('update', capture)
    try {
      this.doc.transact(() => {
        chained = appendLedger(this.doc, entries)
        if (this.receiptSigner) issueClauseReceipts(this.doc, this.id, chained, this.receiptSigner)
      }, SERVER_ORIGIN)
    } finally {
      this.doc.off('update', capture)
    }
    if (recorded) {
      this.storeAndRelay(recorded, encodeUpdate(recorded), null)
    }
    for (const entry of protocolAgreements(chained)) this.scheduler.protocolAgreed(this, entry)
  }

  /** Writes an observer's member record for them, once their presence names them. */
  private recordAttendance(peer: Peer): void {
    const attendance = observerAttendance(peer, this.awareness)
    if (!attendance) return
    this.attendanceRecorded.add(peer)
    // A reconnect of someone already on the list changes nothing worth a stored row (and a snapshot).
    const known = getMembersMap(this.doc).get(attendance.userId)
    const { name, organisation, role, keyed } = attendance.who
    if (
      known &&
      known.name === name &&
      known.organisation === organisation &&
      known.role === role &&
      known.keyed === keyed
    )
      return
    this.applyServerChange((doc) => recordMember(doc, attendance.userId, attendance.who, Date.now())).catch(
      (error: unknown) => log('error', 'room.attendance_failed', { room: this.id, error: inputErrorMessage(error) }),
    )
  }

  /**
   * Applies a change the server itself makes (a snapshot restore): stored and relayed to every
   * peer exactly like a peer's update. Resolves once it is durable.
   */
  applyServerChange(change: (doc: Y.Doc) => void): Promise<void> {
    if (this.isClosed) return Promise.reject(new RoomClosedError())
    const updates: Uint8Array[] = []
    const capture = (update: Uint8Array, origin: unknown) => {
      if (origin === SERVER_ORIGIN) updates.push(update)
    }
    this.doc.on('update', capture)
    try {
      this.doc.transact(() => change(this.doc), SERVER_ORIGIN)
    } finally {
      this.doc.off('update', capture)
    }
    for (const update of updates) {
      this.storeAndRelay(update, encodeUpdate(update), null)
    }
    return new Promise((resolve, reject) => {
      this.unstoredServerChanges.add(reject)
      this.outbox.whenDurable(() => {
        this.unstoredServerChanges.delete(reject)
        resolve()
      })
    })
  }

  /**
   * Applies what another instance's flush sent to its peers (sync updates and awareness, already
   * stored by that instance) and passes the same frames on to this room's peers in one write
   * each. Frames come from a trusted instance, but one that cannot be decoded is skipped, never
   * thrown at the bus.
   */
  applyRemote(frames: readonly Uint8Array[]): void {
    if (this.isClosed) return
    const relayed: Uint8Array[] = []
    for (const frame of frames) {
      try {
        const message = decodeMessage(frame)
        if (message.kind === 'update' || message.kind === 'sync-step2')
          Y.applyUpdate(this.doc, message.update, REMOTE_ORIGIN)
        else if (message.kind === 'awareness')
          awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, REMOTE_ORIGIN)
        else continue
        relayed.push(frame)
      } catch (error) {
        busMetrics.malformed++
        log('warn', 'bus.bad_frame', { room: this.id, error: inputErrorMessage(error) })
      }
    }
    this.sendToAll(relayed)
  }

  /**
   * Applies rows read from the store that this room may have missed (the bus was down) and sends
   * peers only what was new to it. Stored already, so nothing is queued for the flush.
   */
  catchUp(stored: readonly Uint8Array[]): void {
    if (this.isClosed) return
    const before = Y.encodeStateVector(this.doc)
    // Yjs emits 'update' only for a transaction that changed something.
    let changed = false
    const mark = () => {
      changed = true
    }
    this.doc.on('update', mark)
    try {
      this.doc.transact(() => {
        for (const update of stored) Y.applyUpdate(this.doc, update)
      }, REMOTE_ORIGIN)
    } finally {
      this.doc.off('update', mark)
    }
    if (changed) this.sendToAll([encodeUpdate(Y.encodeStateAsUpdate(this.doc, before))])
  }

  private sendToAll(frames: readonly Uint8Array[]): void {
    if (frames.length === 0 || this.peers.size === 0) return
    const batch = frameBatch(frames)
    for (const peer of this.peers) {
      metrics.framesOut += frames.length
      peer.sendBatch(batch, undefined)
    }
  }

  destroy(): void {
    this.isClosed = true
    // Dropped with the room (storage failed): whoever waits is told, rather than left waiting.
    for (const reject of this.unstoredServerChanges) reject(new RoomClosedError())
    this.unstoredServerChanges.clear()
    this.encoded = null
    this.unbuilt = null
    if (this.buildTimer) clearTimeout(this.buildTimer)
    this.awaitingStep1.clear()
    this.guard.destroy()
    getMetaMap(this.doc).unobserve(this.onMetaChange)
    this.doc.off('update', this.onDocUpdate)
    this.awareness.off('update', this.onAwarenessUpdate)
    this.awareness.destroy()
    this.doc.destroy()
  }

  /**
   * The update of the document's latest transaction, as Yjs reported it: reset before applying a
   * peer's update, it tells whether that update changed anything.
   */
  private lastTransactionUpdate: Uint8Array | null = null

  /** Queues `update` to store and `frame` to send once it is (to everyone but `except`). */
  private storeAndRelay(update: Uint8Array, frame: Uint8Array, except: Peer | null): void {
    this.outbox.store(update)
    this.enqueue(frame, except)
  }

  private enqueue(frame: Uint8Array, except: Peer | null): void {
    this.outbox.send(frame, except)
    this.scheduler.markDirty(this)
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.lastTransactionUpdate = update
    // Whatever changed the document (a peer, the server, another instance, a catch-up), the
    // cached encoding no longer is its state.
    this.encoded = null
    // Another instance's changes count towards that instance's automatic snapshots, not ours; a
    // peer's count once accepted (handle), and its refused updates and tombstones never.
    if (origin === REMOTE_ORIGIN || this.peers.has(origin as Peer)) return
    this.noteChange()
  }

  /** Counts a change towards the room's automatic snapshots. */
  private noteChange(): void {
    this.changes.changed(Date.now())
  }

  /** The guard put the live document back after a refused update: follow the restored one. */
  private readonly replaceDoc = (next: Y.Doc, previous: Y.Doc): void => {
    getMetaMap(previous).unobserve(this.onMetaChange)
    previous.off('update', this.onDocUpdate)
    this.live = next
    this.encoded = null
    // The awareness borrows only the document's client id, which the restored one shares.
    this.awareness.doc = next
    getMetaMap(next).observe(this.onMetaChange)
    next.on('update', this.onDocUpdate)
  }

  private readonly onMetaChange = (event: Y.YMapEvent<unknown>): void => {
    if (event.keysChanged.has('title')) this.titleChanged = true
  }

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    this.awarenessChanged = true
    if (!origin || typeof origin !== 'object' || !this.peers.has(origin as Peer)) return
    const peer = origin as Peer
    for (const id of change.added) peer.controlledClients.add(id)
    for (const id of change.updated) peer.controlledClients.add(id)
    for (const id of change.removed) peer.controlledClients.delete(id)
  }
}
