/**
 * Binds a tldraw store to the workshop's Y.Doc and awareness.
 *
 * - Document records (shapes, pages, bindings, assets, users, the document) live in the `canvas`
 *   YKeyValue. Local edits go to Yjs in one transaction per store change batch; remote Yjs changes
 *   come back through `store.mergeRemoteChanges`, one record at a time through validation, so a
 *   record some peer wrote badly is dropped on its own instead of stalling the board.
 * - Presence (cursors, selections, names) never enters the document: each client publishes its
 *   tldraw presence record in the awareness field `presence`, and the others' become
 *   `instance_presence` records in the local store.
 */
import { useEffect, useMemo, useState } from 'react'
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { YKeyValue } from 'y-utility/y-keyvalue'
import {
  InstancePresenceRecordType,
  UserRecordType,
  atom,
  computed,
  createPresenceStateDerivation,
  createTLStore,
  createUserId,
  defaultBindingUtils,
  defaultShapeUtils,
  react,
  type Atom,
  type SerializedSchema,
  type Signal,
  type TLInstancePresence,
  type TLRecord,
  type TLStore,
  type TLStoreWithStatus,
  type TLUser,
} from '@tldraw/tldraw'
import { openCanvas, type CanvasRecord } from '../../shared/schema.ts'
import type { PresenceUser } from '../../shared/presence.ts'
import { bindStoreDoc } from './cardDoc.ts'
import { canvasSchemaKey, readCanvasSchema, writeCanvasSchema } from './canvasSchema.ts'
import { ActionCardShapeUtil } from './ActionCardShape.tsx'
import { BarrierCardShapeUtil } from './BarrierCardShape.tsx'
import type { BoardPlacement } from './placement.ts'
import { PotLineCardShapeUtil } from './PotLineCardShape.tsx'

/**
 * Every shape the board knows: tldraw's own, and pot lines, barriers and actions placed as live
 * cards. Each card type brings its props validator (records that fail it are skipped, see
 * readRecord) and an empty migration sequence that tldraw adds to the schema, so a canvas stored
 * before a card type existed needs no migration.
 */
export const boardShapeUtils = [...defaultShapeUtils, PotLineCardShapeUtil, BarrierCardShapeUtil, ActionCardShapeUtil]

/** Awareness field holding this client's tldraw presence record. */
export const PRESENCE_FIELD = 'presence'

/** Cursor updates are sent at most this often; a drag would otherwise flood every peer. */
const PRESENCE_INTERVAL_MS = 33

export interface YjsTldrawStoreOptions {
  doc: Y.Doc
  awareness: Awareness
  /** true while the websocket is open */
  online: boolean
  /** true once the provider reported its first sync; before that the board shows a loading state */
  synced: boolean
  /** observers: the editor is read-only and nothing local is written to the document */
  readOnly: boolean
  user: PresenceUser
  /** A pot line, barrier or action to place on the board as a card once the editor is ready (see Board). */
  place?: BoardPlacement | null
  /** Called once the card for `place` has been placed (or placing was refused). */
  onPlaced?: () => void
}

type CanvasChange =
  | { action: 'add'; newValue: CanvasRecord }
  | { action: 'update'; oldValue: CanvasRecord; newValue: CanvasRecord }
  | { action: 'delete'; oldValue: CanvasRecord }

interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}

/** What the board needs from a record type: the validator and whether it belongs in the document. */
interface RecordTypeInfo {
  readonly scope: 'document' | 'session' | 'presence'
  validate(record: unknown): TLRecord
}

interface BoardSession {
  store: TLStore
  status: Atom<'online' | 'offline'>
  mode: Atom<'readonly' | 'readwrite'>
  user: Atom<PresenceUser>
  currentUser: Signal<TLUser>
}

// YKeyValue cannot stop observing its array, so one instance per document is shared by every
// mount of the board instead of leaking one observer per mount.
const canvases = new WeakMap<Y.Doc, YKeyValue<CanvasRecord>>()

function canvasOf(doc: Y.Doc): YKeyValue<CanvasRecord> {
  let canvas = canvases.get(doc)
  if (!canvas) {
    canvas = openCanvas(doc)
    canvases.set(doc, canvas)
  }
  return canvas
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function recordTypeOf(store: TLStore, typeName: unknown): RecordTypeInfo | undefined {
  if (typeof typeName !== 'string') return undefined
  const types: Partial<Record<string, RecordTypeInfo>> = store.schema.types
  return Object.hasOwn(types, typeName) ? types[typeName] : undefined
}

function isDocumentRecord(store: TLStore, record: TLRecord): boolean {
  return recordTypeOf(store, record.typeName)?.scope === 'document'
}

function toCanvasRecord(record: TLRecord): CanvasRecord {
  return { ...record }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function sameUser(a: PresenceUser, b: PresenceUser): boolean {
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.colour === b.colour &&
    a.organisation === b.organisation &&
    a.role === b.role
  )
}

function createSession(init: YjsTldrawStoreOptions): BoardSession {
  const status = atom<'online' | 'offline'>('collaboration status', init.online ? 'online' : 'offline')
  const mode = atom<'readonly' | 'readwrite'>('collaboration mode', init.readOnly ? 'readonly' : 'readwrite')
  const user = atom<PresenceUser>('board user', init.user)
  const currentUser = computed<TLUser>('board current user', () => {
    const u = user.get()
    return UserRecordType.create({ id: createUserId(u.id), name: u.name, color: u.colour })
  })
  const store = createTLStore({
    shapeUtils: boardShapeUtils,
    bindingUtils: defaultBindingUtils,
    collaboration: { status, mode },
    // The editor keeps a `user` record for whoever this signal names; it is what attribution
    // labels resolve against, so it must be the app's user rather than tldraw's random local id.
    users: { currentUser },
  })
  bindStoreDoc(store, init.doc)
  return { store, status, mode, user, currentUser }
}

/** How records written under a stored schema become records of ours. */
type MigrationPlan =
  | { kind: 'none' }
  | { kind: 'migrate'; from: SerializedSchema }
  | { kind: 'incompatible'; reason: string }

/**
 * Keeps the store and the canvas in step from the first sync on. Returns the function that stops it.
 */
function startCanvasSync(session: BoardSession, doc: Y.Doc): () => void {
  const { store } = session
  const canvas = canvasOf(doc)
  // Marks our own writes, so the observer below does not feed them back into the store.
  const origin = { board: store.id }
  const ourSchema = store.schema.serialize()
  const ourSchemaKey = canvasSchemaKey(ourSchema)
  const canEdit = () => session.mode.get() === 'readwrite'

  // Asked on every remote change; readCanvasSchema returns the same object until the value changes.
  let lastPlan: { stored: SerializedSchema | null; plan: MigrationPlan } | null = null
  const planFor = (stored: SerializedSchema | null): MigrationPlan => {
    if (lastPlan && lastPlan.stored === stored) return lastPlan.plan
    let plan: MigrationPlan = { kind: 'none' }
    if (stored && canvasSchemaKey(stored) !== ourSchemaKey) {
      const migrations = store.schema.getMigrationsSince(stored)
      if (!migrations.ok) plan = { kind: 'incompatible', reason: String(migrations.error) }
      else if (migrations.value.length > 0) plan = { kind: 'migrate', from: stored }
    }
    lastPlan = { stored, plan }
    return plan
  }

  // Counted apart from other skips: a record that could not be migrated must keep the old schema
  // beside it, whereas a record that is simply invalid is just as invalid under the new one.
  let migrationFailures = 0

  /** A record as tldraw would accept it, or null (with a warning) if it must be skipped. */
  const readRecord = (key: string, value: unknown, plan: MigrationPlan): TLRecord | null => {
    const skip = (why: string) => {
      console.warn(`[board] skipped canvas record ${JSON.stringify(key)}: ${why}`)
      return null
    }
    if (!isObject(value)) return skip('not an object')
    if (value.id !== key) return skip(`its id ${JSON.stringify(value.id)} does not match its key`)
    const type = recordTypeOf(store, value.typeName)
    if (!type) return skip(`unknown record type ${JSON.stringify(value.typeName)}`)
    if (type.scope !== 'document') return skip(`${type.scope} records do not belong in the document`)
    if (plan.kind === 'incompatible') {
      migrationFailures++
      return skip(`written by an incompatible tldraw (${plan.reason}); reload to update`)
    }
    let candidate: unknown = value
    if (plan.kind === 'migrate') {
      let failure: string | null = null
      try {
        // Validated straight after, so the cast only hands the raw value to the migrator.
        const migrated = store.schema.migratePersistedRecord(value as unknown as TLRecord, plan.from, 'up')
        if (migrated.type === 'error') failure = String(migrated.reason)
        else candidate = migrated.value
      } catch (error) {
        failure = errorMessage(error)
      }
      if (failure !== null) {
        migrationFailures++
        return skip(`migration failed (${failure})`)
      }
    }
    try {
      return type.validate(candidate)
    } catch (error) {
      return skip(errorMessage(error))
    }
  }

  const mergeRemote = (fn: () => void): unknown => {
    try {
      store.mergeRemoteChanges(fn)
      return null
    } catch (error) {
      return error ?? new Error('unknown error')
    }
  }

  /** Applies remote records; if tldraw rejects the batch, retries each so one bad record stays alone. */
  const applyRemote = (puts: TLRecord[], removes: TLRecord['id'][]) => {
    if (!puts.length && !removes.length) return
    const batchError = mergeRemote(() => {
      if (removes.length) store.remove(removes)
      if (puts.length) store.put(puts)
    })
    if (!batchError) return
    for (const id of removes) {
      const error = mergeRemote(() => store.remove([id]))
      if (error) console.warn(`[board] could not remove ${id}: ${errorMessage(error)}`)
    }
    for (const record of puts) {
      const error = mergeRemote(() => store.put([record]))
      if (error) console.warn(`[board] skipped canvas record ${JSON.stringify(record.id)}: ${errorMessage(error)}`)
    }
  }

  const removableId = (key: string): TLRecord['id'] | null => {
    const existing = store.get(key as TLRecord['id'])
    return existing && isDocumentRecord(store, existing) ? existing.id : null
  }

  const onCanvasChange = (changes: Map<string, CanvasChange>, transaction: Y.Transaction) => {
    if (transaction.origin === origin) return
    try {
      const plan = planFor(readCanvasSchema(doc))
      const puts: TLRecord[] = []
      const removes: TLRecord['id'][] = []
      changes.forEach((change, key) => {
        if (change.action === 'delete') {
          const id = removableId(key)
          if (id) removes.push(id)
        } else {
          const record = readRecord(key, change.newValue, plan)
          if (record) puts.push(record)
        }
      })
      applyRemote(puts, removes)
    } catch (error) {
      // An exception here would surface inside Yjs' transaction cleanup, far from its cause.
      console.error('[board] failed to apply remote canvas changes', error)
    }
  }

  /** Puts into the canvas the document records only this store has (see load). */
  const writeMissing = () => {
    const missing = store.allRecords().filter((record) => isDocumentRecord(store, record) && !canvas.has(record.id))
    const stored = readCanvasSchema(doc)
    if (!missing.length && stored) return
    doc.transact(() => {
      for (const record of missing) canvas.set(record.id, toCanvasRecord(record))
      if (!stored) writeCanvasSchema(doc, ourSchema)
    }, origin)
  }

  const load = () => {
    const stored = readCanvasSchema(doc)
    const plan = planFor(stored)
    const records: TLRecord[] = []
    const failuresBefore = migrationFailures
    for (const [key, entry] of canvas.map) {
      const record = readRecord(key, entry.val, plan)
      if (record) records.push(record)
    }
    const allMigrated = migrationFailures === failuresBefore
    // The canvas is the truth: what the store holds beyond it was deleted while we were not listening.
    const stale = store
      .allRecords()
      .filter((record) => isDocumentRecord(store, record) && !canvas.has(record.id))
      .map((record) => record.id)
    // mergeRemoteChanges ends with tldraw's integrity check, which adds the document record and a
    // first page when the canvas lacks them: those are the records an empty canvas is seeded with.
    if (records.length || stale.length) applyRemote(records, stale)
    else mergeRemote(() => {})
    if (!canEdit()) return
    writeMissing()
    if (plan.kind === 'migrate' && allMigrated) {
      // Everyone reads the canvas with the schema stored beside it, so rewrite it all at once.
      doc.transact(() => {
        for (const record of records) canvas.set(record.id, toCanvasRecord(record))
        writeCanvasSchema(doc, ourSchema)
      }, origin)
    }
  }

  canvas.on('change', onCanvasChange)
  load()

  // Attached after load: store.listen starts from a clean history, so loading is not echoed back.
  const stopListening = store.listen(
    ({ changes }) => {
      if (!canEdit()) return
      doc.transact(() => {
        for (const record of Object.values(changes.added)) canvas.set(record.id, toCanvasRecord(record))
        for (const [, record] of Object.values(changes.updated)) canvas.set(record.id, toCanvasRecord(record))
        for (const record of Object.values(changes.removed)) canvas.delete(record.id)
      }, origin)
    },
    { source: 'user', scope: 'document' },
  )

  // Someone promoted from observer has records only this store holds (its page, its user record).
  let wasEditable = canEdit()
  const stopModeReaction = react('board write access', () => {
    const editable = session.mode.get() === 'readwrite'
    if (editable && !wasEditable) writeMissing()
    wasEditable = editable
  })

  return () => {
    stopModeReaction()
    stopListening()
    canvas.off('change', onCanvasChange)
  }
}

/** Publishes our presence and mirrors everyone else's. Returns the function that stops it. */
function startPresenceSync(session: BoardSession, awareness: Awareness): () => void {
  const { store } = session
  const selfId = awareness.clientID
  const presenceIdOf = (clientId: number) => InstancePresenceRecordType.createId(String(clientId))
  const presenceType = recordTypeOf(store, 'instance_presence')
  const warned = new Set<number>()

  const $presence = createPresenceStateDerivation(session.currentUser, { instanceId: presenceIdOf(selfId) })(store)
  let lastSent = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  const send = () => {
    timer = null
    lastSent = Date.now()
    awareness.setLocalStateField(PRESENCE_FIELD, $presence.get())
  }
  const stopPublishing = react('publish presence', () => {
    $presence.get()
    if (timer !== null) return
    // A timer rather than requestAnimationFrame: background tabs must still say where they are.
    timer = setTimeout(send, Math.max(0, lastSent + PRESENCE_INTERVAL_MS - Date.now()))
  })

  const presenceOf = (clientId: number, value: unknown): TLInstancePresence | null => {
    if (!isObject(value) || !presenceType) return null
    try {
      // The id comes from the awareness client, so a peer cannot overwrite someone else's cursor.
      const record = presenceType.validate({ ...value, typeName: 'instance_presence', id: presenceIdOf(clientId) })
      return record.typeName === 'instance_presence' ? record : null
    } catch (error) {
      if (!warned.has(clientId)) {
        warned.add(clientId)
        console.warn(`[board] ignored presence of client ${clientId}: ${errorMessage(error)}`)
      }
      return null
    }
  }

  const apply = (clientIds: Iterable<number>, removed: Iterable<number>) => {
    const states = awareness.getStates()
    const puts: TLInstancePresence[] = []
    const removes: TLInstancePresence['id'][] = []
    for (const clientId of clientIds) {
      if (clientId === selfId) continue
      const state: unknown = states.get(clientId)
      const presence = presenceOf(clientId, isObject(state) ? state[PRESENCE_FIELD] : null)
      if (presence) puts.push(presence)
      else if (store.has(presenceIdOf(clientId))) removes.push(presenceIdOf(clientId))
    }
    for (const clientId of removed) {
      warned.delete(clientId)
      if (store.has(presenceIdOf(clientId))) removes.push(presenceIdOf(clientId))
    }
    if (!puts.length && !removes.length) return
    try {
      store.mergeRemoteChanges(() => {
        if (removes.length) store.remove(removes)
        if (puts.length) store.put(puts)
      })
    } catch (error) {
      console.warn('[board] could not apply presence', error)
    }
  }

  const onAwarenessChange = ({ added, updated, removed }: AwarenessChange) => apply([...added, ...updated], removed)
  awareness.on('change', onAwarenessChange)
  apply(awareness.getStates().keys(), [])

  return () => {
    awareness.off('change', onAwarenessChange)
    stopPublishing()
    if (timer !== null) clearTimeout(timer)
    awareness.setLocalStateField(PRESENCE_FIELD, null)
    const peers = store.query
      .records('instance_presence')
      .get()
      .map((record) => record.id)
    if (peers.length) store.mergeRemoteChanges(() => store.remove(peers))
  }
}

/**
 * A tldraw store kept in step with `doc` and `awareness`. It reports `loading` until the provider's
 * first sync has been applied, then `synced-remote` with the connection status.
 */
export function useYjsTldrawStore(options: YjsTldrawStoreOptions): TLStoreWithStatus {
  const { doc, awareness, online, synced, readOnly, user } = options
  // A new document is a new workshop: nothing of the previous store may carry over. The other
  // options only seed the signals here; the effects below keep them current.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new document is a new workshop and a new session; the other options only seed it and the effects below keep them current
  const session = useMemo(() => createSession(options), [doc])
  const [loadedStore, setLoadedStore] = useState<TLStore | null>(null)

  useEffect(() => {
    session.status.set(online ? 'online' : 'offline')
  }, [session, online])

  useEffect(() => {
    session.mode.set(readOnly ? 'readonly' : 'readwrite')
  }, [session, readOnly])

  useEffect(() => {
    if (!sameUser(session.user.get(), user)) session.user.set(user)
  }, [session, user])

  useEffect(() => {
    if (!synced) return
    const stop = startCanvasSync(session, doc)
    setLoadedStore(session.store)
    return () => {
      stop()
      setLoadedStore(null)
    }
  }, [session, doc, synced])

  const loaded = loadedStore === session.store
  useEffect(() => {
    if (!loaded) return
    return startPresenceSync(session, awareness)
  }, [session, awareness, loaded])

  if (!loaded) return { status: 'loading' }
  return { status: 'synced-remote', store: session.store, connectionStatus: online ? 'online' : 'offline' }
}
