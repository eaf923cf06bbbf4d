/**
 * The Redis bus (REDIS_URL): pub/sub with one channel per room plus one for key rotations. Two
 * connections, as Redis requires: a subscriber (which can do nothing else) and a publisher.
 * Redis delivers a message to every subscriber including its sender, so each message carries
 * the sender's instance id and an instance drops its own.
 *
 * Pub/sub is fire-and-forget: a message published while an instance is disconnected never reaches
 * it. ioredis reconnects and resubscribes by itself; on reconnect the server's onReconnect
 * handlers catch loaded rooms up from the store (every relayed update is stored first) and drop
 * cached key ids, so an outage delays updates but loses none. Failures are logged and counted,
 * never thrown into the event loop.
 */
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { errorMessage, log } from '../log.ts'
import { busMetrics } from '../metrics.ts'
import type { Bus, KeyRotation, RoomFramesHandler } from './bus.ts'
import { decodeBusMessage, encodeFrames, encodeKeyRotation, INSTANCE_ID_BYTES, isFrom } from './codec.ts'

const CHANNEL_PREFIX = 'commonpot:room:'
const KEYS_CHANNEL = 'commonpot:keys'
/** How long a room load waits for its subscription before failing (the client then retries). */
const SUBSCRIBE_TIMEOUT_MS = 5000

export class RedisBus implements Bus {
  readonly shared = true
  readonly instanceId = randomBytes(INSTANCE_ID_BYTES)
  private readonly subscriber: Redis
  private readonly publisher: Redis
  private readonly rooms = new Map<string, RoomFramesHandler>()
  private readonly keyHandlers: ((rotation: KeyRotation) => void)[] = []
  private readonly reconnectHandlers: (() => void)[] = []
  /** Set once the subscriber was ready once: a later 'ready' is a reconnect. */
  private wasReady = false
  private closed = false

  private constructor(url: string) {
    // Named, so that an operator (or a test) can tell the instances' connections apart in CLIENT LIST.
    const name = `commonpot-${this.instanceId.toString('hex')}`
    this.subscriber = new Redis(url, { lazyConnect: true, connectionName: `${name}-sub` })
    this.publisher = new Redis(url, { lazyConnect: true, connectionName: `${name}-pub` })
    for (const [name, connection] of [
      ['subscriber', this.subscriber],
      ['publisher', this.publisher],
    ] as const) {
      connection.on('error', (error: unknown) => {
        busMetrics.errors++
        log('warn', 'bus.error', { connection: name, error: errorMessage(error) })
      })
    }
    this.subscriber.on('ready', () => {
      if (!this.wasReady) {
        this.wasReady = true
        return
      }
      busMetrics.reconnects++
      log('info', 'bus.reconnected', { rooms: this.rooms.size })
      for (const handler of this.reconnectHandlers) handler()
    })
    this.subscriber.on('messageBuffer', this.onMessage)
  }

  /** Connects both connections and subscribes to key rotations; rejects when Redis is unreachable. */
  static async open(url: string): Promise<RedisBus> {
    const bus = new RedisBus(url)
    try {
      await Promise.all([bus.subscriber.connect(), bus.publisher.connect()])
      await bus.subscriber.subscribe(KEYS_CHANNEL)
    } catch (error) {
      bus.subscriber.disconnect()
      bus.publisher.disconnect()
      throw new Error(`REDIS_URL: cannot reach Redis (${errorMessage(error)})`)
    }
    log('info', 'bus.connected', { instance: bus.instanceId.toString('hex') })
    return bus
  }

  async subscribeRoom(roomId: string, handler: RoomFramesHandler): Promise<void> {
    this.rooms.set(roomId, handler)
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        this.subscriber.subscribe(CHANNEL_PREFIX + roomId),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('bus subscription timed out')), SUBSCRIBE_TIMEOUT_MS)
        }),
      ])
    } catch (error) {
      busMetrics.errors++
      if (this.rooms.get(roomId) === handler) this.unsubscribeRoom(roomId)
      throw error
    } finally {
      clearTimeout(timer)
    }
  }

  unsubscribeRoom(roomId: string): void {
    this.rooms.delete(roomId)
    if (this.closed) return
    this.subscriber.unsubscribe(CHANNEL_PREFIX + roomId).catch(this.countError('unsubscribe'))
  }

  publishRoom(roomId: string, frames: readonly Uint8Array[]): void {
    if (frames.length === 0) return
    this.publish(CHANNEL_PREFIX + roomId, encodeFrames(this.instanceId, frames))
  }

  publishKeyRotation(rotation: KeyRotation): void {
    this.publish(KEYS_CHANNEL, encodeKeyRotation(this.instanceId, rotation))
  }

  onKeyRotation(handler: (rotation: KeyRotation) => void): void {
    this.keyHandlers.push(handler)
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler)
  }

  async close(): Promise<void> {
    this.closed = true
    this.rooms.clear()
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()])
  }

  private publish(channel: string, message: Uint8Array): void {
    busMetrics.published++
    const buffer = Buffer.from(message.buffer, message.byteOffset, message.byteLength)
    this.publisher.publish(channel, buffer).catch(this.countError('publish'))
  }

  private countError(operation: string): (error: unknown) => void {
    return (error) => {
      busMetrics.errors++
      log('warn', 'bus.failed', { operation, error: errorMessage(error) })
    }
  }

  private readonly onMessage = (channelBuffer: Buffer, message: Buffer): void => {
    if (isFrom(message, this.instanceId)) {
      busMetrics.dropped_own++
      return
    }
    const channel = channelBuffer.toString()
    let decoded: ReturnType<typeof decodeBusMessage>
    try {
      decoded = decodeBusMessage(message)
    } catch (error) {
      busMetrics.malformed++
      log('warn', 'bus.malformed', { channel, error: errorMessage(error) })
      return
    }
    busMetrics.received++
    try {
      if (decoded.kind === 'key-rotation') {
        if (channel === KEYS_CHANNEL) for (const handler of this.keyHandlers) handler(decoded.rotation)
        return
      }
      const handler = channel.startsWith(CHANNEL_PREFIX)
        ? this.rooms.get(channel.slice(CHANNEL_PREFIX.length))
        : undefined
      handler?.(decoded.frames)
    } catch (error) {
      // A bad message from another instance must not take this one down.
      busMetrics.malformed++
      log('error', 'bus.handler_failed', { channel, error: errorMessage(error) })
    }
  }
}
