/**
 * What an automatic snapshot compares to tell whether a room's content changed since its last
 * snapshot (issue #18): a SHA-256 of the document's content, read from Yjs's own structures.
 *
 * Why not the snapshot's SHA-256 of the encoded state: every change to the document changes it,
 * including the one each browser makes as it joins (its member record's `lastSeen`), so a
 * participant who connects and leaves would still cost the room a whole copy of its document. Why
 * not the state vector: deleting (a pot line, a paragraph) does not advance it, so a deletion would
 * go unrecorded. What this reads is every root type's live entries and items: map keys and values,
 * list items, text with its formatting, XML elements with their attributes, nested to any depth;
 * deleted items are skipped and adjacent text is joined, so two documents with the same content
 * read the same however Yjs happened to split or merge their items. Left out: `lastSeen` in the
 * member records, which says when someone last opened the workshop, not anything it holds.
 *
 * Cost: one walk over the document's items and one SHA-256 of what it reads, of the same order as
 * `Y.encodeStateAsUpdate` (docs/benchmarks.md); taken only when a snapshot is considered.
 */
import { createHash, type Hash } from 'node:crypto'
import * as Y from 'yjs'
import { DOC_KEYS } from '../shared/schema.ts'

/** Part of the hash: a change to what is read or how makes every earlier fingerprint differ. */
const VERSION = 'commonpot-content-1'

/** Feeds the hash in chunks: one `update` per small string would cost more than the walk. */
class Digest {
  private readonly hash: Hash = createHash('sha256')
  private parts: string[] = []
  private length = 0

  push(text: string): void {
    this.parts.push(text)
    this.length += text.length
    if (this.length > 65_536) this.drain()
  }

  hex(): string {
    this.drain()
    return this.hash.digest('hex')
  }

  private drain(): void {
    this.hash.update(this.parts.join(''))
    this.parts = []
    this.length = 0
  }
}

/** JSON with object keys sorted, bytes as base64 and undefined as null: one text per value. */
function canonical(value: unknown): string {
  if (value === undefined || value === null) return 'null'
  if (value instanceof Uint8Array) return `{"$bytes":"${Buffer.from(value).toString('base64')}"}`
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** A member record without `lastSeen`: joining again is not a change of content. */
function memberWithoutLastSeen(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const { lastSeen: _, ...rest } = value as Record<string, unknown>
  return rest
}

/** What the walk reads of any Yjs type, whatever its class: its map entries and the head of its item list. */
interface TypeParts {
  _map: Map<string, Y.Item>
  _start: Y.Item | null
}

type ValueFilter = (value: unknown) => unknown
const asIs: ValueFilter = (value) => value

/** The kind of a nested type; a root's own class depends on whether the server ever asked for it by type, so roots have none. */
function kindOf(type: TypeParts): string {
  if (type instanceof Y.XmlText) return 'xmltext'
  if (type instanceof Y.Text) return 'text'
  if (type instanceof Y.XmlHook) return `hook:${type.hookName}`
  if (type instanceof Y.Map) return 'map'
  if (type instanceof Y.Array) return 'array'
  if (type instanceof Y.XmlElement) return `element:${type.nodeName}`
  if (type instanceof Y.XmlFragment) return 'fragment'
  return 'type'
}

function liveKeys(type: TypeParts): string[] {
  const keys: string[] = []
  for (const [key, item] of type._map) if (!item.deleted) keys.push(key)
  return keys.sort()
}

function hasLiveItems(type: TypeParts): boolean {
  for (let item = type._start; item !== null; item = item.right) if (!item.deleted) return true
  return false
}

/** The value a map entry holds: the last of its item's content. */
function writeMapValue(out: Digest, content: Y.Item['content'], filter: ValueFilter): void {
  if (content instanceof Y.ContentType) writeType(out, content.type, kindOf(content.type), asIs)
  else if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON)
    out.push(canonical(filter(content.arr[content.arr.length - 1])))
  else if (content instanceof Y.ContentBinary) out.push(canonical(content.content))
  else if (content instanceof Y.ContentDoc) out.push(`{"$doc":${JSON.stringify(content.doc.guid)}}`)
  else if (content instanceof Y.ContentString) out.push(JSON.stringify(content.str))
  else if (content instanceof Y.ContentEmbed) out.push(`{"$embed":${canonical(content.embed)}}`)
  else out.push(`{"$content":${JSON.stringify(content.constructor.name)}}`)
}

function writeType(out: Digest, type: TypeParts, kind: string, filter: ValueFilter): void {
  out.push(`{"k":${JSON.stringify(kind)}`)
  const keys = liveKeys(type)
  if (keys.length > 0) {
    out.push(',"m":{')
    keys.forEach((key, i) => {
      out.push(`${i === 0 ? '' : ','}${JSON.stringify(key)}:`)
      writeMapValue(out, type._map.get(key)!.content, filter)
    })
    out.push('}')
  }
  if (hasLiveItems(type)) {
    out.push(',"l":[')
    let first = true
    const element = (text: string) => {
      out.push(first ? text : `,${text}`)
      first = false
    }
    // Text split over several items (an insertion in the middle splits one) reads as one run.
    let run: string | null = null
    const endRun = () => {
      if (run !== null) element(`{"s":${JSON.stringify(run)}}`)
      run = null
    }
    for (let item = type._start; item !== null; item = item.right) {
      if (item.deleted) continue
      const content = item.content
      if (content instanceof Y.ContentString) {
        run = (run ?? '') + content.str
        continue
      }
      endRun()
      if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) {
        for (const value of content.arr) element(canonical(filter(value)))
      } else if (content instanceof Y.ContentType) {
        out.push(first ? '' : ',')
        first = false
        writeType(out, content.type, kindOf(content.type), asIs)
      } else if (content instanceof Y.ContentFormat) {
        element(`{"f":${JSON.stringify(content.key)},"v":${canonical(content.value)}}`)
      } else if (content instanceof Y.ContentEmbed) {
        element(`{"e":${canonical(content.embed)}}`)
      } else if (content instanceof Y.ContentBinary) {
        element(canonical(content.content))
      } else if (content instanceof Y.ContentDoc) {
        element(`{"$doc":${JSON.stringify(content.doc.guid)}}`)
      } else {
        element(`{"$content":${JSON.stringify(content.constructor.name)}}`)
      }
    }
    endRun()
    out.push(']')
  }
  out.push('}')
}

/**
 * The fingerprint of the document's content, lower-case hex: equal for documents with the same
 * content (member records' `lastSeen` aside), different when anything else differs. Root types
 * with nothing in them are skipped, since a document only has one once something asked for it.
 */
export function contentFingerprint(doc: Y.Doc): string {
  const out = new Digest()
  out.push(`{"v":"${VERSION}","roots":{`)
  let first = true
  for (const name of [...doc.share.keys()].sort()) {
    const type = doc.share.get(name)!
    if (liveKeys(type).length === 0 && !hasLiveItems(type)) continue
    out.push(`${first ? '' : ','}${JSON.stringify(name)}:`)
    first = false
    writeType(out, type, 'root', name === DOC_KEYS.members ? memberWithoutLastSeen : asIs)
  }
  out.push('}}')
  return out.hex()
}
