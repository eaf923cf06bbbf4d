/**
 * One websocket connection to /sync/:roomId. It attaches its message handler before anything is
 * awaited (so the client's first sync step 1 is never lost), holds incoming frames until the room
 * is loaded, then decodes each frame inside try/catch: a bad frame closes this connection only.
 */
import type { WebSocket } from 'ws'
import { CLOSE_CODES } from '../../shared/api.ts'
import type { LinkIdentity } from '../../shared/linkIdentity.ts'
import type { Role } from '../../shared/roles.ts'
import { errorMessage, log } from '../log.ts'
import { metrics } from '../metrics.ts'
import type { Peer } from './peer.ts'
import { AtCapacityError, type RoomSource, type SyncRoom } from './roomSource.ts'
import { chunksWithout, type FramedBatch } from './framedBatch.ts'
import { ConnectionRate, countLimit, type ConnectionSlots, type RateLimits } from './limits.ts'
import { decodeMessage, MESSAGE_AWARENESS } from './protocol.ts'
import { InboundGate } from './inboundGate.ts'

/**
 * Frames a paused connection may still deliver. Pausing stops further reads, so only frames in the
 * chunk already read arrive (a 64 KiB chunk holds at most ~32k of the smallest frames); a sender
 * past this is not a client waiting on TCP.
 */
const MAX_PENDING_FRAMES = 65_536

let nextPeerId = 1

export interface ConnectionOptions {
  maxBufferedBytes: number
  rate: RateLimits
  maxAwarenessBytes: number
  /** A socket that sends nothing for this long after opening is closed. */
  handshakeTimeoutMs: number
  /** Open connections by address and room; a connection holds a slot until it closes. */
  slots: ConnectionSlots
  /** The client's address, for the per-address connection cap. */
  ip: string
}

/** Admission decided by the HTTP upgrade handler before the socket opened. */
export type Admission =
  | {
      ok: true
      role: Role
      /** The key id of the admitted token. */
      kid: string | null
      /** Who the admitted token says the holder is (its role again, its organisation binding, name, link id). */
      link: LinkIdentity
      /** The organisation key id of a bound token; null for a general link. */
      orgKid: string | null
      /** The user id the connection proved it holds the secret of (`?user=`); null when it sent none. */
      provenUserId?: string | null
      /**
       * Asked again when the connection joins its loaded room: the role may have been revoked
       * while the room loaded. Answers the close reason when the token no longer holds, else null.
       */
      recheck?: () => string | null
    }
  | { ok: false; code: number; reason: string }

type RawData = Buffer | ArrayBuffer | Buffer[]

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return data
}

interface RawSocket {
  write(chunk: Uint8Array): boolean
  cork(): void
  uncork(): void
}

/**
 * The TCP socket under a ws WebSocket, when writing complete frames to it directly is safe: ws
 * (without permessage-deflate, which we turn off) writes each of its own frames synchronously and
 * queues nothing, so frames written here can never land inside one of its frames. If ws has
 * anything queued, or its internals differ, answer null and let ws send.
 */
function rawSocketOf(ws: WebSocket): RawSocket | null {
  const internals = ws as unknown as { _socket?: RawSocket; _sender?: { _queue?: unknown[] } }
  const queue = internals._sender?._queue
  if (!internals._socket || !Array.isArray(queue) || queue.length > 0) return null
  return internals._socket
}

class SocketPeer implements Peer {
  readonly id = nextPeerId++
  readonly controlledClients = new Set<number>()

  constructor(
    readonly role: Role,
    readonly kid: string | null,
    readonly link: LinkIdentity,
    readonly orgKid: string | null,
    readonly provenUserId: string | null,
    private readonly ws: WebSocket,
    private readonly roomId: string,
    private readonly options: ConnectionOptions,
  ) {}

  private writable(): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false
    if (this.ws.bufferedAmount > this.options.maxBufferedBytes) {
      // A consumer this far behind would make the server buffer without limit; drop it and let
      // it reconnect and catch up through a fresh sync.
      metrics.slowConsumersClosed++
      countLimit('send_buffer')
      log('warn', 'sync.slow_consumer', { room: this.roomId, peer: this.id, buffered: this.ws.bufferedAmount })
      this.ws.terminate()
      return false
    }
    return true
  }

  send(frame: Uint8Array, written?: () => void): void {
    if (!this.writable()) return
    metrics.framesOut++
    this.ws.send(
      frame,
      { binary: true },
      // ws calls back with null (not undefined) once the frame is written.
      written && ((error) => !error && written()),
    )
  }

  sendBatch(batch: FramedBatch, skip: readonly number[] | undefined): void {
    if (!this.writable()) return
    const socket = rawSocketOf(this.ws)
    if (socket) {
      const chunks = chunksWithout(batch, skip)
      // One write (writev) of pre-framed bytes shared with every other peer of the room.
      if (chunks.length === 1) socket.write(chunks[0]!)
      else {
        socket.cork()
        for (const chunk of chunks) socket.write(chunk)
        socket.uncork()
      }
      return
    }
    batch.messages.forEach((message, i) => {
      if (!skip?.includes(i)) this.ws.send(message, { binary: true })
    })
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason)
  }
}

/** Serves one accepted websocket. */
export function serveConnection(
  ws: WebSocket,
  roomId: string,
  admission: Admission,
  rooms: RoomSource,
  options: ConnectionOptions,
): void {
  metrics.connectionsOpened++
  if (!admission.ok) {
    metrics.authFailures++
    log('warn', 'sync.refused', { room: roomId, code: admission.code, reason: admission.reason })
    ws.close(admission.code, admission.reason)
    return
  }
  const slot = options.slots.take(options.ip, roomId)
  if (!slot.ok) {
    countLimit(slot.limit)
    log('warn', 'sync.limit', { room: roomId, limit: slot.limit })
    ws.close(
      CLOSE_CODES.tryAgainLater,
      slot.limit === 'connections_per_ip' ? 'too many connections from this address' : 'this workshop is full',
    )
    return
  }
  const peer = new SocketPeer(
    admission.role,
    admission.kid,
    admission.link,
    admission.orgKid,
    admission.provenUserId ?? null,
    ws,
    roomId,
    options,
  )
  let room: SyncRoom | undefined
  let queued: Uint8Array[] | null = []
  let closed = false
  let heardFrom = false
  // Admission already checked the token; a socket that then says nothing holds a slot for no one.
  const silence = setTimeout(() => {
    if (heardFrom || closed) return
    countLimit('first_message_timeout')
    fail(CLOSE_CODES.tryAgainLater, 'no message received in time', 'first_message_timeout', 'sync.limit')
  }, options.handshakeTimeoutMs)
  silence.unref()

  const fail = (code: number, reason: string, detail: string, event = 'sync.bad_frame'): void => {
    if (closed) return
    // Nothing more from this socket is applied, even frames already on their way.
    closed = true
    log('warn', event, { room: roomId, peer: peer.id, code, detail })
    peer.close(code, reason)
  }

  const process = (frame: Uint8Array): void => {
    if (!room || closed) return
    try {
      const message = decodeMessage(frame)
      if (message.kind === 'awareness' && frame.byteLength > options.maxAwarenessBytes) {
        countLimit('awareness_size')
        log('warn', 'sync.limit', { room: roomId, peer: peer.id, limit: 'awareness_size', bytes: frame.byteLength })
        return
      }
      room.handle(peer, message, frame)
    } catch (error) {
      metrics.badFrames++
      fail(CLOSE_CODES.badRequest, 'malformed message', errorMessage(error))
    }
  }

  // Charged on arrival, before the room is even loaded; past the budget the socket is paused rather
  // than closed (inboundGate.ts), so a fast client slows down and loses nothing.
  const gate = new InboundGate({
    rate: new ConnectionRate(options.rate),
    maxPendingFrames: MAX_PENDING_FRAMES,
    maxPendingBytes: options.rate.byteBurst,
    supersedable: (frame) => frame[0] === MESSAGE_AWARENESS,
    deliver: (frame) => {
      if (queued) queued.push(frame)
      else process(frame)
    },
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    throttled: (verdict) => {
      countLimit(verdict)
      log('info', 'sync.limit', { room: roomId, peer: peer.id, limit: verdict, action: 'paused' })
    },
    overflow: () => {
      countLimit('inbound_overflow')
      fail(CLOSE_CODES.tryAgainLater, 'sending too fast', 'inbound_overflow', 'sync.limit')
    },
  })

  ws.on('message', (data: RawData, isBinary: boolean) => {
    const frame = toBytes(data)
    metrics.framesIn++
    metrics.bytesIn += frame.byteLength
    if (closed) return
    if (!heardFrom) {
      heardFrom = true
      clearTimeout(silence)
    }
    if (!isBinary) {
      metrics.badFrames++
      fail(CLOSE_CODES.badRequest, 'text frames are not part of the protocol', 'text frame')
      return
    }
    gate.offer(frame)
  })

  ws.on('error', (error: Error & { code?: string }) => {
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      metrics.oversizedFrames++
      countLimit('frame_size')
      log('warn', 'sync.frame_too_large', { room: roomId, peer: peer.id })
    } else {
      log('warn', 'sync.socket_error', { room: roomId, peer: peer.id, error: error.message })
    }
  })

  ws.on('close', () => {
    closed = true
    gate.stop()
    clearTimeout(silence)
    slot.release()
    metrics.connectionsClosed++
    room?.leave(peer)
    log('info', 'sync.closed', { room: roomId, peer: peer.id })
  })

  const onLoadFailed = (error: unknown) => {
    if (error instanceof AtCapacityError) {
      peer.close(CLOSE_CODES.tryAgainLater, 'the server is busy; retrying')
      return
    }
    log('error', 'room.load_failed', { room: roomId, error: errorMessage(error) })
    peer.close(1011, 'could not load the workshop')
  }
  const attach = (loaded: SyncRoom | undefined): void => {
    if (closed) return
    if (!loaded) {
      peer.close(CLOSE_CODES.noSuchRoom, 'no such workshop')
      return
    }
    // The room may have been unloaded between loading and this callback: load it afresh.
    if (loaded.closed) {
      rooms.acquire(roomId).then(attach, onLoadFailed)
      return
    }
    const refusal = admission.recheck?.() ?? null
    if (refusal !== null) {
      metrics.authFailures++
      log('warn', 'sync.refused', { room: roomId, code: CLOSE_CODES.unauthorized, reason: 'revoked while loading' })
      closed = true
      peer.close(CLOSE_CODES.unauthorized, refusal)
      return
    }
    room = loaded
    room.join(peer)
    log('info', 'sync.joined', { room: roomId, peer: peer.id, role: peer.role })
    const backlog = queued ?? []
    queued = null
    for (const frame of backlog) process(frame)
  }
  rooms.acquire(roomId).then(attach, onLoadFailed)
}
