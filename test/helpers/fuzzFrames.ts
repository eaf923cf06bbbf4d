/**
 * fast-check arbitraries for sync frames: the frames an unmodified y-websocket client sends (built
 * with y-protocols and lib0 exactly as it builds them, from a document with random edits), those
 * frames mutated (truncated, bits flipped, bytes inserted or overwritten, lengths made huge), and
 * hostile frames with a valid prefix and a payload that is not what it claims. Shared by the
 * decoder's unit fuzzing and the fuzzing of the real server.
 */
import fc, { type JsonValue } from 'fast-check'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

// The y-websocket client's message types (y-websocket/src/y-websocket.js).
const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1
const MESSAGE_AUTH = 2
const MESSAGE_QUERY_AWARENESS = 3

/**
 * Root types the fuzzing documents write to. None is part of the workshop schema, so a fuzz frame
 * that happens to stay valid adds content there and never touches what people wrote.
 */
export const FUZZ_ROOTS = { text: 'fuzz-text', map: 'fuzz-map', list: 'fuzz-list' } as const

type Edit =
  | { op: 'insertText'; at: number; text: string }
  | { op: 'deleteText'; at: number; length: number }
  | { op: 'setKey'; key: string; value: JsonValue }
  | { op: 'deleteKey'; key: string }
  | { op: 'pushItems'; items: JsonValue[] }

const keyArb = fc.constantFrom('a', 'b', 'title', 'pot', '')
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    op: fc.constant('insertText' as const),
    at: fc.nat(64),
    text: fc.string({ maxLength: 24, unit: 'grapheme' }),
  }),
  fc.record({ op: fc.constant('deleteText' as const), at: fc.nat(64), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('setKey' as const), key: keyArb, value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ op: fc.constant('deleteKey' as const), key: keyArb }),
  fc.record({
    op: fc.constant('pushItems' as const),
    items: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  }),
)

function applyEdit(doc: Y.Doc, edit: Edit): void {
  const text = doc.getText(FUZZ_ROOTS.text)
  const map = doc.getMap(FUZZ_ROOTS.map)
  switch (edit.op) {
    case 'insertText':
      text.insert(Math.min(edit.at, text.length), edit.text)
      return
    case 'deleteText': {
      const at = Math.min(edit.at, text.length)
      text.delete(at, Math.min(edit.length, text.length - at))
      return
    }
    case 'setKey':
      map.set(edit.key, edit.value)
      return
    case 'deleteKey':
      map.delete(edit.key)
      return
    case 'pushItems':
      doc.getArray(FUZZ_ROOTS.list).push(edit.items)
  }
}

/** What a client's document produced: its full state, its last incremental update and its state vector. */
interface ClientState {
  doc: Y.Doc
  lastUpdate: Uint8Array
}

/** A fresh document with its own client id and some edits, one transaction per edit. */
const clientStateArb: fc.Arbitrary<ClientState> = fc
  .record({
    clientID: fc.integer({ min: 1, max: 0x7fffffff }),
    edits: fc.array(editArb, { minLength: 1, maxLength: 6 }),
  })
  .map(({ clientID, edits }) => {
    const doc = new Y.Doc()
    doc.clientID = clientID
    let lastUpdate: Uint8Array = new Uint8Array([0, 0])
    doc.on('update', (update: Uint8Array) => {
      lastUpdate = update
    })
    for (const edit of edits) applyEdit(doc, edit)
    return { doc, lastUpdate }
  })

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** The kinds of frame a y-websocket client sends, each built the way the client builds it. */
export type ClientFrameKind = 'sync-step1' | 'sync-step2' | 'update' | 'awareness' | 'query-awareness' | 'auth'

function clientFrame(
  kind: ClientFrameKind,
  { doc, lastUpdate }: ClientState,
  presence: { [key: string]: JsonValue },
): Uint8Array {
  switch (kind) {
    case 'sync-step1':
      return frame((e) => (encoding.writeVarUint(e, MESSAGE_SYNC), syncProtocol.writeSyncStep1(e, doc)))
    case 'sync-step2':
      // The answer to the server's step 1 (an empty state vector: the server knows nothing of this doc).
      return frame(
        (e) => (encoding.writeVarUint(e, MESSAGE_SYNC), syncProtocol.writeSyncStep2(e, doc, new Uint8Array([0]))),
      )
    case 'update':
      return frame((e) => (encoding.writeVarUint(e, MESSAGE_SYNC), syncProtocol.writeUpdate(e, lastUpdate)))
    case 'awareness': {
      const awareness = new awarenessProtocol.Awareness(doc)
      awareness.setLocalState(presence)
      const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])
      awareness.destroy()
      return frame((e) => (encoding.writeVarUint(e, MESSAGE_AWARENESS), encoding.writeVarUint8Array(e, update)))
    }
    case 'query-awareness':
      return frame((e) => encoding.writeVarUint(e, MESSAGE_QUERY_AWARENESS))
    case 'auth':
      return frame(
        (e) => (
          encoding.writeVarUint(e, MESSAGE_AUTH), encoding.writeVarUint(e, 0), encoding.writeVarString(e, 'hello')
        ),
      )
  }
}

export const clientFrameKinds: readonly ClientFrameKind[] = [
  'sync-step1',
  'sync-step2',
  'update',
  'awareness',
  'query-awareness',
  'auth',
]

/** A frame exactly as a y-websocket client sends it, with its kind. */
export const validFrameArb: fc.Arbitrary<{ kind: ClientFrameKind; bytes: Uint8Array }> = fc
  .record({
    kind: fc.constantFrom(...clientFrameKinds),
    state: clientStateArb,
    presence: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  })
  .map(({ kind, state, presence }) => {
    const bytes = clientFrame(kind, state, presence)
    state.doc.destroy()
    return { kind, bytes }
  })

/** One change to a frame's bytes; positions are fractions so that they fit any length. */
export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flipBit'; at: number; bit: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'overwrite'; at: number; byte: number }
  | { kind: 'hugeVarint'; at: number; value: number }

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({ kind: fc.constant('flipBit' as const), at: fraction, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fraction,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('overwrite' as const), at: fraction, byte: fc.integer({ min: 0, max: 255 }) }),
  // A length or count claiming far more than the frame holds, written over the bytes at `at`.
  fc.record({
    kind: fc.constant('hugeVarint' as const),
    at: fraction,
    value: fc.constantFrom(2 ** 31, 2 ** 32 - 1, 2 ** 53 - 1, 2 ** 28, 65_536),
  }),
)

function varint(value: number): Uint8Array {
  return frame((e) => encoding.writeVarUint(e, value))
}

export function mutate(bytes: Uint8Array, mutation: Mutation): Uint8Array {
  const at = Math.floor(mutation.at * (bytes.length + (mutation.kind === 'insert' ? 1 : 0)))
  switch (mutation.kind) {
    case 'truncate':
      return bytes.slice(0, at)
    case 'flipBit': {
      if (bytes.length === 0) return bytes
      const copy = bytes.slice()
      copy[at] = copy[at]! ^ (1 << mutation.bit)
      return copy
    }
    case 'insert':
      return Uint8Array.from([...bytes.subarray(0, at), ...mutation.bytes, ...bytes.subarray(at)])
    case 'overwrite': {
      if (bytes.length === 0) return bytes
      const copy = bytes.slice()
      copy[at] = mutation.byte
      return copy
    }
    case 'hugeVarint': {
      const huge = varint(mutation.value)
      return Uint8Array.from([
        ...bytes.subarray(0, at),
        ...huge,
        ...bytes.subarray(Math.min(bytes.length, at + huge.length)),
      ])
    }
  }
}

/** A frame's message header and, for sync and awareness messages, its length-prefixed payload. */
function splitFrame(bytes: Uint8Array): { header: Uint8Array; payload: Uint8Array } | null {
  const decoder = decoding.createDecoder(bytes)
  const type = decoding.readVarUint(decoder)
  if (type === MESSAGE_SYNC) decoding.readVarUint(decoder)
  else if (type !== MESSAGE_AWARENESS) return null
  const header = bytes.slice(0, decoder.pos)
  return { header, payload: decoding.readVarUint8Array(decoder).slice() }
}

/**
 * A client's frame with one to three mutations applied in turn: to the whole frame (which mostly
 * breaks its framing), or to the payload only, framed again with its new length, so that the
 * frame decodes and the damaged update or awareness reaches Yjs.
 */
export const mutatedFrameArb: fc.Arbitrary<Uint8Array> = fc
  .record({
    frame: validFrameArb,
    mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
    reframe: fc.boolean(),
  })
  .map(({ frame: { bytes }, mutations, reframe }) => {
    const parts = reframe ? splitFrame(bytes) : null
    if (!parts) return mutations.reduce(mutate, bytes)
    const payload = mutations.reduce(mutate, parts.payload)
    return frame((e) => (encoding.writeUint8Array(e, parts.header), encoding.writeVarUint8Array(e, payload)))
  })

/**
 * A valid message header (sync step 1/2/update, awareness) followed by a payload that lies: a
 * huge declared length, random bytes declared as an update, or a correct length over garbage.
 */
export const hostileFrameArb: fc.Arbitrary<Uint8Array> = fc
  .record({
    header: fc.constantFrom([MESSAGE_SYNC, 0], [MESSAGE_SYNC, 1], [MESSAGE_SYNC, 2], [MESSAGE_AWARENESS]),
    payload: fc.oneof(
      // Declared length far beyond the frame, then a little data.
      fc
        .record({
          claim: fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 53 - 1, 1_000_000),
          tail: fc.uint8Array({ maxLength: 32 }),
        })
        .map(({ claim, tail }) => Uint8Array.from([...varint(claim), ...tail])),
      // A correctly framed payload of random bytes: the frame decodes, its content cannot be applied.
      fc.uint8Array({ maxLength: 200 }).map((garbage) => frame((e) => encoding.writeVarUint8Array(e, garbage))),
      // A Yjs update header claiming huge struct/client counts over random bytes.
      fc
        .record({
          counts: fc.array(fc.constantFrom(0, 1, 2 ** 31, 2 ** 53 - 1), { minLength: 1, maxLength: 4 }),
          tail: fc.uint8Array({ maxLength: 32 }),
        })
        .map(({ counts, tail }) =>
          frame((e) =>
            encoding.writeVarUint8Array(e, Uint8Array.from([...counts.flatMap((n) => [...varint(n)]), ...tail])),
          ),
        ),
      // A varint that never ends.
      fc.integer({ min: 1, max: 40 }).map((n) => new Uint8Array(n).fill(0xff)),
    ),
  })
  .map(({ header, payload }) => Uint8Array.from([...header, ...payload]))

/** Random bytes, with a bias to the message types that exist. */
export const randomFrameArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 256 }),
  fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.uint8Array({ maxLength: 256 }))
    .map(([type, rest]) => Uint8Array.from([type, ...rest])),
)

/** Any of the above; mutated client frames twice as often, as they reach deepest into Yjs. */
export const anyFrameArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  randomFrameArb,
  validFrameArb.map((f) => f.bytes),
  { weight: 2, arbitrary: mutatedFrameArb },
  hostileFrameArb,
)

/**
 * fast-check's run parameters: a fixed seed so that a run can be repeated exactly (FUZZ_SEED
 * overrides it to explore further; fast-check prints the seed and path of any failure).
 * Cases that are round trips to a real server are not shrunk unless FUZZ_SHRINK=1: shrinking a
 * failure reruns it hundreds of times and the test hits its timeout before it reports the case
 * that failed (a full run once timed out at 90 s this way, the failure itself unseen). Cheap
 * cases (pure decoding, `{ cheap: true }`) are shrunk as usual.
 */
export function fuzzParameters(
  numRuns: number,
  { cheap = false }: { cheap?: boolean } = {},
): { seed: number; numRuns: number; endOnFailure: boolean } {
  return {
    seed: Number(process.env.FUZZ_SEED ?? 0x5eed_c0de),
    numRuns,
    endOnFailure: !cheap && process.env.FUZZ_SHRINK !== '1',
  }
}
