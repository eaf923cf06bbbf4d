/**
 * The layout of a workshop's Yjs document. Everything a workshop negotiates lives in one
 * Y.Doc; this module is the only place that names its top-level types, so the rest of the code
 * reaches them through these typed accessors. The layout is documented in docs/document.md.
 */
import * as Y from 'yjs'
import { YKeyValue } from 'y-utility/y-keyvalue'
import type { Role } from './roles.ts'

/** Top-level keys of the workshop document. Changing one is a data migration. */
export const DOC_KEYS = {
  meta: 'meta',
  members: 'members',
  canvas: 'canvas',
  pot: 'pot',
  protocol: 'protocol',
  barriers: 'barriers',
  actions: 'actions',
  votes: 'votes',
  settings: 'settings',
  hands: 'hands',
  ledger: 'ledger',
  receipts: 'receipts',
} as const

/** Values held in the `meta` map. */
export interface WorkshopMeta {
  title: string
  createdAt: number
}

/** One person who has joined the workshop, keyed by their device-stable user id. */
export interface Member {
  name: string
  organisation: string
  role: Role
  firstSeen: number
  lastSeen: number
  /** The id is the digest of a secret the person's browser holds (shared/userKey.ts): only it can write here. */
  keyed?: boolean
}

/** A tldraw record as stored in the canvas: only the fields every record has are known here. */
export interface CanvasRecord {
  id: string
  typeName: string
  [field: string]: unknown
}

export function getMetaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(DOC_KEYS.meta)
}

/** Contribution lines of the virtual pot, one Y.Map per line so that fields merge independently. */
export function getPotMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(DOC_KEYS.pot)
}

/** Protocol clauses, one Y.Map per clause (see shared/protocol.ts). */
export function getProtocolMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(DOC_KEYS.protocol)
}

/** Barriers ("asks"), one Y.Map per barrier (see shared/barriers.ts). */
export function getBarriersMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(DOC_KEYS.barriers)
}

/** Actions and decisions, one Y.Map per item (see shared/actions.ts). */
export function getActionsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(DOC_KEYS.actions)
}

/** Dot votes on the barriers, one Y.Map per vote (see shared/votes.ts). */
export function getVotesMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(DOC_KEYS.votes)
}

/** Facilitator settings: organisations taking part, locks, agenda, timer (see shared/workshopSettings.ts). */
export function getSettingsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(DOC_KEYS.settings)
}

/** Raised hands, userId → when and who (see shared/hands.ts). */
export function getHandsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(DOC_KEYS.hands)
}

/** The append-only record of negotiated changes (see shared/ledger.ts). */
export function getLedgerArray<T>(doc: Y.Doc): Y.Array<T> {
  return doc.getArray<T>(DOC_KEYS.ledger)
}

/** Signed sign-off receipts, written by the server alone (see shared/receipts.ts). */
export function getReceiptsArray<T>(doc: Y.Doc): Y.Array<T> {
  return doc.getArray<T>(DOC_KEYS.receipts)
}

export function getMembersMap(doc: Y.Doc): Y.Map<Member> {
  return doc.getMap<Member>(DOC_KEYS.members)
}

/** The raw array behind the canvas key-value store (what YKeyValue wraps). */
export function getCanvasArray<T extends CanvasRecord = CanvasRecord>(doc: Y.Doc): Y.Array<{ key: string; val: T }> {
  return doc.getArray<{ key: string; val: T }>(DOC_KEYS.canvas)
}

/**
 * The canvas as a key-value store of tldraw records. YKeyValue keeps one array entry per key,
 * which stays small under the frequent rewrites of a drag, unlike a Y.Map that keeps history.
 */
export function openCanvas<T extends CanvasRecord = CanvasRecord>(doc: Y.Doc): YKeyValue<T> {
  return new YKeyValue<T>(getCanvasArray<T>(doc))
}

export function readMeta(doc: Y.Doc): WorkshopMeta {
  const meta = getMetaMap(doc)
  const title = meta.get('title')
  const createdAt = meta.get('createdAt')
  return {
    title: typeof title === 'string' ? title : '',
    createdAt: typeof createdAt === 'number' ? createdAt : 0,
  }
}

/** Writes the meta a new workshop starts with. */
export function initialiseWorkshop(doc: Y.Doc, meta: WorkshopMeta): void {
  doc.transact(() => {
    const map = getMetaMap(doc)
    map.set('title', meta.title)
    map.set('createdAt', meta.createdAt)
  })
}

/** Records that a person has joined (or returned), keeping when they were first seen. */
export function recordMember(
  doc: Y.Doc,
  userId: string,
  who: Omit<Member, 'firstSeen' | 'lastSeen'>,
  now: number,
): void {
  const members = getMembersMap(doc)
  const previous = members.get(userId)
  members.set(userId, {
    ...who,
    firstSeen: previous?.firstSeen ?? now,
    lastSeen: now,
  })
}

/** The encoded state of a new workshop's document, as the server stores it at creation. */
export function encodeNewWorkshop(meta: WorkshopMeta): Uint8Array {
  const doc = new Y.Doc()
  initialiseWorkshop(doc, meta)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}
