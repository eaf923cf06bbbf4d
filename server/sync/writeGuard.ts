/**
 * One room's write enforcement: every update from a peer (facilitators included) is tried on the
 * candidate replica (candidate.ts), what it did is judged by the shared rules
 * (shared/rules/sectionRules.ts), and only an accepted update reaches the live document. The guard
 * also keeps who may write under which Yjs client id, and which user id each connection speaks for.
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
import { LOCKABLE_SECTIONS, type LockableSection } from '../../shared/permissions.ts'
import { ledgerOfChanges } from '../../shared/rules/ledgerOfChanges.ts'
import { judgeChanges } from '../../shared/rules/sectionRules.ts'
import { refuse, type Change, type Refusal, type Writer } from '../../shared/rules/types.ts'
import { memberValueSchema } from '../../shared/rules/values.ts'
import type { LedgerEntry } from '../../shared/ledger.ts'
import { getMembersMap, getSettingsMap } from '../../shared/schema.ts'
import { readLocks } from '../../shared/workshopSettings.ts'
import type { Peer } from '../rooms/peer.ts'
import { Candidate } from './candidate.ts'
import { inputErrorMessage, log } from '../log.ts'
import { TokenBucket } from './limits.ts'
import { tombstoneUpdate } from './tombstone.ts'

export const UNRESOLVABLE_REASON = 'This change could not be matched to a part of the workshop, so it was not saved. Reload the page.'
const FORGED_REASON = 'This change was made under another person’s editing session, so it was not saved. Reload the page.'

/** Refused updates a connection may cause: a sustained rate and a burst (RATE_REFUSALS_*). */
export interface RefusalBudget {
  perSecond: number
  burst: number
}

export const DEFAULT_REFUSAL_BUDGET: RefusalBudget = { perSecond: 1, burst: 30 }

export type Verdict =
  | { ok: true; changes: readonly Change[]; ledger: LedgerEntry[]; /** The update changes something (else it is dropped). */ changed: boolean }
  | { ok: false; refusal: Refusal }

interface Owner {
  /** The connection writing under the client id; null once it has gone (so that it can be collected). */
  peer: Peer | null
  userId: string | null
}

export class WriteGuard {
  private readonly candidate: Candidate
  private readonly owners = new Map<number, Owner>()
  private readonly users = new Map<Peer, string>()
  /** User ids some connection proved in this room since it loaded (keyed members are also read from the document). */
  private readonly provenIds = new Set<string>()
  private readonly connected = new Set<Peer>()
  /** Refusals each connection may still cause: each one costs a rebuild of the candidate. */
  private readonly refusalBudgets = new Map<Peer, TokenBucket>()
  private locked: ReadonlySet<LockableSection> | null = null
  private readonly settings: Y.Map<unknown>
  /** True while the live document takes an update the candidate already holds. */
  private applyingJudged = false

  constructor(
    private readonly live: Y.Doc,
    private readonly refusalBudget: RefusalBudget = DEFAULT_REFUSAL_BUDGET,
  ) {
    this.candidate = new Candidate(live)
    this.settings = getSettingsMap(live)
    this.settings.observeDeep(this.invalidateLocks)
    live.on('update', this.onLiveUpdate)
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
   * Tries `update` from `peer` and judges it. On acceptance the caller applies the same bytes to
   * the live document through `applyAccepted`. Throws when the update cannot be applied at all.
   */
  judge(peer: Peer, update: Uint8Array, now: number): Verdict {
    const trial = this.candidate.try(update)
    const ownClients = new Set<number>()
    let pendingUser: string | null = null
    let forged = false
    for (const client of trial.clocks.keys()) {
      const owner = this.owners.get(client)
      if (client === this.live.clientID) forged = true
      else if (!owner || owner.peer === peer) ownClients.add(client)
      else if (owner.peer !== null && this.connected.has(owner.peer)) forged = true
      else if (owner.userId === null) ownClients.add(client) // a plain client reconnecting: judged by what it does
      else if ((this.users.get(peer) ?? pendingUser) === owner.userId) ownClients.add(client)
      else if (!this.users.has(peer) && pendingUser === null && this.eligible(peer, owner.userId)) {
        pendingUser = owner.userId
        ownClients.add(client)
      } else forged = true
    }
    const refused = (refusal: Refusal): Verdict => {
      this.candidate.invalidate()
      return { ok: false, refusal }
    }
    if (forged) return refused(refuse('forged_client', FORGED_REASON))
    if (trial.pending || trial.unplaceable) return refused(refuse('unresolvable', UNRESOLVABLE_REASON))
    // Whatever happens from here, the candidate holds this update: if judging it throws (a bug),
    // the candidate is rebuilt and the update refused, never left half-judged in the replica.
    try {
      const writer: Writer = { link: peer.link, userId: this.users.get(peer) ?? pendingUser, proven: this.isProven(peer) }
      const refusal = judgeChanges(
        {
          before: this.live,
          after: this.candidate.after,
          writer,
          locked: this.lockedSections(),
          updateBytes: update.byteLength,
          claimUser: (userId) => {
            if (writer.userId !== null) return writer.userId === userId
            if (!this.eligible(peer, userId)) return false
            writer.userId = userId
            return true
          },
        },
        trial.changes,
      )
      if (refusal) return refused(refusal)
      if (writer.userId !== null) this.users.set(peer, writer.userId)
      const userId = writer.userId
      for (const client of ownClients) this.owners.set(client, { peer, userId })
      const ledger = ledgerOfChanges(this.live, this.candidate.after, trial.changes, this.author(peer, userId), now)
      return { ok: true, changes: trial.changes, ledger, changed: trial.changed }
    } catch (error) {
      log('error', 'sync.rules_failed', { error: inputErrorMessage(error) })
      return refused(refuse('unresolvable', UNRESOLVABLE_REASON))
    }
  }

  /**
   * Applies an accepted update to the live document (the candidate holds it already, and both
   * hold the same state, so Yjs does the same with it). Should Yjs still fail on it, the live
   * document may hold part of it: the caller stores and relays what it took, and the candidate is
   * rebuilt from it.
   */
  applyAccepted(update: Uint8Array, origin: unknown): void {
    this.applyingJudged = true
    try {
      Y.applyUpdate(this.live, update, origin)
    } catch (error) {
      this.candidate.invalidate()
      throw error
    } finally {
      this.applyingJudged = false
    }
  }

  /**
   * Charges one refusal to `peer`; false once it has had more than an honest page ever causes
   * (by default a burst of 30, then one a second): each refusal costs a rebuild of the candidate replica, so
   * a stream of them from a hand-made client would take the room's CPU.
   */
  chargeRefusal(peer: Peer): boolean {
    let budget = this.refusalBudgets.get(peer)
    if (!budget) this.refusalBudgets.set(peer, (budget = new TokenBucket(this.refusalBudget.perSecond, this.refusalBudget.burst)))
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
      if (client === this.live.clientID) return false
      const owner = this.owners.get(client)
      return !owner || owner.peer === peer || (owner.peer === null && owner.userId !== null && owner.userId === userId)
    }
    const tombstone = tombstoneUpdate(update, own)
    if (tombstone) for (const { id } of Y.decodeUpdate(tombstone).structs) if (!this.owners.has(id.client)) this.owners.set(id.client, { peer, userId })
    return tombstone
  }

  lockedSections(): ReadonlySet<LockableSection> {
    if (this.locked === null) {
      try {
        this.locked = new Set(readLocks(this.live).keys())
      } catch {
        // Settings this server cannot read: fail closed until the facilitator repairs them.
        this.locked = new Set(LOCKABLE_SECTIONS)
      }
    }
    return this.locked
  }

  destroy(): void {
    this.settings.unobserveDeep(this.invalidateLocks)
    this.live.off('update', this.onLiveUpdate)
    this.candidate.destroy()
  }

  /** Whether `peer` may speak for `userId` (see the module comment). */
  private eligible(peer: Peer, userId: string): boolean {
    const proven = peer.provenUserId ?? null
    if (proven !== null) return proven === userId
    if (userId.length === 0 || userId.length > 64 || this.provenIds.has(userId)) return false
    for (const [other, id] of this.users) if (id === userId && other !== peer && this.connected.has(other)) return false
    const member = memberValueSchema.safeParse(getMembersMap(this.live).get(userId))
    if (!member.success) return true
    if (member.data.keyed) return false
    if (peer.link.role === 'facilitator') return true
    if (member.data.role !== peer.link.role) return false
    return peer.link.organisation === null || member.data.organisation === peer.link.organisation
  }

  private author(peer: Peer, userId: string | null) {
    const member = userId === null ? null : memberValueSchema.safeParse(getMembersMap(this.live).get(userId))
    const known = member?.success ? member.data : null
    return {
      by: {
        userId: userId ?? '',
        name: (known?.name ?? peer.link.name ?? '').slice(0, 80),
        organisation: (peer.link.organisation ?? known?.organisation ?? '').slice(0, 120),
      },
      link: { role: peer.link.role, organisation: peer.link.organisation, name: peer.link.name, linkId: peer.link.linkId },
    }
  }

  private readonly onLiveUpdate = (update: Uint8Array): void => {
    if (!this.applyingJudged) this.candidate.mirror(update)
  }

  private readonly invalidateLocks = (): void => {
    this.locked = null
  }
}
