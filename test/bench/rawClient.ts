/**
 * A light y-websocket protocol client for load generation: it speaks the handshake (step 1 with an
 * empty state vector, answers the server's step 1 with an empty step 2) and sends real Yjs updates
 * made by its own small Y.Doc, but does not apply what it receives. Each edit writes a unique
 * marker string, which stays readable in any encoding of the update a server relays; latency is the
 * time from the sender's table of send times to the marker's arrival (all clients live in this
 * process, so they share one clock). One Node process can drive hundreds of these, where it could
 * drive only tens of full WebsocketProviders that apply every update to their own document.
 *
 * With `documentName` it speaks Hocuspocus's framing of the same protocol instead: every message
 * starts with the document's name, and the connection authenticates (an empty token) first.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { openCanvas } from '../../shared/schema.ts'

export interface LatencyBook {
  /** marker → [send time ms, sender id] */
  sent: Map<string, [number, number]>
  samples: number[]
  received: number
}

export function newLatencyBook(): LatencyBook {
  return { sent: new Map(), samples: [], received: 0 }
}

let nextId = 1
const MARKER = /@@(\d+:\d+)@@/g

export class RawClient {
  readonly id = nextId++
  private readonly ws: WebSocket
  private readonly doc = new Y.Doc()
  private readonly canvas = openCanvas(this.doc)
  private seq = 0
  readonly synced: Promise<void>
  readonly opened: Promise<void>
  private resolveSynced!: () => void

  constructor(
    url: string,
    private readonly book: LatencyBook,
    private readonly documentName: string | null = null,
  ) {
    this.ws = new WebSocket(url, { perMessageDeflate: false })
    this.ws.binaryType = 'nodebuffer'
    this.synced = new Promise((resolve) => (this.resolveSynced = resolve))
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve())
      this.ws.once('error', reject)
    })
    this.ws.on('open', () => {
      if (this.documentName !== null) this.ws.send(this.authFrame())
      this.ws.send(this.frame(0, 0, Y.encodeStateVector(new Y.Doc())))
    })
    this.ws.on('message', (data: Buffer) => this.onMessage(data))
    this.ws.on('error', () => undefined)
  }

  private onMessage(data: Buffer): void {
    const decoder = decoding.createDecoder(data)
    if (this.documentName !== null) decoding.readVarString(decoder)
    const type = decoding.readVarUint(decoder)
    // Hocuspocus answers a client's step 1 with its own step 1 as a "sync reply" (4).
    if (type !== 0 && !(type === HOCUSPOCUS_SYNC_REPLY && this.documentName !== null)) return
    const step = decoding.readVarUint(decoder)
    if (step === 0) {
      this.ws.send(this.frame(0, 1, Uint8Array.from([0, 0])))
    } else if (step === 1) {
      this.resolveSynced()
    } else if (step === 2) {
      const text = data.toString('latin1', decoder.pos)
      const now = performance.now()
      MARKER.lastIndex = 0
      for (let match = MARKER.exec(text); match; match = MARKER.exec(text)) {
        const entry = this.book.sent.get(match[1]!)
        if (entry && entry[1] !== this.id) {
          this.book.received++
          this.book.samples.push(now - entry[0])
        }
      }
    }
  }

  /** Makes one small edit and sends it; returns false if the socket is not open. */
  edit(): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false
    let update: Uint8Array | undefined
    const capture = (u: Uint8Array) => (update = u)
    this.doc.once('update', capture)
    const marker = `${this.id}:${++this.seq}`
    // A board record moved, as a drag writes it: the canvas is a part any participant may write.
    const id = `shape:c${this.id}`
    this.canvas.set(id, { id, typeName: 'shape', x: this.seq, marker: `@@${marker}@@` })
    if (!update) return false
    this.book.sent.set(marker, [performance.now(), this.id])
    this.ws.send(this.frame(0, 2, update))
    return true
  }

  private frame(type: number, sub: number, payload: Uint8Array): Uint8Array {
    return frame(this.documentName, type, sub, payload)
  }

  /** Hocuspocus holds every message of a document back until the connection authenticated for it. */
  private authFrame(): Uint8Array {
    const encoder = encoding.createEncoder()
    encoding.writeVarString(encoder, this.documentName ?? '')
    encoding.writeVarUint(encoder, HOCUSPOCUS_AUTH)
    encoding.writeVarUint(encoder, HOCUSPOCUS_TOKEN)
    encoding.writeVarString(encoder, '')
    return encoding.toUint8Array(encoder)
  }

  close(): void {
    this.ws.terminate()
  }
}

const HOCUSPOCUS_SYNC_REPLY = 4
const HOCUSPOCUS_AUTH = 2
const HOCUSPOCUS_TOKEN = 0

function frame(documentName: string | null, type: number, sub: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  if (documentName !== null) encoding.writeVarString(encoder, documentName)
  encoding.writeVarUint(encoder, type)
  encoding.writeVarUint(encoder, sub)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)]!
}
