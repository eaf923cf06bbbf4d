/**
 * One room's write enforcement: every update from a peer (facilitators included) is applied to the
 * live document, what it did there is read from Yjs's own integration (updateEffects.ts) and judged
 * by the shared rules (shared/rules/sectionRules.ts). A refused update never reaches anyone: the
 * room stores and relays only accepted ones, and the live document is put back to what it was before
 * it (shadow.ts), so the live document always equals a fresh load of the store. The guard also keeps
 * who may write under which Yjs client id, and which user id each connection speaks for.
 *
 * Client ids. Yjs trusts a struct's client id and clock: an update may carry structs under anyone's
 * id, and the first struct at a clock wins everywhere. So a client id with new clocks belongs to the
 * connection that first wrote under it (or, once that connection is gone, to the same person), and
 * another connection's structs under it are refused; the server's own id is nobody's. Without this
 * a participant could take the clocks the facilitator is about to use, and the facilitator's next
 * edit would be ignored as already known.
 *
 * User ids. A connection speaks for one user id. Our browser proves it: it sends a secret on the
 * sync URL whose digest is its user id (shared/userKey.ts), and such an id is the connection's
 * alone; its member record says `keyed`, so that no connection without the secret can ever take it,
 * in this process or after a restart. A connection that proves nothing (a plain y-websocket client)
 * is bound to the first user id it writes a member record, hand, dot or attribution for, and only
 * to one that is not keyed, not held by another connection now, and whose member record (if any)
 * has its role and, for a link bound to an organisation, that organisation.
 */
import * as Y from 'yjs'
import type { LockableSection } from '../../shared/permissions.ts'
import { lockableSections } from '../../shared/sections/registry.ts'
import { LEDGERED_ROOTS, ledgerOfChanges } from '../../shared/rules/ledgerOfChanges.ts'
import { judgeChanges } from '../../shared/rules/sectionRules.ts'
import { refuse, type Change, type Refusal, type Writer } from '../../shared/rules/types.ts'
import { memberValueSchema } from '../../shared/rules/values.ts'
import type { LedgerEntry } from '../../shared/ledger.ts'
import { getMembersMap, getSettingsMap } from '../../shared/schema.ts'
import { readLocks } from '../../shared/workshopSettings.ts'
import type { Peer } from './peer.ts'
import { Shadow } from './shadow.ts'
import { applyAndRead, type Effects } from './updateEffects.ts'
import { inputErrorMessage, log } from '../log.ts'
import { TokenBucket } from './limits.ts'
import { tombstoneUpdate } from './tombstone.ts'

export const UNRESOLVABLE_REASON =
  'This change could not be matched to a part of the workshop, so it was not saved. Reload the page.'
const FORGED_REASON =
  'This change was made under another person’s editing session, so it was not saved. Reload the page.'

/** Refused updates a connection may cause: a sustained rate and a burst (RATE_REFUSALS_*). */
export interface RefusalBudget {
  perSecond: number
  burst: number
}

export const DEFAULT_REFUSAL_BUDGET: RefusalBudget = { perSecond: 1, burst: 30 }

export type Verdict = { ok: true; changes: readonly Change[]; ledger: LedgerEntry[] } | { ok: false; refusal: Refusal }

interface Owner {
  /** The connection writing under the client id; null once it has gone (so that it can be collected). */
  peer: Peer | null
  userId: string | null
}

export class WriteGuard {
  private live: Y.Doc
  /**
   * The server's own client id in this room, fixed at load: Yjs gives a document that receives
   * structs under its own id a new one, so the live document's id cannot tell who the server is.
   */
  private readonly serverClient: number
  private readonly shadow: Shadow
  private readonly owners = new Map<number, Owner>()
  private readonly users = new Map<Peer, string>()
  /** User ids some connection proved in this room since it loaded (keyed members are also read from the document). */
  private readonly provenIds = new Set<string>()
  private readonly connected = new Set<Peer>()
  /** Refusals each connection may still cause: each one costs putting the live document back. */
  private readonly refusalBudgets = new Map<Peer, TokenBucket>()
  private locked: ReadonlySet<LockableSection> | null = null
  private settings: Y.Map<unknown>

  /**
   * `replaced` is told when a refused update made the guard put the live document back: from then
   * on the room's document is `next` (the one it held is dropped).
   */
  constructor(
    live: Y.Doc,
    private readonly replaced: (next: Y.Doc, previous: Y.Doc) => void,
    private readonly refusalBudget: RefusalBudget = DEFAULT_REFUSAL_BUDGET,
  ) {
    this.live = live
    this.serverClient = live.clientID
    this.shadow = new Shadow(live)
    this.settings = getSettingsMap(live)
    this.settings.observeDeep(this.invalidateLocks)
  }

  join(peer: Peer, provenUserId: string | null): void {
    this.connected.add(peer)
    if (provenUserId !== null) {
      this.users.set(peer, provenUserId)
      this.provenIds.add(provenUserId)
    }
  }

  /** Whether `peer` proved the user id it speaks for (members it writes may then be `keyed`). */
  isProven(peer: Peer): boolean {
    return (peer.provenUserId ?? null) !== null
  }

  leave(peer: Peer): void {
    this.connected.delete(peer)
    this.refusalBudgets.delete(peer)
    this.users.delete(peer)
    // Client ids stay recorded with their last owner's user id: a person's editing session
    // outlives one connection (a reload, a dropped network), and nobody else may take its clocks.
    for (const owner of this.owners.values()) if (owner.peer === peer) owner.peer = null
  }

  userOf(peer: Peer): string | null {
    return this.users.get(peer) ?? null
  }

  /**
   * Applies `update` from `peer` to the live document (with `peer` as the transaction's origin) and
   * judges what it did. Refused, the live document is put back as it was (see `replaced`) and
   * nothing of the update may be stored or relayed. Throws when Yjs cannot apply the update, after
   * putting the live document back.
   */
  receive(peer: Peer, update: Uint8Array, now: number): Verdict {
    const live = this.live
    const locked = this.lockedSections()
    // Parts waiting in the live document for others (relayed from another instance ahead of what
    // they need) are kept should it be put back: they are not this update's.
    const waiting = { structs: live.store.pendingStructs?.update ?? null, ds: live.store.pendingDs }
    this.shadow.begin()
    let effects: Effects
    try {
      effects = applyAndRead(live, update, peer)
    } catch (error) {
      this.putBack(waiting)
      throw error
    }
    const refused = (refusal: Refusal): Verdict => {
      this.putBack(waiting)
      return { ok: false, refusal }
    }
    // The document as it was, built only when a rule or the ledger reads it (a board drag does not).
    let beforeDoc: Y.Doc | null = null
    const before = (): Y.Doc => (beforeDoc ??= this.shadow.before())
    try {
      const ownClients = new Set<number>()
      let pendingUser: string | null = null
      let forged = false
      for (const client of effects.clocks.keys()) {
        const owner = this.owners.get(client)
        if (client === this.serverClient) forged = true
        else if (!owner || owner.peer === peer) ownClients.add(client)
        else if (owner.peer !== null && this.connected.has(owner.peer)) forged = true
        else if (owner.userId === null)
          ownClients.add(client) // a plain client reconnecting: judged by what it does
        else if ((this.users.get(peer) ?? pendingUser) === owner.userId) ownClients.add(client)
        else if (!this.users.has(peer) && pendingUser === null && this.eligible(peer, owner.userId, before)) {
          pendingUser = owner.userId
          ownClients.add(client)
        } else forged = true
      }
      if (forged) return refused(refuse('forged_client', FORGED_REASON))
      if (effects.pending || effects.unplaceable) return refused(refuse('unresolvable', UNRESOLVABLE_REASON))
      const writer: Writer = {
        link: peer.link,
        userId: this.users.get(peer) ?? pendingUser,
        proven: this.isProven(peer),
      }
      const refusal = judgeChanges(
        {
          get before() {
            return before()
          },
          after: live,
          writer,
          locked,
          updateBytes: update.byteLength,
          claimUser: (userId) => {
            if (writer.userId !== null) return writer.userId === userId
            if (!this.eligible(peer, userId, before)) return false
            writer.userId = userId
            return true
          },
        },
        effects.changes,
      )
      if (refusal) return refused(refusal)
      const userId = writer.userId
      const ledger = effects.changes.some((change) => LEDGERED_ROOTS.has(change.root))
        ? ledgerOfChanges(before(), live, effects.changes, this.author(peer, userId, before()), now)
        : []
      if (userId !== null) this.users.set(peer, userId)
      for (const client of ownClients) this.owners.set(client, { peer, userId })
      this.shadow.settle()
      return { ok: true, changes: effects.changes, ledger }
    } catch (error) {
      // A rule that throws is a bug: the update is refused, never left half-judged in the room.
      log('error', 'sync.rules_failed', { error: inputErrorMessage(error) })
      return refused(refuse('unresolvable', UNRESOLVABLE_REASON))
    }
  }

  /**
   * Charges one refusal to `peer`; false once it has had more than an honest page ever causes
   * (by default a burst of 30, then one a second): each refusal costs putting the live document
   * back, so a stream of them from a hand-made client would take the room's CPU.
   */
  chargeRefusal(peer: Peer): boolean {
    let budget = this.refusalBudgets.get(peer)
    if (!budget)
      this.refusalBudgets.set(peer, (budget = new TokenBucket(this.refusalBudget.perSecond, this.refusalBudget.burst)))
    return budget.take(1)
  }

  /**
   * The tombstone of a refused update from `peer`: the clocks it wrote under its own client ids
   * only (never another's, nor the server's), which from then on are the sender's.
   */
  tombstone(peer: Peer, update: Uint8Array): Uint8Array | null {
    const userId = this.users.get(peer) ?? null
    // Never clocks another connection has written under, even one that has gone: a tombstone
    // would take clocks its owner is about to use.
    const own = (client: number): boolean => {
      if (client === this.serverClient) return false
      const owner = this.owners.get(client)
      return !owner || owner.peer === peer || (owner.peer === null && owner.userId !== null && owner.userId === userId)
    }
    const tombstone = tombstoneUpdate(update, own)
    if (tombstone)
      for (const { id } of Y.decodeUpdate(tombstone).structs)
        if (!this.owners.has(id.client)) this.owners.set(id.client, { peer, userId })
    return tombstone
  }

  lockedSections(): ReadonlySet<LockableSection> {
    if (this.locked === null) {
      try {
        this.locked = new Set(readLocks(this.live).keys())
      } catch {
        // Settings this server cannot read: fail closed until the facilitator repairs them.
        this.locked = new Set(lockableSections().map((section) => section.key))
      }
    }
    return this.locked
  }

  destroy(): void {
    this.settings.unobserveDeep(this.invalidateLocks)
    this.shadow.destroy()
  }

  /** Puts the live document back as it was before the update being judged. */
  private putBack(waiting: { structs: Uint8Array | null; ds: Uint8Array | null }): void {
    const previous = this.live
    const restored = this.shadow.takeOver()
    this.settings.unobserveDeep(this.invalidateLocks)
    this.live = restored
    this.settings = getSettingsMap(restored)
    this.settings.observeDeep(this.invalidateLocks)
    this.locked = null
    this.replaced(restored, previous)
    if (waiting.structs) Y.applyUpdateV2(restored, waiting.structs)
    if (waiting.ds) Y.applyUpdateV2(restored, waiting.ds)
  }

  /** Whether `peer` may speak for `userId` (see the module comment), by the members as they were before the update. */
  private eligible(peer: Peer, userId: string, before: () => Y.Doc): boolean {
    const proven = peer.provenUserId ?? null
    if (proven !== null) return proven === userId
    if (userId.length === 0 || userId.length > 64 || this.provenIds.has(userId)) return false
    for (const [other, id] of this.users) if (id === userId && other !== peer && this.connected.has(other)) return false
    const member = memberValueSchema.safeParse(getMembersMap(before()).get(userId))
    if (!member.success) return true
    if (member.data.keyed) return false
    if (peer.link.role === 'facilitator') return true
    if (member.data.role !== peer.link.role) return false
    return peer.link.organisation === null || member.data.organisation === peer.link.organisation
  }

  private author(peer: Peer, userId: string | null, before: Y.Doc) {
    const member = userId === null ? null : memberValueSchema.safeParse(getMembersMap(before).get(userId))
    const known = member?.success ? member.data : null
    return {
      by: {
        userId: userId ?? '',
        name: (known?.name ?? peer.link.name ?? '').slice(0, 80),
        organisation: (peer.link.organisation ?? known?.organisation ?? '').slice(0, 120),
      },
      link: {
        role: peer.link.role,
        organisation: peer.link.organisation,
        name: peer.link.name,
        linkId: peer.link.linkId,
      },
    }
  }

  private readonly invalidateLocks = (): void => {
    this.locked = null
  }
}
