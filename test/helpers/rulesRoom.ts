/**
 * A workshop set up to test the server's rules through the real server and real y-websocket
 * clients: a facilitator, the participant under test (whose refusals are collected) and a
 * participant watching, plus a way to read the room as stored (a fresh observer's first sync).
 */
import * as decoding from 'lib0/decoding'
import type * as Y from 'yjs'
import { connect, createRoom, waitFor, type TestClient } from './syncClient.ts'
import type { ServerProcess } from './serverProcess.ts'
import { updateFrame } from './craftUpdate.ts'
import { hasRecord, putRecord } from './records.ts'

export const facilitatorActor = { userId: 'fiona', name: 'Fiona Facilitator', organisation: 'Swindon Borough Council' }
export const participantActor = { userId: 'pat', name: 'Pat Participant', organisation: 'DWP' }
export const witnessActor = { userId: 'wes', name: 'Wes Witness', organisation: 'Wiltshire Police' }

/** The reasons of the auth permission-denied messages a client receives. */
export function deniedReasons(client: TestClient): string[] {
  const reasons: string[] = []
  client.provider.messageHandlers[2] = (_encoder, decoder) => {
    decoding.readVarUint(decoder) // 0: permission denied
    reasons.push(decoding.readVarString(decoder))
  }
  return reasons
}

export async function deniedMetric(server: ServerProcess, reason: string): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text()
  const match = text.match(new RegExp(`^commonpot_writes_denied_total\\{reason="${reason}"\\} (\\d+)$`, 'm'))
  return match ? Number(match[1]) : NaN
}

/** Sends a hand-made update over a client's socket, as a hostile client would. */
export function sendRaw(client: TestClient, update: Uint8Array): void {
  const ws = client.provider.ws
  if (!ws) throw new Error('not connected')
  ws.send(updateFrame(update))
}

/**
 * A marker board record written by `writer` that every reader must see: proves that everything
 * `writer` sent before it was handled (the server handles a connection's messages in order).
 */
export async function settle(writer: TestClient, readers: readonly TestClient[], marker: string): Promise<void> {
  putRecord(writer.doc, `marker-${marker}`, { marker })
  for (const reader of readers) await waitFor(() => hasRecord(reader.doc, `marker-${marker}`), 5000, `marker ${marker}`)
}

export interface RulesRoom {
  roomId: string
  tokens: { facilitator: string; participant: string; observer: string }
  facilitator: TestClient
  participant: TestClient
  witness: TestClient
  denied: string[]
  /** The room as stored and served to someone arriving now. */
  fresh(): Promise<Y.Doc>
  open(token: string): TestClient
}

export async function rulesRoom(server: ServerProcess, clients: TestClient[]): Promise<RulesRoom> {
  const room = await createRoom(server)
  const open = (token: string) => {
    const client = connect(server, room.roomId, token)
    clients.push(client)
    return client
  }
  const facilitator = open(room.tokens.facilitator)
  const participant = open(room.tokens.participant)
  const witness = open(room.tokens.participant)
  await Promise.all([facilitator.firstSync, participant.firstSync, witness.firstSync])
  const denied = deniedReasons(participant)
  return {
    roomId: room.roomId,
    tokens: room.tokens,
    facilitator,
    participant,
    witness,
    denied,
    open,
    async fresh() {
      const late = open(room.tokens.observer)
      await late.firstSync
      return late.doc
    },
  }
}
