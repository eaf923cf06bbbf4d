/**
 * The server's Ed25519 key for sign-off receipts (shared/receipts.ts): SIGNING_KEY when set (a
 * PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes it), otherwise one generated on first
 * start and kept in DATA_DIR/signing-key.pem, so that receipts signed before a restart still check
 * against the published key. Instances of one deployment must share it (set SIGNING_KEY), or each
 * signs with its own and a partner sees more than one key.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fromBase64url, type ReceiptKey, signingKeyId, toBase64url } from '../../shared/receipts.ts'

export interface ReceiptSigner extends ReceiptKey {
  /** The public key as PEM (SubjectPublicKeyInfo), for tools that want it in that form. */
  publicKeyPem: string
  /** Ed25519 signature of `bytes`, base64url. */
  sign(bytes: Uint8Array): string
}

const FILE = 'signing-key.pem'

function fromPem(pem: string, source: string): KeyObject {
  let key: KeyObject
  try {
    // An env var often carries its newlines escaped.
    key = createPrivateKey(pem.replace(/\\n/g, '\n'))
  } catch (error) {
    throw new Error(`${source} is not a private key in PEM form: ${error instanceof Error ? error.message : error}`)
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${source} must be an Ed25519 key`)
  return key
}

function readOrCreate(dataDir: string): KeyObject {
  const file = path.join(dataDir, FILE)
  try {
    return fromPem(fs.readFileSync(file, 'utf8'), file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const { privateKey } = generateKeyPairSync('ed25519')
  fs.mkdirSync(dataDir, { recursive: true })
  try {
    // wx: never overwrite a key another process wrote at the same moment.
    fs.writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readOrCreate(dataDir)
    throw error
  }
  return privateKey
}

export function loadSigningKey(configured: string | undefined, dataDir: string): ReceiptSigner {
  const privateKey = configured ? fromPem(configured, 'SIGNING_KEY') : readOrCreate(dataDir)
  const publicKey = createPublicKey(privateKey)
  const jwk = publicKey.export({ format: 'jwk' })
  if (typeof jwk.x !== 'string') throw new Error('The signing key has no public part')
  const raw = fromBase64url(jwk.x)
  return {
    keyId: signingKeyId(raw),
    publicKey: toBase64url(raw),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    sign: (bytes) => toBase64url(sign(null, bytes, privateKey)),
  }
}
