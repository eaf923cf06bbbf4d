/**
 * Checking a receipt in the browser, as `npx commonpot verify` does offline: its signature against
 * the key this server publishes, and the clause's wording now against the wording signed.
 */
import {
  type Receipt,
  checkReceiptSignature,
  clauseTextHash,
  type SigningKeyResponse,
  signingKeyResponseSchema,
  SIGNING_KEY_PATH,
} from '../../../shared/receipts.ts'

let published: Promise<SigningKeyResponse> | null = null

/** The server's published key, fetched once per page. */
export function publishedSigningKey(): Promise<SigningKeyResponse> {
  published ??= fetch(SIGNING_KEY_PATH)
    .then(async (response) => {
      if (!response.ok) throw new Error(`The server answered ${response.status}`)
      return signingKeyResponseSchema.parse(await response.json())
    })
    .catch((error: unknown) => {
      published = null
      throw error
    })
  return published
}

export interface ReceiptFinding {
  ok: boolean
  message: string
}

/** Checks `receipt` against the published key and, for each clause given, its current wording. */
export async function checkReceipt(
  receipt: Receipt,
  current: ReadonlyMap<string, { title: string; text: string }>,
): Promise<ReceiptFinding> {
  let key: SigningKeyResponse
  try {
    key = await publishedSigningKey()
  } catch (error) {
    return {
      ok: false,
      message: `The server’s signing key could not be fetched (${error instanceof Error ? error.message : 'error'}). Try again.`,
    }
  }
  const signature = await checkReceiptSignature(receipt, key.publicKey)
  if (!signature.ok) return { ok: false, message: `This receipt ${signature.problem}.` }
  const changed = receipt.clauses.filter((c) => {
    const now = current.get(c.id)
    return now !== undefined && clauseTextHash(now) !== c.textSha256
  })
  if (changed.length > 0)
    return {
      ok: false,
      message: `The signature holds, but the wording of ${changed.map((c) => `“${c.title}”`).join(', ')} is no longer what was signed.`,
    }
  return {
    ok: true,
    message: `Signature valid: signed by this server’s key ${key.keyId}, and the wording is as signed.`,
  }
}
