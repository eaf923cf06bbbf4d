/**
 * Hostile but well-formed Yjs updates for the property-based adversarial suite
 * (test/integration/adversarial.test.ts). fast-check generates a case as a description: which
 * client id (the facilitator's, the witness's, the server's, another id the room has seen, a fresh
 * one), which clock relative to that client's state (at it, below it so that the struct overlaps
 * what is there, above it leaving a gap), which parent (a root name, the item holding a type, any
 * item, an id the room does not have, origins and right origins), which map key, which content and
 * which deletions, all by index into what the room holds. `materialise` turns the description into
 * structs and deletions (test/helpers/craftUpdate.ts) against an inventory of the room's document
 * at that moment, so a description fits whatever the room holds and fast-check can still shrink it.
 */
import fc, { type JsonValue } from 'fast-check'
import * as Y from 'yjs'
import { DOC_KEYS } from '../../shared/schema.ts'
import { craftUpdate, lengthOf, type CraftedContent, type CraftedStruct, type ID } from './craftUpdate.ts'

// ---- what the room holds ----------------------------------------------------------------------

export interface ItemInfo {
  id: ID
  length: number
  /** The top-level type the item lives under and the map keys down to it (null: list content). */
  root: string | null
  path: (string | null)[]
  /** Whether the item holds a Yjs type (a pot line, a clause, positions, a body, a paragraph…). */
  holdsType: boolean
  /** The keys of the map (or XML attributes) the item holds, if it holds one. */
  keys: string[]
  deleted: boolean
}

export interface Inventory {
  items: ItemInfo[]
  /** Items grouped by top-level type, so that every part of the document is picked as often. */
  byRoot: ItemInfo[][]
  typeHolders: ItemInfo[]
  plain: ItemInfo[]
  /** Each client's state (next clock). */
  state: Map<number, number>
  /** Every map key in the document. */
  keys: string[]
  /** The client id the ledger is written under: the server's own. */
  serverClient: number | null
}

function placeItem(item: Y.Item): { root: string | null; path: (string | null)[] } {
  const path: (string | null)[] = [item.parentSub]
  let parent: unknown = item.parent
  for (let depth = 0; depth < 64; depth++) {
    if (!(parent instanceof Y.AbstractType)) return { root: null, path }
    const holder: Y.Item | null = parent._item
    if (holder === null) {
      try {
        return { root: Y.findRootTypeKey(parent), path: path.reverse() }
      } catch {
        return { root: null, path }
      }
    }
    path.push(holder.parentSub)
    parent = holder.parent
  }
  return { root: null, path }
}

export function inventory(doc: Y.Doc): Inventory {
  const items: ItemInfo[] = []
  const keys = new Set<string>()
  const groups = new Map<string, ItemInfo[]>()
  let serverClient: number | null = null
  for (const [, structs] of doc.store.clients) {
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue
      const { root, path } = placeItem(struct)
      const content = struct.content
      const type = content instanceof Y.ContentType ? content.type : null
      const info: ItemInfo = {
        id: [struct.id.client, struct.id.clock],
        length: struct.length,
        root,
        path,
        holdsType: type !== null,
        keys: type ? [...type._map.keys()] : [],
        deleted: struct.deleted,
      }
      items.push(info)
      if (struct.parentSub !== null) keys.add(struct.parentSub)
      const group = root ?? '(none)'
      const list = groups.get(group)
      if (list) list.push(info)
      else groups.set(group, [info])
      if (root === DOC_KEYS.ledger && path.length === 1) serverClient = struct.id.client
    }
  }
  const state = new Map<number, number>()
  for (const [client] of doc.store.clients) state.set(client, Y.getState(doc.store, client))
  return {
    items,
    byRoot: [...groups.keys()].sort().map((k) => groups.get(k)!),
    typeHolders: items.filter((i) => i.holdsType),
    plain: items.filter((i) => !i.holdsType),
    state,
    keys: [...keys].sort(),
    serverClient,
  }
}

// ---- descriptions -----------------------------------------------------------------------------

/** Whose client id a run of structs (or a deletion) uses. */
export type ClientChoice =
  | { of: 'facilitator' | 'witness' | 'server' }
  | { of: 'seen'; pick: number }
  | { of: 'fresh'; id: number }
/** Where a run starts, relative to its client's state. */
export type ClockChoice = { at: 'state' } | { at: 'below'; k: number } | { at: 'above'; gap: number }
/** An item of the room (any, one holding a type, or one holding none), or an id it does not have. */
export type Ref =
  | { existing: 'any' | 'type' | 'plain'; group: number; pick: number; offset: number }
  | { missing: 'client' | 'clock'; n: number }
export type KeyChoice = null | { existing: number } | { named: string } | { random: string }
export type ParentChoice =
  | { root: string; sub: KeyChoice }
  /** One of the parts worth protecting, by index into `namedParts` (a locked line, the agreed clause's positions…). */
  | { part: number; sub: KeyChoice }
  | { item: Ref; sub: KeyChoice }
  | { origin: Ref }
  | { right: Ref }
  | { origin: Ref; right: Ref }
export type ValueChoice = { json: JsonValue } | { named: number } | { huge: number }
export type ContentChoice =
  | { any: ValueChoice[] }
  | { json: ValueChoice[] }
  | { string: string }
  | { hugeString: number }
  | { type: 'array' | 'map' | 'text' | 'xmlFragment' | 'xmlElement' | 'xmlText' | 'xmlHook'; nodeName: string }
  | { deleted: number }
  | { binary: Uint8Array }
  | { embed: ValueChoice }
  | { format: { key: string; value: ValueChoice } }
  | { doc: { guid: string; opts: Record<string, JsonValue> } }
  | { gc: number }
  | { skip: number }
export interface StructChoice {
  parent: ParentChoice
  content: ContentChoice
}
export interface RunChoice {
  client: ClientChoice
  clock: ClockChoice
  structs: StructChoice[]
}
export type DeletionChoice =
  | { item: { group: number; pick: number }; from: number; len: number }
  /** An item inside what is protected (a position, the agreed text, a ledger entry, a member record, a setting…). */
  | { inside: number; from: number; len: number }
  | { beyond: ClientChoice; gap: number; len: number }
  | { whole: ClientChoice }
export interface UpdateChoice {
  runs: RunChoice[]
  deletions: DeletionChoice[]
}

/** Keys the workshop uses (and a few it does not), for map keys and format attributes. */
export const NAMED_KEYS = [
  'amount',
  'status',
  'proposedBy',
  'createdAt',
  'edit.amount',
  'partner',
  'title',
  'orderKey',
  'body',
  'positions',
  'comments',
  'DWP',
  'Wiltshire Police',
  'Swindon Borough Council',
  'timer',
  'locks',
  'agenda',
  'currentItem',
  'organisations',
  'summon',
  'pot',
  'protocol',
  'barriers',
  'fiona',
  'wes',
  'pat',
  'dots',
  'fiona#0',
  'wes#0',
  'wes#1',
  'pat#0',
  'targetPot',
  'canvasSchema',
  'links',
  'agreedBy',
  'dotsPerPerson',
  'results',
  'key',
  'val',
  '',
  '__proto__',
  'constructor',
] as const

/** The room's parts a named value refers to. */
export interface RoomIds {
  line: string
  agreed: string
  proposed: string
  vote: string
  barrier: string
  comment: string
}

const DWP_DIRECTOR = { userId: 'dwp-director', name: 'DWP Director', organisation: 'DWP' }

/** Values chosen to pass as something they are not: forged ledger entries and positions, records, bad amounts. */
function namedValues(ids: RoomIds, now: number): unknown[] {
  return [
    // A forged ledger entry, claiming the facilitator's link and a pot change.
    {
      id: 'forged',
      at: now,
      by: DWP_DIRECTOR,
      area: 'pot',
      subject: ids.line,
      label: 'Jobcentre Plus',
      action: 'changed',
      field: 'amount',
      from: 5_000_000,
      to: 1,
      link: { role: 'facilitator', organisation: 'DWP', name: 'DWP Director', linkId: null },
    },
    {
      id: 'forged2',
      at: now,
      by: DWP_DIRECTOR,
      area: 'protocol',
      subject: ids.agreed,
      label: 'Pooling',
      action: 'reopened',
      field: 'status',
      from: 'agreed',
      to: 'reopened',
    },
    // "DWP: block", signed DWP Director, with each basis.
    { position: 'block', reason: 'DWP cannot pool this money.', by: DWP_DIRECTOR, at: now, basis: 'link' },
    { position: 'block', reason: 'DWP cannot pool this money.', by: DWP_DIRECTOR, at: now, basis: 'on-behalf' },
    { position: 'block', reason: 'DWP cannot pool this money.', by: DWP_DIRECTOR, at: now, basis: 'self-declared' },
    {
      position: 'agree',
      reason: '',
      by: { userId: 'fiona', name: 'Fiona Facilitator', organisation: 'Swindon Borough Council' },
      at: now,
      basis: 'on-behalf',
    },
    // A valid-looking board record, and one whose key does not match.
    { key: 'shape:adversary', val: { id: 'shape:adversary', typeName: 'shape', x: 0, y: 0 } },
    { key: 'shape:a', val: { id: 'shape:b', typeName: 'shape' } },
    // Member records: the facilitator's, rewritten; one claiming the facilitator role.
    { name: 'Not Fiona', organisation: 'Nobody', role: 'participant', firstSeen: 1, lastSeen: 2 },
    { name: 'DWP Director', organisation: 'DWP', role: 'facilitator', firstSeen: 1, lastSeen: 2 },
    { name: 'DWP Director', organisation: 'DWP', role: 'participant', firstSeen: 1, lastSeen: 2, keyed: true },
    // A raised hand, a dot in someone else's name, a lock, a timer.
    { name: 'Wes Witness', organisation: 'Wiltshire Police', at: now },
    { barrierId: ids.barrier, by: { userId: 'wes', name: 'Wes Witness', organisation: 'Wiltshire Police' }, at: now },
    { by: DWP_DIRECTOR, at: now },
    { state: 'running', durationMs: 1, endsAt: 2 },
    { group: 'department', addedAt: now },
    // Amounts and statuses: negative, huge, fractional, of the wrong type; valid ones too.
    -5_000_000,
    1e20,
    0.5,
    '5000000',
    5_000_000,
    1,
    0,
    null,
    true,
    'agreed',
    'draft',
    'reopened',
    'proposed',
    'withdrawn',
    DWP_DIRECTOR,
    { userId: 'fiona', name: 'Fiona Facilitator', at: now },
    {
      id: ids.comment,
      text: 'Rewritten',
      by: { userId: 'wes', name: 'Wes Witness', organisation: 'Wiltshire Police' },
      at: now,
      resolved: null,
    },
    // Values a participant may write (their own hand, a self-declared position for their organisation).
    { name: 'Pat Participant', organisation: 'Swindon Borough Council', at: now },
    {
      position: 'agree',
      reason: '',
      by: { userId: 'pat', name: 'Pat Participant', organisation: 'Swindon Borough Council' },
      at: now,
      basis: 'self-declared',
    },
    {
      name: 'Pat Participant',
      organisation: 'Swindon Borough Council',
      role: 'participant',
      firstSeen: now,
      lastSeen: now,
    },
    [],
    {},
  ]
}

// ---- arbitraries ------------------------------------------------------------------------------

// Forged ids are refused before anything else is looked at, so most runs use ids the attacker may
// write under (fresh ones, and those of connections that have gone), to reach the rules.
const clientArb: fc.Arbitrary<ClientChoice> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ of: 'facilitator' as const }) },
  { weight: 1, arbitrary: fc.constant({ of: 'witness' as const }) },
  { weight: 1, arbitrary: fc.constant({ of: 'server' as const }) },
  { weight: 2, arbitrary: fc.record({ of: fc.constant('seen' as const), pick: fc.nat() }) },
  {
    weight: 6,
    arbitrary: fc.record({ of: fc.constant('fresh' as const), id: fc.integer({ min: 1, max: 0xffff_fffe }) }),
  },
)

const clockArb: fc.Arbitrary<ClockChoice> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ at: 'state' as const }) },
  { weight: 3, arbitrary: fc.record({ at: fc.constant('below' as const), k: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ at: fc.constant('above' as const), gap: fc.integer({ min: 1, max: 3 }) }) },
)

const refArb = (prefer: 'any' | 'type'): fc.Arbitrary<Ref> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        existing:
          prefer === 'type'
            ? fc.constantFrom('type' as const, 'type' as const, 'type' as const, 'plain' as const, 'any' as const)
            : fc.constantFrom('any' as const, 'type' as const, 'plain' as const),
        group: fc.nat(),
        pick: fc.nat(),
        offset: fc.nat(8),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ missing: fc.constantFrom('client' as const, 'clock' as const), n: fc.nat(4) }),
    },
  )

const keyArb: fc.Arbitrary<KeyChoice> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: fc.record({ existing: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ named: fc.constantFrom(...NAMED_KEYS) }) },
  { weight: 1, arbitrary: fc.record({ random: fc.string({ maxLength: 12 }) }) },
)

const ROOT_NAMES = [...Object.values(DOC_KEYS), 'evil', '__proto__', 'constructor', '', 'Pot', 'ledger ', 'fuzz-map']

const parentArb: fc.Arbitrary<ParentChoice> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      root: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...ROOT_NAMES) },
        { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
      ),
      sub: keyArb,
    }),
  },
  { weight: 3, arbitrary: fc.record({ part: fc.nat(), sub: keyArb }) },
  { weight: 4, arbitrary: fc.record({ item: refArb('type'), sub: keyArb }) },
  { weight: 2, arbitrary: fc.record({ origin: refArb('any') }) },
  { weight: 1, arbitrary: fc.record({ right: refArb('any') }) },
  { weight: 1, arbitrary: fc.record({ origin: refArb('any'), right: refArb('any') }) },
)

const valueArb: fc.Arbitrary<ValueChoice> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ named: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ json: fc.jsonValue({ maxDepth: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ huge: fc.constantFrom(70_000, 300_000) }) },
)

const contentArb: fc.Arbitrary<ContentChoice> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ any: fc.array(valueArb, { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ json: fc.array(valueArb, { minLength: 1, maxLength: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ string: fc.string({ minLength: 1, maxLength: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ hugeString: fc.constantFrom(70_000, 500_000) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constantFrom(
        'array' as const,
        'map' as const,
        'text' as const,
        'xmlFragment' as const,
        'xmlElement' as const,
        'xmlText' as const,
        'xmlHook' as const,
      ),
      nodeName: fc.constantFrom('paragraph', 'heading', 'script', ''),
    }),
  },
  { weight: 1, arbitrary: fc.record({ deleted: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ binary: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ embed: valueArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      format: fc.record({ key: fc.constantFrom('bold', 'italic', 'link', ...NAMED_KEYS.slice(0, 6)), value: valueArb }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      doc: fc.record({
        guid: fc.string({ maxLength: 12 }),
        opts: fc.constantFrom<Record<string, JsonValue>>(
          {},
          { autoLoad: true },
          { gc: false },
          { meta: { x: 1 } },
          { shouldLoad: true, guid: 'other' },
        ),
      }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ gc: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ skip: fc.integer({ min: 1, max: 2 }) }) },
)

const runArb: fc.Arbitrary<RunChoice> = fc.record({
  client: clientArb,
  clock: clockArb,
  structs: fc.array(fc.record({ parent: parentArb, content: contentArb }), { minLength: 1, maxLength: 3 }),
})

const deletionArb: fc.Arbitrary<DeletionChoice> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      item: fc.record({ group: fc.nat(), pick: fc.nat() }),
      from: fc.nat(4),
      len: fc.integer({ min: 1, max: 6 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ inside: fc.nat(), from: fc.nat(4), len: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ beyond: clientArb, gap: fc.nat(3), len: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ whole: clientArb }) },
)

/** One update: up to two runs of structs and up to three deletions, never empty. */
export const updateArb: fc.Arbitrary<UpdateChoice> = fc
  .record({
    runs: fc.oneof(
      { weight: 1, arbitrary: fc.constant<RunChoice[]>([]) },
      { weight: 4, arbitrary: fc.array(runArb, { minLength: 1, maxLength: 1 }) },
      { weight: 1, arbitrary: fc.array(runArb, { minLength: 2, maxLength: 2 }) },
    ),
    deletions: fc.oneof(
      { weight: 2, arbitrary: fc.constant<DeletionChoice[]>([]) },
      { weight: 1, arbitrary: fc.array(deletionArb, { minLength: 1, maxLength: 3 }) },
    ),
  })
  .filter((u) => u.runs.length + u.deletions.length > 0)

// ---- materialising ----------------------------------------------------------------------------

/** The client ids of the people in the room, as the attacker sees them. */
export interface Clients {
  facilitator: number
  witness: number
  /** The attacker's own y-websocket client, which must stay free for its markers. */
  attacker: number
}

export interface Crafted {
  update: Uint8Array
  structs: CraftedStruct[]
  deletions: [client: number, clock: number, len: number][]
}

const pick = <T>(list: readonly T[], n: number): T | undefined =>
  list.length === 0 ? undefined : list[n % list.length]

const samePath = (a: readonly (string | null)[], b: readonly (string | null)[]) =>
  a.length === b.length && a.every((k, i) => k === b[i])

/**
 * The items holding the types worth protecting, as they are now: the locked £50,000 line, the
 * agreed clause (its map, positions, body, paragraphs and their text, comments), the proposed
 * clause's positions, the facilitator's settings (locks, organisations, agenda), the vote and its
 * dots, the barrier.
 */
export function namedParts(inv: Inventory, ids: RoomIds): ItemInfo[] {
  const paths: [string, (string | null)[]][] = [
    [DOC_KEYS.pot, [ids.line]],
    [DOC_KEYS.protocol, [ids.agreed]],
    [DOC_KEYS.protocol, [ids.agreed, 'positions']],
    [DOC_KEYS.protocol, [ids.agreed, 'body']],
    [DOC_KEYS.protocol, [ids.agreed, 'body', null]],
    [DOC_KEYS.protocol, [ids.agreed, 'body', null, null]],
    [DOC_KEYS.protocol, [ids.agreed, 'comments']],
    [DOC_KEYS.protocol, [ids.proposed, 'positions']],
    [DOC_KEYS.settings, ['locks']],
    [DOC_KEYS.settings, ['organisations']],
    [DOC_KEYS.settings, ['agenda']],
    [DOC_KEYS.votes, [ids.vote]],
    [DOC_KEYS.votes, [ids.vote, 'dots']],
    [DOC_KEYS.barriers, [ids.barrier]],
  ]
  return inv.typeHolders.filter(
    (i) => !i.deleted && paths.some(([root, path]) => i.root === root && samePath(i.path, path)),
  )
}

export function materialise(
  choice: UpdateChoice,
  inv: Inventory,
  clients: Clients,
  ids: RoomIds,
  now: number,
): Crafted {
  const named = namedValues(ids, now)
  const known = new Set([...inv.state.keys(), clients.facilitator, clients.witness, clients.attacker])
  const seen = [...inv.state.keys()]
    .filter((c) => c !== clients.facilitator && c !== clients.witness && c !== clients.attacker)
    .sort((a, b) => a - b)
  const unusedClient = (n: number): number => {
    let id = 0x7654_3210 + n
    while (known.has(id)) id++
    return id
  }
  const clientOf = (c: ClientChoice): number => {
    switch (c.of) {
      case 'facilitator':
        return clients.facilitator
      case 'witness':
        return clients.witness
      case 'server':
        return inv.serverClient ?? unusedClient(0)
      case 'seen':
        return pick(seen, c.pick) ?? unusedClient(1)
      case 'fresh': {
        let id = c.id
        while (id === clients.attacker || id === clients.facilitator || id === clients.witness) id++
        return id
      }
    }
  }
  const stateOf = (client: number) => inv.state.get(client) ?? 0
  const itemOf = (ref: Extract<Ref, { existing: unknown }>): ItemInfo | undefined => {
    const pool =
      ref.existing === 'type' ? inv.typeHolders : ref.existing === 'plain' ? inv.plain : pick(inv.byRoot, ref.group)
    return pool === undefined ? undefined : pick(pool, ref.pick + (ref.existing === 'any' ? 0 : ref.group))
  }
  const idOf = (ref: Ref): { id: ID; item: ItemInfo | null } => {
    if ('missing' in ref) {
      if (ref.missing === 'client') return { id: [unusedClient(2 + ref.n), ref.n], item: null }
      const client = pick([...inv.state.keys()], ref.n) ?? unusedClient(3)
      return { id: [client, stateOf(client) + ref.n], item: null }
    }
    const item = itemOf(ref)
    if (!item) return { id: [unusedClient(4), 0], item: null }
    return { id: [item.id[0], item.id[1] + (ref.offset % item.length)], item }
  }
  const chosenValue = (v: ValueChoice): unknown =>
    'json' in v ? v.json : 'named' in v ? named[v.named % named.length] : 'x'.repeat(v.huge)
  const contentOf = (c: ContentChoice): CraftedContent => {
    if ('any' in c) return { any: c.any.map(chosenValue) }
    if ('json' in c) return { json: c.json.map(chosenValue) }
    if ('hugeString' in c) return { string: 'y'.repeat(c.hugeString) }
    if ('embed' in c) return { embed: chosenValue(c.embed) ?? null }
    if ('format' in c) return { format: { key: c.format.key, value: chosenValue(c.format.value) ?? null } }
    if ('type' in c) return { type: c.type, nodeName: c.nodeName }
    return c
  }

  const parts = namedParts(inv, ids)
  const protectedEntries = new Set<string>(['fiona', 'wes'])
  const inside = inv.items.filter(
    (i) =>
      !i.deleted &&
      (parts.some(
        (p) => p.root === i.root && i.path.length > p.path.length && p.path.every((k, j) => i.path[j] === k),
      ) ||
        i.root === DOC_KEYS.ledger ||
        (i.root === DOC_KEYS.settings && i.path.length === 1) ||
        (i.root === DOC_KEYS.meta && i.path.length === 1) ||
        ((i.root === DOC_KEYS.members || i.root === DOC_KEYS.hands) && protectedEntries.has(i.path[0] ?? ''))),
  )
  const structs: CraftedStruct[] = []
  const runs = new Map<number, CraftedStruct[]>()
  for (const run of choice.runs) {
    const client = clientOf(run.client)
    const existing = runs.get(client)
    let clock: number
    if (existing) {
      const last = existing[existing.length - 1]!
      clock = last.clock + lengthOf(last.content)
    } else {
      const state = stateOf(client)
      clock =
        run.clock.at === 'state'
          ? state
          : run.clock.at === 'below'
            ? Math.max(0, state - run.clock.k)
            : state + run.clock.gap
    }
    const list = existing ?? []
    for (const s of run.structs) {
      const content = contentOf(s.content)
      const struct: CraftedStruct = { client, clock, content }
      const p = s.parent
      if ('root' in p || 'item' in p || 'part' in p) {
        let parentItem: ItemInfo | null = null
        if ('root' in p) struct.parent = p.root
        else if ('part' in p) {
          parentItem = pick(parts, p.part) ?? null
          struct.parent = parentItem ? parentItem.id : DOC_KEYS.pot
        } else {
          const { id, item } = idOf(p.item)
          struct.parent = id
          parentItem = item
        }
        if (p.sub !== null) {
          if ('existing' in p.sub)
            struct.parentSub = pick(parentItem?.keys.length ? parentItem.keys : inv.keys, p.sub.existing) ?? 'amount'
          else struct.parentSub = 'named' in p.sub ? p.sub.named : p.sub.random
        }
      } else {
        if ('origin' in p) struct.origin = idOf(p.origin).id
        if ('right' in p) struct.rightOrigin = idOf(p.right).id
      }
      list.push(struct)
      clock += lengthOf(content)
    }
    runs.set(client, list)
  }
  for (const list of runs.values()) structs.push(...list)

  const deletions: [number, number, number][] = []
  for (const d of choice.deletions) {
    if ('inside' in d) {
      const item = pick(inside, d.inside)
      if (item) deletions.push([item.id[0], item.id[1] + (d.from % item.length), d.len])
    } else if ('item' in d) {
      const group = pick(inv.byRoot, d.item.group)
      const item = group && pick(group, d.item.pick)
      if (!item) continue
      deletions.push([item.id[0], item.id[1] + (d.from % item.length), d.len])
    } else if ('beyond' in d) {
      const client = clientOf(d.beyond)
      deletions.push([client, stateOf(client) + d.gap, d.len])
    } else {
      const client = clientOf(d.whole)
      const state = stateOf(client)
      if (state > 0) deletions.push([client, 0, state])
    }
  }
  return { update: craftUpdate(structs, deletions), structs, deletions }
}

/** A crafted update in words, for failure reports: each struct's id, length, parent info and content. */
export function describeCrafted(crafted: Crafted): string {
  const short = (value: unknown): string => {
    const text = value instanceof Uint8Array ? `bytes(${value.length})` : (JSON.stringify(value) ?? String(value))
    return text.length > 160 ? `${text.slice(0, 160)}…(${text.length} chars)` : text
  }
  const structs = crafted.structs.map((s) => {
    const where =
      s.origin || s.rightOrigin
        ? `origin ${short(s.origin ?? null)} right ${short(s.rightOrigin ?? null)}`
        : `parent ${short(s.parent ?? 'ledger')}${s.parentSub !== undefined ? ` key ${short(s.parentSub)}` : ''}`
    return `  struct ${s.client}:${s.clock} len ${lengthOf(s.content)} ${where} content ${short(s.content)}`
  })
  const deletions = crafted.deletions.map(([client, clock, len]) => `  delete ${client}:${clock} len ${len}`)
  return [...structs, ...deletions].join('\n')
}
