/**
 * Hand-made Yjs updates (v1 format), for adversarial tests: any client id, clock, parent info,
 * map key, content and delete set, well-formed, whatever a real client would or would not send.
 */
import * as encoding from 'lib0/encoding'

export type ID = readonly [client: number, clock: number]

export type CraftedContent =
  | { any: readonly unknown[] }
  | { string: string }
  | { type: 'array' | 'map' | 'text' | 'xmlFragment' | 'xmlElement' | 'xmlText' | 'xmlHook'; nodeName?: string }
  | { deleted: number }
  /** ContentJSON (the legacy JSON content): each value written as JSON text. */
  | { json: readonly unknown[] }
  | { binary: Uint8Array }
  /** ContentEmbed: one JSON value (an embed in a text). */
  | { embed: unknown }
  /** ContentFormat: a text formatting attribute. */
  | { format: { key: string; value: unknown } }
  /** ContentDoc: a subdocument with its guid and options. */
  | { doc: { guid: string; opts: Record<string, unknown> } }
  /** Not items: a garbage-collected run of clocks, or a skipped run (a gap), neither with parent info. */
  | { gc: number }
  | { skip: number }

export interface CraftedStruct {
  client: number
  clock: number
  origin?: ID
  rightOrigin?: ID
  /** A root type's name, or the id of the item holding the parent type (used without origins). */
  parent?: string | ID
  parentSub?: string
  content: CraftedContent
}

const TYPE_REFS = { array: 0, map: 1, text: 2, xmlElement: 3, xmlFragment: 4, xmlHook: 5, xmlText: 6 } as const

export const lengthOf = (content: CraftedContent): number =>
  'any' in content
    ? content.any.length
    : 'json' in content
      ? content.json.length
      : 'string' in content
        ? content.string.length
        : 'deleted' in content
          ? content.deleted
          : 'gc' in content
            ? content.gc
            : 'skip' in content
              ? content.skip
              : 1

/** The content ref Yjs reads from the low 5 bits of a struct's info byte. */
function contentRef(content: CraftedContent): number {
  if ('any' in content) return 8
  if ('string' in content) return 4
  if ('deleted' in content) return 1
  if ('json' in content) return 2
  if ('binary' in content) return 3
  if ('embed' in content) return 5
  if ('format' in content) return 6
  if ('doc' in content) return 9
  if ('gc' in content) return 0
  if ('skip' in content) return 10
  return 7
}

/** Encodes structs (each client's contiguous in clock order) and deletions as one v1 update. */
export function craftUpdate(
  structs: readonly CraftedStruct[],
  deletions: readonly (readonly [client: number, clock: number, len: number])[] = [],
): Uint8Array {
  const byClient = new Map<number, CraftedStruct[]>()
  for (const struct of structs) {
    const list = byClient.get(struct.client)
    if (list) list.push(struct)
    else byClient.set(struct.client, [struct])
  }
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, byClient.size)
  for (const [client, list] of byClient) {
    encoding.writeVarUint(encoder, list.length)
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, list[0]!.clock)
    for (const struct of list) writeStruct(encoder, struct)
  }
  const deletes = new Map<number, (readonly [number, number])[]>()
  for (const [client, clock, len] of deletions) {
    const list = deletes.get(client)
    if (list) list.push([clock, len])
    else deletes.set(client, [[clock, len]])
  }
  encoding.writeVarUint(encoder, deletes.size)
  for (const [client, ranges] of deletes) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, ranges.length)
    for (const [clock, len] of ranges) {
      encoding.writeVarUint(encoder, clock)
      encoding.writeVarUint(encoder, len)
    }
  }
  return encoding.toUint8Array(encoder)
}

function writeStruct(encoder: encoding.Encoder, struct: CraftedStruct): void {
  const { content } = struct
  const ref = contentRef(content)
  if ('gc' in content || 'skip' in content) {
    encoding.writeUint8(encoder, ref)
    encoding.writeVarUint(encoder, lengthOf(content))
    return
  }
  const hasParentSub = struct.parentSub !== undefined && !struct.origin && !struct.rightOrigin
  const info =
    ref | (struct.origin ? 0x80 : 0) | (struct.rightOrigin ? 0x40 : 0) | (struct.parentSub !== undefined ? 0x20 : 0)
  encoding.writeUint8(encoder, info)
  if (struct.origin) writeId(encoder, struct.origin)
  if (struct.rightOrigin) writeId(encoder, struct.rightOrigin)
  if (!struct.origin && !struct.rightOrigin) {
    const parent = struct.parent ?? 'ledger'
    if (typeof parent === 'string') {
      encoding.writeVarUint(encoder, 1)
      encoding.writeVarString(encoder, parent)
    } else {
      encoding.writeVarUint(encoder, 0)
      writeId(encoder, parent)
    }
    if (hasParentSub) encoding.writeVarString(encoder, struct.parentSub!)
  }
  if ('any' in content) {
    encoding.writeVarUint(encoder, content.any.length)
    for (const value of content.any) encoding.writeAny(encoder, value as Parameters<typeof encoding.writeAny>[1])
  } else if ('string' in content) {
    encoding.writeVarString(encoder, content.string)
  } else if ('deleted' in content) {
    encoding.writeVarUint(encoder, content.deleted)
  } else if ('json' in content) {
    encoding.writeVarUint(encoder, content.json.length)
    for (const value of content.json)
      encoding.writeVarString(encoder, value === undefined ? 'undefined' : JSON.stringify(value))
  } else if ('binary' in content) {
    encoding.writeVarUint8Array(encoder, content.binary)
  } else if ('embed' in content) {
    encoding.writeVarString(encoder, JSON.stringify(content.embed ?? null))
  } else if ('format' in content) {
    encoding.writeVarString(encoder, content.format.key)
    encoding.writeVarString(encoder, JSON.stringify(content.format.value ?? null))
  } else if ('doc' in content) {
    encoding.writeVarString(encoder, content.doc.guid)
    encoding.writeAny(encoder, content.doc.opts as Parameters<typeof encoding.writeAny>[1])
  } else if ('type' in content) {
    encoding.writeVarUint(encoder, TYPE_REFS[content.type])
    if (content.type === 'xmlElement') encoding.writeVarString(encoder, content.nodeName ?? 'paragraph')
    if (content.type === 'xmlHook') encoding.writeVarString(encoder, content.nodeName ?? 'hook')
  }
}

function writeId(encoder: encoding.Encoder, [client, clock]: ID): void {
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, clock)
}

/** A y-websocket sync "update" message carrying `update`. */
export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, 2)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}
