/**
 * Loads rooms on demand, unloads them after their last peer leaves plus a grace period, and runs
 * the flush: once per event-loop turn, the updates of every dirty room are appended to the store
 * in one transaction, then each room's outbox goes out. Flushes run one at a time, and so do
 * compactions, which happen between flushes so that the live document is exactly what is stored.
 */
import * as Y from 'yjs'
import { errorMessage, log } from '../log.ts'
import { metrics } from '../metrics.ts'
import type { Store } from '../storage/store.ts'
import { Room, type FlushScheduler } from './room.ts'

export interface RegistryOptions {
  graceMs: number
  compactRows: number
  compactBytes: number
}

/** Close code used when storage fails: the client reconnects and resends what it has. */
const STORAGE_FAILED = 1011

export class RoomRegistry implements FlushScheduler {
  private readonly rooms = new Map<string, Room>()
  private readonly loading = new Map<string, Promise<Room | undefined>>()
  private readonly unloadTimers = new Map<Room, NodeJS.Timeout>()
  private readonly dirty = new Set<Room>()
  private flushScheduled = false
  private flushChain: Promise<void> = Promise.resolve()

  constructor(private readonly store: Store, private readonly options: RegistryOptions) {}

  get loadedRooms(): number {
    return this.rooms.size
  }

  get connectedPeers(): number {
    let n = 0
    for (const room of this.rooms.values()) n += room.peers.size
    return n
  }

  /** The loaded room, loading it from the store first; undefined when no such room exists. */
  acquire(roomId: string): Promise<Room | undefined> {
    const loaded = this.rooms.get(roomId)
    if (loaded) return Promise.resolve(loaded)
    let pending = this.loading.get(roomId)
    if (!pending) {
      pending = this.load(roomId).finally(() => this.loading.delete(roomId))
      this.loading.set(roomId, pending)
    }
    return pending
  }

  private async load(roomId: string): Promise<Room | undefined> {
    const record = await this.store.getRoom(roomId)
    if (!record) return undefined
    const started = performance.now()
    const stored = await this.store.loadUpdates(roomId)
    const room = new Room(roomId, stored, this)
    this.rooms.set(roomId, room)
    metrics.roomsLoaded++
    log('info', 'room.loaded', { room: roomId, rows: stored.updates.length, bytes: stored.bytes, ms: Math.round(performance.now() - started) })
    // A room nobody joins after all (the connection went away while loading) still unloads.
    this.roomEmptied(room)
    return room
  }

  markDirty(room: Room): void {
    this.dirty.add(room)
    if (!this.flushScheduled) {
      this.flushScheduled = true
      setImmediate(this.runFlush)
    }
  }

  roomEmptied(room: Room): void {
    if (room.peers.size > 0 || this.unloadTimers.has(room)) return
    const timer = setTimeout(() => {
      this.unloadTimers.delete(room)
      if (room.peers.size === 0) void this.unload(room)
    }, this.options.graceMs)
    timer.unref()
    this.unloadTimers.set(room, timer)
  }

  roomJoined(room: Room): void {
    this.cancelUnload(room)
  }

  private cancelUnload(room: Room): void {
    const timer = this.unloadTimers.get(room)
    if (timer) {
      clearTimeout(timer)
      this.unloadTimers.delete(room)
    }
  }

  private readonly runFlush = (): void => {
    this.flushScheduled = false
    this.flushChain = this.flushChain.then(() => this.flush())
  }

  private async flush(): Promise<void> {
    if (this.dirty.size === 0) return
    const rooms = [...this.dirty]
    this.dirty.clear()
    const batches = rooms.map((room) => {
      room.flushing = true
      return { room, ...room.takeBatch() }
    })
    const entries = batches.flatMap(({ room, updates }) => updates.map((update) => ({ roomId: room.id, update })))
    try {
      await this.store.appendUpdates(entries)
    } catch (error) {
      metrics.flushFailures++
      log('error', 'storage.append_failed', { error: errorMessage(error), updates: entries.length })
      // The rooms' documents now hold updates the store does not: drop them from memory and
      // let clients reconnect, so that they resend what the store is missing.
      for (const { room } of batches) this.evict(room, STORAGE_FAILED, 'storage unavailable')
      return
    }
    metrics.flushes++
    metrics.updatesAppended += entries.length
    for (const { room, updates, frames } of batches) {
      room.flushing = false
      room.storedRows += updates.length
      for (const update of updates) room.storedBytes += update.byteLength
      if (!room.closed) room.deliver(frames)
    }
    for (const { room } of batches) {
      if (room.closed || room.pendingUpdates.length > 0) continue
      if (room.storedRows >= this.options.compactRows || room.storedBytes >= this.options.compactBytes) {
        await this.compact(room)
      }
    }
  }

  /** Must run inside the flush chain, with no pending updates in the room. */
  private async compact(room: Room): Promise<void> {
    const started = performance.now()
    const state = Y.encodeStateAsUpdate(room.doc)
    const rowsBefore = room.storedRows
    try {
      await this.store.compact(room.id, state)
    } catch (error) {
      log('error', 'storage.compact_failed', { room: room.id, error: errorMessage(error) })
      return
    }
    metrics.compactions++
    room.storedRows = 1
    room.storedBytes = state.byteLength
    log('info', 'room.compacted', { room: room.id, rowsBefore, bytes: state.byteLength, ms: Math.round(performance.now() - started) })
  }

  private async unload(room: Room): Promise<void> {
    // Wait for anything of this room still being stored, then drop it from memory.
    await (this.flushChain = this.flushChain.then(async () => {
      if (room.peers.size > 0 || room.closed || this.rooms.get(room.id) !== room) return
      if (room.isDirty) {
        // Its flush is already scheduled; try again after another grace period.
        this.roomEmptied(room)
        return
      }
      if (room.storedRows > 1) await this.compact(room)
      this.rooms.delete(room.id)
      room.destroy()
      metrics.roomsUnloaded++
      log('info', 'room.unloaded', { room: room.id })
    }))
  }

  private evict(room: Room, code: number, reason: string): void {
    if (this.rooms.get(room.id) === room) this.rooms.delete(room.id)
    this.cancelUnload(room)
    this.dirty.delete(room)
    for (const peer of [...room.peers]) peer.close(code, reason)
    room.destroy()
  }

  /** Stores everything pending and waits for it (used on shutdown). */
  async flushAll(): Promise<void> {
    this.runFlush()
    await this.flushChain
  }

  /** Closes every connection with `code` after a final flush. */
  async closeAll(code: number, reason: string): Promise<void> {
    await this.flushAll()
    for (const room of this.rooms.values()) {
      for (const peer of [...room.peers]) peer.close(code, reason)
    }
    for (const timer of this.unloadTimers.values()) clearTimeout(timer)
    this.unloadTimers.clear()
  }
}
