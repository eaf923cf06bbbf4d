/**
 * `GET /api/signing-key`: the public half of the key that signs sign-off receipts, at a stable
 * URL printed on every agreement, so a partner can check that a receipt was signed by this server
 * and not by whoever handed them the file. Public: it is a public key.
 */
import { Hono } from 'hono'
import { SIGNING_KEY_PATH, type SigningKeyResponse } from '../../../shared/receipts.ts'
import type { ReceiptSigner } from '../../auth/signingKey.ts'

export function signingKeyRoutes(signer: ReceiptSigner): Hono {
  const routes = new Hono()
  const body: SigningKeyResponse = {
    algorithm: 'Ed25519',
    keyId: signer.keyId,
    publicKey: signer.publicKey,
    publicKeyPem: signer.publicKeyPem,
  }
  routes.get(SIGNING_KEY_PATH, (c) => c.json(body, 200, { 'Cache-Control': 'public, max-age=300' }))
  return routes
}
