/**
 * Signed sign-off receipts, after DocuSign's certificate of completion: when a clause becomes
 * agreed, and when the facilitator marks the whole protocol agreed, the server signs what was
 * agreed (the SHA-256 of the clause's wording), by whom and how each organisation's position was
 * stated, when, and the ledger head at that moment, with its Ed25519 key. A partner can check a
 * receipt later from an export alone (`npx commonpot verify`), against the public key the server
 * publishes at `GET /api/signing-key` and prints on the agreement.
 *
 * Receipts live in the document's `receipts` array, which only the server writes. Each carries its
 * public key (32 bytes, base64url) so that it can be checked offline; `keyId` (the first 16 hex
 * digits of the key's SHA-256) is what people compare with the published key.
 *
 * Verification uses WebCrypto, which Node 20 and every current browser have, so this module stays
 * pure and the client, the server and the verifier share it.
 */
import { digest } from 'lib0/hash/sha256'
import type * as Y from 'yjs'
import { Map as YMap } from 'yjs'
import { z } from 'zod'
import { canonicalJson } from './ledgerChain.ts'
import { clauseBody, POSITIONS, readClause } from './protocol.ts'
import { clauseBodyToMarkdown } from './protocolText.ts'
import { POSITION_BASES } from './linkIdentity.ts'
import { getProtocolMap, getReceiptsArray, readMeta } from './schema.ts'

export const RECEIPT_VERSION = 1
export const SIGNATURE_ALGORITHM = 'Ed25519'

const hexHash = z.string().regex(/^[0-9a-f]{64}$/)
const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/)

/** One organisation's position as the receipt records it. */
export const receiptPositionSchema = z.object({
  organisation: z.string().max(120),
  position: z.enum(POSITIONS),
  /** How it was stated: through the organisation's own link, or on its behalf by the facilitator. */
  basis: z.enum(POSITION_BASES),
  /** Who stated it, as named in the workshop. */
  by: z.string().max(80),
  at: z.number(),
})
export type ReceiptPosition = z.infer<typeof receiptPositionSchema>

/** What a clause receipt (and each clause of a protocol receipt) says was agreed. */
export const receiptClauseSchema = z.object({
  id: z.string().max(64),
  title: z.string().max(300),
  /** SHA-256 of the clause's wording: `clauseTextHash({ title, text })`. */
  textSha256: hexHash,
  positions: z.array(receiptPositionSchema).max(500),
})
export type ReceiptClause = z.infer<typeof receiptClauseSchema>

const receiptContentSchema = z.object({
  v: z.literal(RECEIPT_VERSION),
  id: z.string().max(64),
  /** 'clause': one clause became agreed. 'protocol': the facilitator marked the whole protocol agreed. */
  kind: z.enum(['clause', 'protocol']),
  roomId: z.string().max(64),
  /** The workshop's title when signed. */
  workshop: z.string().max(300),
  /** ms since 1970, the server's clock. */
  issuedAt: z.number(),
  /** The ledger's head when signed: the hash of the entry recording this agreement. */
  ledgerHead: hexHash,
  /** The facilitator who marked the protocol agreed (kind 'protocol'), else null. */
  markedBy: z.string().max(80).nullable(),
  clauses: z.array(receiptClauseSchema).min(1).max(1000),
  /**
   * Kind 'protocol': the snapshot the server took of the whole workshop as it stood when the
   * protocol was marked agreed (pot, barriers, board and all), by id and the SHA-256 of its bytes;
   * absent when it could not be taken (quota) and on clause receipts. A referenced snapshot cannot
   * be deleted.
   */
  snapshot: z.object({ id: z.string().max(64), sha256: hexHash }).optional(),
  algorithm: z.literal(SIGNATURE_ALGORITHM),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** The raw 32-byte Ed25519 public key, base64url. */
  publicKey: base64url,
})
export type ReceiptContent = z.infer<typeof receiptContentSchema>

export const receiptSchema = receiptContentSchema.extend({
  /** Ed25519 signature of `receiptSigningBytes(content)`, base64url. */
  signature: base64url,
})
export type Receipt = z.infer<typeof receiptSchema>

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
const sha256Hex = (text: string): string => hex(digest(new TextEncoder().encode(text)))

/** The SHA-256 of a clause's wording (its title and its text as exported, Markdown). */
export function clauseTextHash(clause: { title: string; text: string }): string {
  return sha256Hex(canonicalJson({ title: clause.title, text: clause.text }))
}

/** The key id people compare: the first 16 hex digits of the SHA-256 of the raw public key. */
export function signingKeyId(publicKey: Uint8Array): string {
  return hex(digest(publicKey)).slice(0, 16)
}

/** The bytes that are signed: the receipt's content (everything but the signature), canonical JSON. */
export function receiptSigningBytes(receipt: ReceiptContent | Receipt): Uint8Array {
  const { signature: _signature, ...content } = receipt as Receipt
  return new TextEncoder().encode(canonicalJson(content))
}

export function fromBase64url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/')
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}

export function toBase64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export type ReceiptCheck = { ok: true; keyId: string } | { ok: false; problem: string }

/**
 * Checks a receipt's form and signature against the key it carries, and, when `trustedKey` (raw
 * public key, base64url) is given, that it is that key. Never throws.
 */
export async function checkReceiptSignature(raw: unknown, trustedKey?: string): Promise<ReceiptCheck> {
  const parsed = receiptSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, problem: 'is not a well-formed receipt' }
  const receipt = parsed.data
  let key: Uint8Array
  let signature: Uint8Array
  try {
    key = fromBase64url(receipt.publicKey)
    signature = fromBase64url(receipt.signature)
  } catch {
    return { ok: false, problem: 'has a key or signature that is not base64url' }
  }
  if (key.length !== 32) return { ok: false, problem: 'carries a key that is not an Ed25519 public key' }
  if (signingKeyId(key) !== receipt.keyId) return { ok: false, problem: 'names a key id that is not its key’s' }
  if (trustedKey !== undefined && receipt.publicKey !== trustedKey)
    return { ok: false, problem: `was signed with key ${receipt.keyId}, not the trusted key` }
  try {
    const cryptoKey = await globalThis.crypto.subtle.importKey(
      'raw',
      key as Uint8Array<ArrayBuffer>,
      { name: SIGNATURE_ALGORITHM },
      false,
      ['verify'],
    )
    const valid = await globalThis.crypto.subtle.verify(
      { name: SIGNATURE_ALGORITHM },
      cryptoKey,
      signature as Uint8Array<ArrayBuffer>,
      receiptSigningBytes(receipt) as Uint8Array<ArrayBuffer>,
    )
    return valid ? { ok: true, keyId: receipt.keyId } : { ok: false, problem: 'has a signature that does not match' }
  } catch {
    return { ok: false, problem: 'could not be checked: the key or signature is malformed' }
  }
}

/** The receipts in a document, oldest first; anything malformed is left out. */
export function readReceipts(doc: Y.Doc): Receipt[] {
  const receipts: Receipt[] = []
  for (const raw of getReceiptsArray<unknown>(doc).toArray()) {
    const parsed = receiptSchema.safeParse(raw)
    if (parsed.success) receipts.push(parsed.data)
  }
  return receipts
}

/** The ids of the snapshots receipts refer to (they must be kept). */
export function referencedSnapshots(receipts: readonly Receipt[]): Set<string> {
  return new Set(receipts.flatMap((r) => (r.snapshot ? [r.snapshot.id] : [])))
}

/** The newest receipt for each clause (by clause id), for showing beside the clause. */
export function latestClauseReceipts(receipts: readonly Receipt[]): Map<string, Receipt> {
  const byClause = new Map<string, Receipt>()
  for (const receipt of receipts) if (receipt.kind === 'clause') byClause.set(receipt.clauses[0]!.id, receipt)
  return byClause
}

/** The key a receipt is signed with, as it is written into the receipt. */
export interface ReceiptKey {
  keyId: string
  /** Raw 32-byte Ed25519 public key, base64url. */
  publicKey: string
}

/** What the server signs when `clauseIds` became agreed (kind 'clause': one id) or the protocol was marked agreed. */
export function receiptContentFor(
  doc: Y.Doc,
  request: {
    id: string
    kind: ReceiptContent['kind']
    clauseIds: readonly string[]
    roomId: string
    issuedAt: number
    ledgerHead: string
    markedBy: string | null
    snapshot?: { id: string; sha256: string }
  },
  key: ReceiptKey,
): ReceiptContent | null {
  const clauses: ReceiptClause[] = []
  for (const id of request.clauseIds) {
    const map = getProtocolMap(doc).get(id)
    if (!(map instanceof YMap)) continue
    const clause = readClause(id, map)
    const body = clauseBody(doc, id)
    const text = body ? clauseBodyToMarkdown(body) : ''
    clauses.push({
      id,
      title: clause.title.slice(0, 300),
      textSha256: clauseTextHash({ title: clause.title, text }),
      positions: [...clause.positions]
        .map(([organisation, stated]) => ({
          organisation,
          position: stated.position,
          basis: stated.basis,
          by: stated.by.name.slice(0, 80),
          at: stated.at,
        }))
        .sort((a, b) => (a.organisation < b.organisation ? -1 : a.organisation > b.organisation ? 1 : 0)),
    })
  }
  if (clauses.length === 0) return null
  return {
    v: RECEIPT_VERSION,
    id: request.id,
    kind: request.kind,
    roomId: request.roomId,
    workshop: readMeta(doc).title.slice(0, 300),
    issuedAt: request.issuedAt,
    ledgerHead: request.ledgerHead,
    markedBy: request.markedBy,
    clauses,
    ...(request.snapshot && { snapshot: request.snapshot }),
    algorithm: SIGNATURE_ALGORITHM,
    keyId: key.keyId,
    publicKey: key.publicKey,
  }
}

/** `GET /api/signing-key`: the key receipts are signed with, published for anyone to compare. */
export const signingKeyResponseSchema = z.object({
  algorithm: z.literal(SIGNATURE_ALGORITHM),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** Raw 32-byte public key, base64url: what `npx commonpot verify --key` takes. */
  publicKey: base64url,
  publicKeyPem: z.string(),
})
export type SigningKeyResponse = z.infer<typeof signingKeyResponseSchema>

/** The stable path of the published key. */
export const SIGNING_KEY_PATH = '/api/signing-key'
